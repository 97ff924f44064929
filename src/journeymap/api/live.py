"""A running installation: intake log, applier, email outbox and the library they share."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from journeymap.api.errors import Overloaded
from journeymap.api.settings import Settings
from journeymap.api.tokens import TokenBook
from journeymap.channels import DeliveryWorker, DeliveryWorkers
from journeymap.channels.email import EmailCourier
from journeymap.channels.webhook import WebhookCourier
from journeymap.engine import Event
from journeymap.intake import Applier, IntakeLog, Receipt
from journeymap.intake.tokens import TokenMirror
from journeymap.library import Journeymap

log = logging.getLogger(__name__)
T = TypeVar("T")

_SYNCED_ROW = "store_ids_synced_row"
"""Log meta key: the last row of the store's event ids copied into the log's dedupe index."""


class Live:
    """The server's state: requests append to the intake log, one applier applies it."""

    def __init__(self, jm: Journeymap, settings: Settings, *, shared_log: bool = False) -> None:
        self.jm = jm
        self.settings = settings
        secret = settings.tracking_secret
        # the library queues every message; the server only says where its links point
        self.urls = jm.configure_tracking(
            public_url=settings.base_url(), secret=secret.get_secret_value() if secret else None
        )
        self.signer = self.urls.signer
        self.channel = jm.email
        jm.set_cascade_limit(settings.cascade_limit)
        path = intake_path(jm.store.home, settings.intake_log)
        # a front process reads tokens from the log's file and appends to the log
        self.tokens = TokenBook(jm.store, jm.clock, TokenMirror(path) if shared_log else None)
        self.outbox = DeliveryWorkers(
            [
                DeliveryWorker(
                    jm.store,
                    jm.clock,
                    EmailCourier(settings.smtp()),
                    settings.email_retry(),
                    poll_seconds=settings.email_poll_seconds,
                ),
                DeliveryWorker(
                    jm.store,
                    jm.clock,
                    WebhookCourier(settings.webhook(), jm.webhook_keys, jm.clock),
                    settings.webhook_retry(),
                    poll_seconds=settings.webhook_poll_seconds,
                    concurrency=settings.webhook_concurrency,
                ),
            ]
        )
        jm.engine.flush()
        self.log = IntakeLog(path, jm.clock, shared=shared_log)
        self._remember_store_ids()
        self.applier = Applier(
            jm,
            self.log,
            batch_events=settings.apply_batch_events,
            gather_seconds=settings.apply_gather_seconds,
            tick_seconds=settings.tick_seconds,
        )
        self.log.on_commit = self.applier.wake
        self.applier.after_commit.append(self.outbox.wake)

    # --- intake ---------------------------------------------------------------------------------

    def submit(self, kind: str, events: list[Event]) -> Future[Receipt]:
        """Queue a request's events for the log; 503 (Overloaded) when the applier is far behind."""
        lag = self.applier.lag()
        if lag > self.settings.max_intake_lag_events:
            raise Overloaded(
                f"the applier is {lag} events behind; try again later",
                retry_after=self._retry_after(lag),
            )
        return self.log.submit(kind, events)

    def track(self, events: list[Event], *, wait: bool = False) -> tuple[Receipt, list[int] | None]:
        """Log events durably; with `wait`, also wait until they are applied and return the
        indexes (in `events`) of those the engine refused."""
        receipt = self.submit("events", events).result()
        if not wait:
            return receipt, None
        # a request of duplicates only waits for everything logged before it: the originals
        applied = self.applier.wait_applied(
            receipt.pos if receipt.pos is not None else self._last_logged(),
            self.settings.wait_applied_seconds,
        )
        return receipt, [receipt.kept[i] for i in applied.dead_letters]

    async def track_async(
        self, events: list[Event], *, wait: bool = False
    ) -> tuple[Receipt, list[int] | None]:
        """`track` for the event loop: awaits the commit instead of blocking a thread."""
        receipt = await asyncio.wrap_future(self.submit("events", events))
        if not wait:
            return receipt, None
        pos = receipt.pos if receipt.pos is not None else self._last_logged()
        applied = await asyncio.wait_for(
            asyncio.wrap_future(self.applier.applied(pos)), self.settings.wait_applied_seconds
        )
        return receipt, [receipt.kept[i] for i in applied.dead_letters]

    def upsert_contact(self, event: Event) -> bool:
        """Log a contact's create-or-update and wait until it is applied; whether it existed."""
        receipt = self.submit("contact", [event]).result()
        pos = receipt.pos if receipt.pos is not None else self._last_logged()
        applied = self.applier.wait_applied(pos, self.settings.wait_applied_seconds)
        # a retry of a request already taken finds the contact that request created
        return receipt.pos is None or not applied.created

    def _last_logged(self) -> int:
        """The last position logged (a request of duplicates waits for everything before it)."""
        return self.log.newest_pos() if self.log.shared else self.log.last_pos

    def _retry_after(self, lag: int) -> int:
        rate = max(1.0, self.applier.rate())
        return min(60, max(1, math.ceil(lag / rate)))

    # --- other writes ---------------------------------------------------------------------------

    def write(self, fn: Callable[[Journeymap], T], *, engine_state: bool = True) -> T:
        """Run `fn` on the library between two micro-batches; what it wrote is committed.

        If `fn` fails after touching engine state (`engine_state`), the engine is rebuilt from
        the store, so what it had half-applied is dropped rather than flushed later.
        """
        with self.applier.lock:
            try:
                result = fn(self.jm)
                self.jm.engine.flush()
            except BaseException:
                if engine_state:
                    self.applier.restart_engine()
                raise
        self.outbox.wake()
        return result

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the intake log's writer, the applier (which also releases due waits) and the
        outbox worker."""
        self.log.start()
        self.applier.start()
        self.outbox.start()

    def stop(self) -> None:
        """Stop taking events and stop the threads; what is logged and not applied yet is applied
        at the next start."""
        self.applier.stop()
        self.log.stop()
        self.outbox.stop()
        # every event id the store took while serving came through the log
        last = self.jm.store.scalar("intake_ids_last_row")
        self.log.set_meta(_SYNCED_ROW, str(last))

    def close(self) -> None:
        """Stop, and close the intake log's file."""
        self.stop()
        self.log.close()
        if self.tokens.mirror is not None:
            self.tokens.mirror.close()

    # --- internals ------------------------------------------------------------------------------

    def _remember_store_ids(self) -> None:
        """Copy into the log's dedupe index the event ids applied around the log since last time
        (by the library or the simulator), so intake counts a retry of them as a duplicate."""
        after = int(self.log.meta(_SYNCED_ROW) or -1)
        rows = self.jm.store.query("intake_ids_after", {"after": after})
        if rows:
            self.log.remember_ids(r["event_id"] for r in rows)
            self.log.set_meta(_SYNCED_ROW, str(rows[-1]["row_no"]))


def intake_path(home: str | None, configured: str | None) -> str:
    """Where the intake log lives: the setting, or a file beside the store's file or directory
    (`home`: None when the store has none on this machine)."""
    if configured:
        return configured
    if home is None:
        raise ValueError(
            "a server over a store kept in memory or on a ClickHouse server needs the "
            "intake_log setting (a file on this machine)"
        )
    return str(Path(home).with_name(Path(home).name + ".intake"))
