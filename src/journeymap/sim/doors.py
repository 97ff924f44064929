"""A map's doors for the simulator: its triggers and goals in path order, and what fires them."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from fnmatch import fnmatchcase

from journeymap.errors import JourneymapError
from journeymap.model.elements import Condition, EventKind, EventMatch, Goal, Rule, Trigger
from journeymap.model.graph import successors
from journeymap.model.map import AutomationMap
from journeymap.model.values import ValueType, read_date, read_number, type_of, value_text
from journeymap.sim.traffic import amount, pick_product, price_of, url_matching

Step = tuple[str, str | None, object]
"""What a contact does, without who and when: (event kind, main setting, second setting)."""


@dataclass(frozen=True, slots=True)
class Door:
    """A trigger or goal and what fires it."""

    element_id: str
    is_goal: bool
    match: EventMatch
    depth: int


@dataclass(frozen=True, slots=True)
class MapDoors:
    """The triggers and goals of one map, goals in path order (nearest the triggers first)."""

    map_id: str
    triggers: tuple[Door, ...]
    goals: tuple[Door, ...]
    field_rules: tuple[Rule, ...] = ()

    @classmethod
    def of(cls, m: AutomationMap) -> MapDoors:
        depth = _depths(m)
        triggers = [Door(e.id, False, e.event, 0) for e in m.elements if isinstance(e, Trigger)]
        goals = [
            Door(e.id, True, e.event, depth.get(e.id, len(m.elements)))
            for e in m.elements
            if isinstance(e, Goal)
        ]
        order = {e.id: i for i, e in enumerate(m.elements)}
        goals.sort(key=lambda d: (d.depth, order[d.element_id]))
        rules = tuple(e.rule for e in m.elements if isinstance(e, Condition) and e.rule.field)
        for door in (*triggers, *goals):
            _check_pattern(m.id, door)
        return cls(m.id, tuple(triggers), tuple(goals), rules)


def _check_pattern(map_id: str, door: Door) -> None:
    """Fail before simulating when a page door's URL pattern is one no URL can be made for."""
    pattern = door.match.url_pattern
    if door.match.on is not EventKind.page_visited or pattern is None:
        return
    try:
        url = url_matching(pattern, random.Random(0))
    except StopIteration:
        url = None
    if url is None or not fnmatchcase(url, pattern):
        kind = "goal" if door.is_goal else "trigger"
        raise JourneymapError(
            f"{kind} {door.element_id!r} of map {map_id!r}: the simulator cannot make a URL "
            f"matching url_pattern {pattern!r}",
            code="sim_url_pattern",
        )


def _depths(m: AutomationMap) -> dict[str, int]:
    """Connector hops from the nearest trigger, by element."""
    starts = [e.id for e in m.elements if isinstance(e, Trigger)]
    depth = dict.fromkeys(starts, 0)
    todo = deque(starts)
    while todo:
        cur = todo.popleft()
        for nxt in successors(m, cur):
            if nxt not in depth:
                depth[nxt] = depth[cur] + 1
                todo.append(nxt)
    return depth


def field_value(rule: Rule, holds: bool, rng: random.Random) -> str | None:
    """A contact field value for which a condition rule on a field holds (or does not), read
    as the rule reads it (docs/maps.md, Values)."""
    if rule.op == "exists":
        return "yes" if holds else None
    want = "" if rule.value is None else value_text(rule.value)
    if rule.op == "contains":
        return f"my {want}" if holds else ""
    if rule.op in ("gt", "gte", "lt", "lte"):
        above = holds == (rule.op in ("gt", "gte"))
        return _beside(want, type_of(want, rule.type), above, rng)
    if rule.op == "ne":
        return f"not {want}" if holds else want
    return want if holds == (rule.op in ("eq", "gte", "lte")) else f"not {want}"


def _beside(want: str, as_type: ValueType, above: bool, rng: random.Random) -> str:
    """A value strictly above (or below) `want`, compared as `as_type`."""
    number = read_number(want) if as_type == "number" else None
    if number is not None:
        scale = rng.uniform(1.1, 5.0) if above else rng.uniform(0.1, 0.9)
        base = float(number)
        delta = abs(base) * abs(scale - 1) + 1
        return str(round(base + delta if above else base - delta))
    when = read_date(want) if as_type == "date" else None
    if when is not None:
        days = timedelta(days=1 + int(rng.uniform(0, 365)))
        return (when + days if above else when - days).isoformat()
    return want + "~" if above else want[:-1]


def step_for(match: EventMatch, map_id: str, rng: random.Random) -> Step | None:
    """An event step that fires this trigger or goal; None when only other means fire it."""
    make = _MAKERS.get(match.on)
    return None if make is None else make(match, map_id, rng)


def _tag(kind: str) -> Callable[[EventMatch, str, random.Random], Step]:
    return lambda m, _map, _rng: (kind, m.tag or "engaged", None)


def _field(m: EventMatch, _map: str, rng: random.Random) -> Step:
    value = value_text(m.value) if m.value is not None else rng.choice(("free", "trial", "paid"))
    return ("field_updated", m.field or "plan", value)


def _form(m: EventMatch, _map: str, _rng: random.Random) -> Step:
    return ("form_submitted", m.form or "newsletter", None)


def _page(m: EventMatch, _map: str, rng: random.Random) -> Step:
    pattern = m.url_pattern or "*"
    url = url_matching(pattern, rng)
    if not fnmatchcase(url, pattern):
        raise JourneymapError(
            f"cannot make a URL matching pattern {pattern!r}", code="sim_url_pattern"
        )
    return ("page_visited", url, None)


def _purchase(m: EventMatch, _map: str, rng: random.Random) -> Step:
    product = m.product or pick_product(rng).name
    return ("purchase", product, amount(rng, price_of(product)))


def _added(_m: EventMatch, map_id: str, _rng: random.Random) -> Step:
    return ("added_manually", map_id, None)


_MAKERS: dict[EventKind, Callable[[EventMatch, str, random.Random], Step]] = {
    EventKind.tag_added: _tag("tag_added"),
    EventKind.tag_removed: _tag("tag_removed"),
    EventKind.field_updated: _field,
    EventKind.form_submitted: _form,
    EventKind.page_visited: _page,
    EventKind.purchase: _purchase,
    EventKind.added_manually: _added,
}
"""Event kinds the simulator fires directly. Sign-up fires contact_created; email opens and
clicks come only from emails the engine actually sent."""
