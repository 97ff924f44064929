"""Helpers for the engine tests: compact maps, events, and moves read back from the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import journeymap
from journeymap.engine import Event
from journeymap.model.map import AutomationMap

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""A Monday morning, as in conftest: every scenario starts here."""

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}
"""A condition's comparisons as Python's own operators: the tests' oracle, not the engine's."""

Move = tuple[str, str | None, str | None, str | None, str, datetime]
"""(contact_id, from_element, to_element, connector_id, kind, occurred_at)"""


def at(minutes: float = 0, *, days: float = 0, hours: float = 0) -> datetime:
    """A time relative to T0 (Monday 2026-01-05 09:00 UTC)."""
    return T0 + timedelta(days=days, hours=hours, minutes=minutes)


def build_map(map_id: str, elements: list[dict[str, Any]], edges: list[Any]) -> AutomationMap:
    """A map from element dicts and connectors given as (id, from, to[, extra settings])."""
    connectors = []
    for edge in edges:
        cid, src, dst, *extra = edge
        connectors.append({"id": cid, "from": src, "to": dst, **(extra[0] if extra else {})})
    return AutomationMap.model_validate(
        {"id": map_id, "elements": elements, "connectors": connectors}
    )


def add(
    jm: journeymap.Journeymap, map_id: str, elements: list[dict[str, Any]], edges: list[Any]
) -> None:
    jm.add_map(build_map(map_id, elements, edges))


def trigger(
    eid: str, on: str = "form_submitted", reentry: str | None = None, **event: str
) -> dict[str, Any]:
    if on == "form_submitted" and "form" not in event:
        event["form"] = "signup"
    body: dict[str, Any] = {"id": eid, "kind": "trigger", "event": {"on": on, **event}}
    if reentry is not None:
        body["reentry"] = reentry
    return body


def goal(eid: str, on: str = "purchase", **event: str) -> dict[str, Any]:
    return {"id": eid, "kind": "goal", "event": {"on": on, **event}}


def wait(eid: str, **settings: Any) -> dict[str, Any]:
    return {"id": eid, "kind": "wait", **settings}


def end(eid: str, *, exit: bool = False) -> dict[str, Any]:
    return {"id": eid, "kind": "end", "exit": exit}


def action(eid: str, type: str, **settings: Any) -> dict[str, Any]:
    return {"id": eid, "kind": "action", "action": {"type": type, **settings}}


def kind(eid: str, k: str, **settings: Any) -> dict[str, Any]:
    return {"id": eid, "kind": k, **settings}


def form(contact: str, when: datetime, name: str = "signup", **kw: Any) -> Event:
    return Event("form_submitted", contact, when, form=name, **kw)


def buy(contact: str, when: datetime, amount: str = "10", **kw: Any) -> Event:
    return Event("purchase", contact, when, amount=Decimal(amount), **kw)


def moves(
    jm: journeymap.Journeymap, map_id: str | None = None, contact: str | None = None
) -> list[Move]:
    """The recorded moves as (contact, from, to, connector, kind, occurred_at), in seq order."""
    rows = jm.store.query("engine_transitions", {"map_id": map_id, "contact_id": contact})
    return [
        (
            r["contact_id"],
            r["from_element"],
            r["to_element"],
            r["connector_id"],
            r["kind"],
            r["occurred_at"],
        )
        for r in rows
    ]


def achievements(jm: journeymap.Journeymap, map_id: str | None = None) -> list[tuple[Any, ...]]:
    """Recorded achievements as (contact, goal, from_element, occurred_at), in seq order."""
    rows = jm.store.query("engine_achievements", {"map_id": map_id})
    return [(r["contact_id"], r["goal_id"], r["from_element"], r["occurred_at"]) for r in rows]


def positions(jm: journeymap.Journeymap, contact: str, map_id: str) -> set[str]:
    """The engine's live positions of a contact on a map."""
    return set(jm.engine.state_of(contact, map_id).positions)
