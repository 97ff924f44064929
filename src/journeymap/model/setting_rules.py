"""Validation rules on elements' settings: events, waits, conditions, actions and texts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, ClassVar

from journeymap import dates
from journeymap.errors import Problem
from journeymap.model.addresses import address_problem
from journeymap.model.elements import (
    Action,
    Condition,
    EventKind,
    EventMatch,
    Goal,
    Notify,
    Trigger,
    Wait,
    Webhook,
)
from journeymap.model.limits import BODY, ID, LINE, NAME, URL, VALUE, TextKind
from journeymap.model.map import AutomationMap
from journeymap.model.rule import Rule
from journeymap.model.urls import url_problem

MAX_WAIT = timedelta(days=3650)
"""The longest duration a wait may have (ten years)."""


class EventSettings(Rule):
    code = "event_settings"
    _needs: ClassVar[dict[EventKind, str]] = {
        EventKind.tag_added: "tag",
        EventKind.tag_removed: "tag",
        EventKind.field_updated: "field",
        EventKind.form_submitted: "form",
        EventKind.page_visited: "url_pattern",
    }
    _applies: ClassVar[dict[str, tuple[EventKind, ...]]] = {
        "tag": (EventKind.tag_added, EventKind.tag_removed),
        "field": (EventKind.field_updated,),
        "value": (EventKind.field_updated,),
        "form": (EventKind.form_submitted,),
        "url_pattern": (EventKind.page_visited, EventKind.email_clicked),
        "product": (EventKind.purchase,),
        "email": (EventKind.email_opened, EventKind.email_clicked),
    }
    """Events each narrowing setting can match; on any other event it would never fire."""

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Trigger | Goal):
                continue
            yield from self._check_event(m, e.id, e.kind, e.event)
            for setting, kinds in self._applies.items():
                if getattr(e.event, setting) is not None and e.event.on not in kinds:
                    yield self.problem(
                        f"{e.kind} {e.id!r} on {e.event.on}: setting {setting!r} applies only to "
                        f"{' and '.join(kinds)} events, so it would never fire",
                        element=e.id,
                    )

    def _check_event(
        self, m: AutomationMap, eid: str, kind: str, ev: EventMatch
    ) -> Iterator[Problem]:
        needed = self._needs.get(ev.on)
        if needed is not None and getattr(ev, needed) in (None, ""):
            yield self.problem(f"{kind} {eid!r} on {ev.on} needs {needed!r}", element=eid)
        if ev.email is not None:
            target = m.element_by_id.get(ev.email)
            if not (isinstance(target, Action) and target.action.type == "send_email"):
                yield self.problem(
                    f"{kind} {eid!r} refers to email {ev.email!r}, which is not a send-email "
                    "element of this map",
                    element=eid,
                )


class WaitSettings(Rule):
    code = "wait_settings"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Wait):
                continue
            modes = [
                e.duration is not None,
                e.until is not None,
                e.weekday is not None or e.time_of_day is not None,
            ]
            if sum(modes) != 1:
                yield self.problem(
                    f"wait {e.id!r} needs exactly one of: duration, until, or weekday/time_of_day",
                    element=e.id,
                )
            if e.duration is not None and e.duration < timedelta(0):
                yield self.problem(f"wait {e.id!r} has a negative duration", element=e.id)
            if e.duration is not None and e.duration > MAX_WAIT:
                yield self.problem(
                    f"wait {e.id!r} lasts {e.duration.days:,} days; a wait lasts at most "
                    f"{MAX_WAIT.days:,} days",
                    element=e.id,
                )
            if e.until is not None:
                try:
                    dates.instant(e.until)
                except dates.DateRejected as exc:
                    yield self.problem(f"wait {e.id!r} until: {exc}", element=e.id)
            try:
                dates.zone(e.timezone)
            except dates.DateRejected as exc:
                yield self.problem(f"wait {e.id!r} has {exc}", element=e.id)


class ConditionRule(Rule):
    code = "condition_rule"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Condition):
                continue
            r = e.rule
            subjects = [r.tag is not None, r.field is not None, r.utm is not None]
            if sum(subjects) != 1:
                yield self.problem(
                    f"condition {e.id!r} rule needs exactly one of tag, field or utm",
                    element=e.id,
                )
            elif r.tag is not None and r.op not in ("has", "not_has"):
                yield self.problem(
                    f"condition {e.id!r}: a tag rule takes op 'has' or 'not_has', not {r.op!r}",
                    element=e.id,
                )
            elif r.tag is None and r.op in ("has", "not_has"):
                yield self.problem(
                    f"condition {e.id!r}: op {r.op!r} applies to tags only", element=e.id
                )
            elif r.tag is None and r.op != "exists" and r.value is None:
                yield self.problem(f"condition {e.id!r}: op {r.op!r} needs a value", element=e.id)


class ActionSettings(Rule):
    code = "action_settings"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Action):
                continue
            spec = e.action
            if (
                spec.type in ("add_to_map", "remove_from_map")
                and getattr(spec, "map_id", None) == m.id
            ):
                yield self.problem(
                    f"action {e.id!r} would {spec.type.replace('_', ' ')} its own map",
                    element=e.id,
                )
            if isinstance(spec, Notify):
                for address in spec.recipients():
                    problem = address_problem(address)
                    if problem is not None:
                        yield self.problem(
                            f"action {e.id!r}: notify to {address!r} is not an email address: "
                            f"{problem}",
                            element=e.id,
                        )


class WebhookUrl(Rule):
    code = "webhook_url"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if isinstance(e, Action) and isinstance(e.action, Webhook):
                problem = url_problem(e.action.url)
                if problem is not None:
                    yield self.problem(
                        f"action {e.id!r}: webhook url {e.action.url!r} {problem}", element=e.id
                    )


class TextValues(Rule):
    """Every text a map stores is valid Unicode, within its length, without refused characters."""

    code = "bad_text"
    _settings: ClassVar[dict[str, TextKind]] = {
        "id": ID,
        "target": ID,
        "map_id": ID,
        "email": ID,
        "name": LINE,
        "subject": LINE,
        "to": LINE,
        "tag": NAME,
        "field": NAME,
        "form": NAME,
        "timezone": NAME,
        "url_pattern": URL,
        "url": URL,
        "html": BODY,
        "text": BODY,
        "message": BODY,
    }
    """The kind of text each element setting holds; any other text setting is a VALUE."""

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for key, kind in (("id", ID), ("name", LINE), ("description", BODY)):
            yield from self._check(kind, getattr(m, key), f"the map's {key}")
        for i, e in enumerate(m.elements):
            ok_id = ID.problem(e.id) is None
            subject = f"element {e.id!r}" if ok_id else f"element #{i + 1}"
            for path, value in _texts(e.model_dump(mode="python"), ()):
                if not value and path[0] == "event":
                    continue  # an empty event setting is event_settings' to name
                kind = self._settings.get(str(path[-1]), VALUE)
                where = f"{subject} setting {'.'.join(map(str, path))!r}"
                yield from self._check(kind, value, where, element=e.id if ok_id else None)
        for i, c in enumerate(m.connectors):
            ok_id = ID.problem(c.id) is None
            subject = f"connector {c.id!r}" if ok_id else f"connector #{i + 1}"
            for key, value in (("id", c.id), ("from", c.from_), ("to", c.to)):
                where = f"{subject} setting {key!r}"
                yield from self._check(ID, value, where, connector=c.id if ok_id else None)
        for key in m.layout:
            yield from self._check(ID, key, f"layout key {key!r}")

    def _check(
        self,
        kind: TextKind,
        value: str,
        where: str,
        *,
        element: str | None = None,
        connector: str | None = None,
    ) -> Iterator[Problem]:
        wrong = kind.problem(value)
        if wrong is not None:
            yield self.problem(f"{where} {wrong}", element=element, connector=connector)


def _texts(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text inside a dumped element with its setting path (a list item adds its index)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))
