"""The library API: one object over a store, its engine, maps, import and reports."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, TextIO, Unpack

from journeymap.channels import Channel, ledger
from journeymap.channels.email import (
    EmailChannel,
    NotifyChannel,
    Signer,
    TrackingUrls,
    public_url,
    tracking_secret,
)
from journeymap.channels.webhook import WebhookChannel, WebhookKeys
from journeymap.clock import Clock, SystemClock
from journeymap.engine import Engine, Event, drafts
from journeymap.engine.drafts import Draft
from journeymap.engine.engine import DEFAULT_CASCADE_LIMIT
from journeymap.engine.statestore import StateStore
from journeymap.errors import NotFound
from journeymap.importer import ImportResult, import_files, import_settings
from journeymap.model.loading import load_map, load_template
from journeymap.model.map import AutomationMap
from journeymap.reports import ReportResult, drilldown, make_params, run_report
from journeymap.reports.base import ReportKwargs
from journeymap.reports.drilldown import ContactList
from journeymap.reports.roi_costs import add_cost
from journeymap.reports.trend import Trend, trend
from journeymap.store import Store, open_store

PUBLIC_URL_ENV = "JOURNEYMAP_PUBLIC_URL"
TRACKING_SECRET_ENV = "JOURNEYMAP_TRACKING_SECRET"  # noqa: S105 - a variable name, no secret
"""The environment variables `journeymap serve` reads too, so both sign and point links alike."""


class Options(NamedTuple):
    """The report options a drill-down follows, as the report took them."""

    attribution: str
    half_life_days: float
    grace_days: float
    stall_days: float


class Journeymap:
    """A journeymap installation: the store at `path`, with the engine running its maps.

    Every send-email, notify and webhook action, whatever applies the event (track, tick, the
    simulator, the server), queues its delivery in the same transaction as the action's facts;
    the server's workers deliver them (docs/api.md, "Deliveries").
    """

    def __init__(
        self,
        path: str | Path = "journeymap.duckdb",
        *,
        clock: Clock | None = None,
        public_url: str | None = None,
        tracking_secret: str | None = None,
        cascade_limit: int = DEFAULT_CASCADE_LIMIT,
        create: bool = True,
    ) -> None:
        self.path = str(path)
        self.cascade_limit = cascade_limit
        self.clock: Clock = clock or SystemClock()
        self.store: Store = open_store(self.path, create=create)
        self.state = StateStore.beside(self.store.home)
        """The engine's state file (contacts' positions and profiles, loaded on demand)."""
        self.tracking = self._tracking(public_url, tracking_secret)
        self.email = EmailChannel(self.tracking)
        self.notify = NotifyChannel()
        self.webhook = WebhookChannel()
        self.channels: tuple[Channel, ...] = (self.email, self.notify, self.webhook)
        self.webhook_keys = WebhookKeys(self.store, self.clock)
        self.engine = self._new_engine()
        self.engine_owner: object | None = None
        """Set while another thread (the server's applier) owns the engine: reads then never
        flush it, they read what the store has committed."""

    # --- email tracking -------------------------------------------------------------------------

    def configure_tracking(
        self, *, public_url: str | None = None, secret: str | None = None
    ) -> TrackingUrls:
        """Point tracking links at `public_url` (kept in the store for later runs) and sign
        them with `secret`; messages queued from now on use them."""
        self.tracking = self.email.urls = self._tracking(public_url, secret)
        return self.tracking

    def set_cascade_limit(self, limit: int) -> None:
        """How many rounds of action-caused events one event may set off (docs/maps.md)."""
        if limit < 0:
            raise ValueError(f"cascade_limit must be 0 or more (got {limit})")
        self.cascade_limit = self.engine.cascade_limit = limit

    def map_errors(self, map_id: str | None = None, *, limit: int = 100) -> list[dict[str, Any]]:
        """What maps could not do (docs/maps.md, Map errors), newest first: map, element,
        contact, event, code, reason, occurred_at."""
        self.engine.flush()
        return self.store.query("map_errors", {"map_id": map_id, "limit": limit})

    def map_error_counts(self, map_id: str | None = None) -> list[dict[str, Any]]:
        """Map errors counted per map, element and code, with the latest time of each."""
        self.engine.flush()
        return self.store.query("map_error_counts", {"map_id": map_id})

    def outbox(self, contact_id: str | None = None) -> list[dict[str, Any]]:
        """Queued messages (all, or one contact's) with their latest delivery status."""
        self._settle()
        return self.store.query("email_messages", {"contact_id": contact_id})

    def deliveries(
        self,
        *,
        channel: ledger.Channel | None = None,
        state: ledger.State | None = None,
        map_id: str | None = None,
        element_id: str | None = None,
        contact_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> ledger.DeliveryPage:
        """Deliveries (emails, notifications, webhooks) newest first, with their attempts."""
        self._settle()
        return ledger.list_deliveries(
            self.store,
            channel=channel,
            state=state,
            map_id=map_id,
            element_id=element_id,
            contact_id=contact_id,
            limit=limit,
            offset=offset,
        )

    def retry_delivery(self, delivery_id: str) -> ledger.DeliveryRecord:
        """Queue a failed delivery again, due now (docs/api.md, "Deliveries")."""
        self._settle()
        return ledger.retry(self.store, self.clock, delivery_id)

    def _tracking(self, url: str | None, secret: str | None) -> TrackingUrls:
        url = url or os.environ.get(PUBLIC_URL_ENV) or None
        secret = secret or os.environ.get(TRACKING_SECRET_ENV) or None
        key = tracking_secret(self.store, self.clock, secret)
        return TrackingUrls(public_url(self.store, self.clock, url), Signer(key))

    # --- maps -----------------------------------------------------------------------------------

    def add_map(self, source: AutomationMap | str | Path) -> AutomationMap:
        """Validate and store a map (object or JSON/YAML file) as its next version."""
        m = source if isinstance(source, AutomationMap) else load_map(source)
        return self.engine.add_map(m)

    def add_template(self, name: str) -> AutomationMap:
        """Store one of the prebuilt maps."""
        return self.engine.add_map(load_template(name))

    def map(self, map_id: str, version: int | None = None) -> AutomationMap:
        return self.engine.registry.get(map_id, version)

    def maps(self) -> list[dict[str, object]]:
        return self.engine.registry.summaries()

    def save_draft(self, map_id: str, body: Any) -> Draft:
        """Keep a map as far as it is built (problems and all) as its draft; never run."""
        try:
            based_on: int | None = int(self.engine.registry.versions(map_id)[-1]["version"])
        except NotFound:
            based_on = None
        return drafts.save_draft(self.store, map_id, body, based_on, self.clock.now())

    def draft(self, map_id: str) -> Draft:
        """The map's saved draft (NotFound when it has none)."""
        return drafts.get_draft(self.store, map_id)

    def drafts(self) -> list[Draft]:
        """Every saved draft, by map id."""
        return drafts.list_drafts(self.store)

    def discard_draft(self, map_id: str) -> bool:
        """Forget the map's draft; False when it had none."""
        return drafts.discard_draft(self.store, map_id, self.clock.now())

    def archive_map(self, map_id: str) -> dict[str, object]:
        """Stop running a map; its history stays, and saving it again brings it back."""
        self.engine.flush()
        summary = self.engine.registry.archive(map_id)
        self.engine.maps.pop(map_id, None)
        return summary

    # --- events ---------------------------------------------------------------------------------

    def track(self, event: Event) -> None:
        """Apply one event and persist it before returning."""
        self.engine.apply(event)
        self.engine.flush()

    def track_many(self, events: list[Event]) -> None:
        """Apply events in order and persist them together."""
        self.engine.apply_many(events)
        self.engine.flush()

    def tick(self, now: datetime | None = None) -> int:
        """Release due waits and persist the moves."""
        released = self.engine.tick(now)
        self.engine.flush()
        return released

    def reload(self) -> None:
        """Rebuild the engine's state from the store, after facts were written around it."""
        self.engine.flush()
        self.restart_engine()
        self.engine.rebuild_state()

    def restart_engine(self) -> None:
        """Rebuild the engine from the store, dropping what it applied but has not written;
        the listeners added to the old engine carry over."""
        extra = [fn for fn in self.engine.listeners if fn not in self.channels]
        self.engine = self._new_engine()
        self.engine.listeners.extend(extra)

    def _new_engine(self) -> Engine:
        engine = Engine(self.store, self.clock, cascade_limit=self.cascade_limit, state=self.state)
        engine.listeners.extend(self.channels)
        return engine

    # --- reports --------------------------------------------------------------------------------

    def report(
        self,
        name: str,
        *,
        map_id: str,
        goal: str | None = None,
        date_range: tuple[date | str | None, date | str | None] | None = None,
        tz: str = "UTC",
        utm: Mapping[str, str] | None = None,
        last_touch: bool = False,
        steps: Sequence[str] | None = None,
        after_arrival: bool = False,
        attribution: str = "last",
        half_life_days: float = 7.0,
        grace_days: float = 1.0,
        stall_days: float = 14.0,
        by: str | None = None,
        control: str | None = None,
    ) -> ReportResult:
        """One of Performance Mode's reports (docs/reports.md) over a cohort of the map."""
        self._settle()  # a figure reflects every event tracked so far
        params = make_params(
            map_id,
            goal=goal,
            date_range=date_range,
            tz=tz,
            utm=utm,
            last_touch=last_touch,
            steps=steps,
            after_arrival=after_arrival,
            by=by,
            control=control,
            attribution=attribution,
            half_life_days=half_life_days,
            grace_days=grace_days,
            stall_days=stall_days,
        )
        with self.store.snapshot():
            return run_report(self.store, name, params, self.clock.now())

    def trend(
        self,
        name: str,
        *,
        map_id: str,
        figure: str,
        period: str = "week",
        element: str | None = None,
        connector: str | None = None,
        **kwargs: Unpack[ReportKwargs],
    ) -> Trend:
        """One figure of a report by week or month of first entry (docs/reports.md, "Trends")."""
        self._settle()
        params = make_params(map_id, **kwargs)
        with self.store.snapshot():
            return trend(
                self.store,
                name,
                params,
                figure=figure,
                period=period,
                element=element,
                connector=connector,
                now=self.clock.now(),
            )

    # --- drill-down and marketing costs (docs/metrics.md) ---------------------------------------

    def contacts(
        self,
        map_id: str,
        *,
        figure: str,
        element: str | None = None,
        connector: str | None = None,
        goal: str | None = None,
        date_range: tuple[date | str | None, date | str | None] | None = None,
        tz: str = "UTC",
        utm: Mapping[str, str] | None = None,
        last_touch: bool = False,
        steps: Sequence[str] | None = None,
        after_arrival: bool = False,
        attribution: str = "last",
        half_life_days: float = 7.0,
        grace_days: float = 1.0,
        stall_days: float = 14.0,
        limit: int | None = 100,
        offset: int = 0,
    ) -> ContactList:
        """One page of the contacts behind a report's figure, with the whole list's length."""
        plan = self._drill_plan(
            map_id,
            figure,
            element,
            connector,
            goal,
            date_range,
            tz,
            utm,
            last_touch,
            steps,
            after_arrival,
            Options(attribution, half_life_days, grace_days, stall_days),
        )
        with self.store.snapshot():
            return drilldown.list_contacts(self.store, plan, limit=limit, offset=offset)

    def export_contacts(
        self,
        map_id: str,
        *,
        figure: str,
        out: TextIO,
        element: str | None = None,
        connector: str | None = None,
        goal: str | None = None,
        date_range: tuple[date | str | None, date | str | None] | None = None,
        tz: str = "UTC",
        utm: Mapping[str, str] | None = None,
        last_touch: bool = False,
        steps: Sequence[str] | None = None,
        after_arrival: bool = False,
        attribution: str = "last",
        half_life_days: float = 7.0,
        grace_days: float = 1.0,
        stall_days: float = 14.0,
    ) -> int:
        """Write every contact behind a figure to `out` as CSV; the number of contacts written."""
        plan = self._drill_plan(
            map_id,
            figure,
            element,
            connector,
            goal,
            date_range,
            tz,
            utm,
            last_touch,
            steps,
            after_arrival,
            Options(attribution, half_life_days, grace_days, stall_days),
        )
        with self.store.snapshot():
            return drilldown.export_csv(self.store, plan, out)

    def _drill_plan(
        self,
        map_id: str,
        figure: str,
        element: str | None,
        connector: str | None,
        goal: str | None,
        date_range: tuple[date | str | None, date | str | None] | None,
        tz: str,
        utm: Mapping[str, str] | None,
        last_touch: bool,
        steps: Sequence[str] | None,
        after_arrival: bool,
        options: Options,
    ) -> drilldown._Plan:
        """Flush, then plan the list behind one figure over the report's cohort."""
        self._settle()  # a list reflects every event tracked so far
        params = make_params(
            map_id,
            goal=goal,
            date_range=date_range,
            tz=tz,
            utm=utm,
            last_touch=last_touch,
            steps=steps,
            after_arrival=after_arrival,
            attribution=options.attribution,
            half_life_days=options.half_life_days,
            grace_days=options.grace_days,
            stall_days=options.stall_days,
        )
        return drilldown.plan(
            self.store, params, figure, element=element, connector=connector, now=self.clock.now()
        )

    def add_marketing_cost(
        self,
        utm_field: str,
        utm_value: str,
        period_start: date | str,
        period_end: date | str,
        amount: Decimal | int | str,
    ) -> None:
        """Record what was spent on a UTM source, medium or campaign over a period (days)."""
        add_cost(self.store, utm_field, utm_value, period_start, period_end, amount)

    def _settle(self) -> None:
        """Write what the engine holds, unless the server's applier owns it (it commits itself)."""
        if self.engine_owner is None:
            self.engine.flush()

    # --- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.flush()
        self.state.close()
        self.store.close()

    def __enter__(self) -> Journeymap:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- history import -------------------------------------------------------------------------

    def import_files(
        self,
        paths: Iterable[str | Path],
        map_id: str | None = None,
        progress: bool = False,
        *,
        kind: str | None = None,
    ) -> ImportResult:
        """Import history files (CSV, JSON Lines, Parquet; docs/import.md), each all or nothing."""
        self.engine.flush()
        with import_settings(self.store):  # the reload reads every imported position: capped too
            try:
                return import_files(
                    self.store,
                    paths,
                    now=self.clock.now(),
                    map_id=map_id,
                    kind=kind,
                    progress=progress,
                )
            finally:
                # the engine picks up the imported contacts' state and the sequence numbers
                self.engine.flush()
                # (a store that lists no contacts an import wrote, ClickHouse, had the engine's
                # flush mark moved on by the import: the new engine rebuilds its whole state)
                self.restart_engine()


def open(
    path: str | Path = "journeymap.duckdb",
    *,
    clock: Clock | None = None,
    public_url: str | None = None,
    tracking_secret: str | None = None,
    cascade_limit: int = DEFAULT_CASCADE_LIMIT,
    create: bool = True,
) -> Journeymap:
    """Open a journeymap store, creating it when missing (with `create=False`: NoStore).

    Email tracking links point at `public_url` (else $JOURNEYMAP_PUBLIC_URL, else the URL the
    store was last given, else http://127.0.0.1:8000) and are signed with `tracking_secret`
    (else $JOURNEYMAP_TRACKING_SECRET, else a random key kept in the store). `cascade_limit`
    bounds the rounds of action-caused events one event may set off (docs/maps.md). A store
    another process has open raises StoreInUse naming that process.
    """
    return Journeymap(
        path,
        clock=clock,
        public_url=public_url,
        tracking_secret=tracking_secret,
        cascade_limit=cascade_limit,
        create=create,
    )
