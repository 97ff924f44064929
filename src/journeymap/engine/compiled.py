"""A map prepared for the engine: lookups by event kind, and what lies upstream of each goal."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from journeymap.engine.conditions import same_value
from journeymap.engine.events import Event
from journeymap.model.elements import Element, EventMatch, Goal, Trigger
from journeymap.model.graph import successors
from journeymap.model.map import AutomationMap, Connector


@dataclass(frozen=True)
class CompiledMap:
    """An immutable, indexed view of a valid map."""

    source: AutomationMap
    elements: dict[str, Element]
    outgoing: dict[str, list[Connector]]
    triggers_by_event: dict[str, list[Trigger]]
    goals_by_event: dict[str, list[Goal]]
    upstream: dict[str, frozenset[str]]

    @property
    def id(self) -> str:
        return self.source.id

    @classmethod
    def build(cls, m: AutomationMap) -> CompiledMap:
        triggers: dict[str, list[Trigger]] = {}
        goals: dict[str, list[Goal]] = {}
        for e in m.elements:
            if isinstance(e, Trigger):
                triggers.setdefault(e.event.on.value, []).append(e)
            elif isinstance(e, Goal):
                goals.setdefault(e.event.on.value, []).append(e)
        preds: dict[str, set[str]] = {e.id: set() for e in m.elements}
        for e in m.elements:
            for nxt in successors(m, e.id):
                preds.setdefault(nxt, set()).add(e.id)
        upstream: dict[str, frozenset[str]] = {}
        for goal_list in goals.values():
            for g in goal_list:
                seen: set[str] = set()
                todo = list(preds.get(g.id, ()))
                while todo:
                    cur = todo.pop()
                    if cur not in seen:
                        seen.add(cur)
                        todo.extend(preds.get(cur, ()))
                seen.discard(g.id)
                upstream[g.id] = frozenset(seen)
        # goals on one event are tried in path order: a goal upstream of another goes first, so
        # the contact is pulled to the nearer goal and then flows on to the farther one
        goal_ids = frozenset(upstream)
        for goal_list in goals.values():
            goal_list.sort(key=lambda g: len(upstream[g.id] & goal_ids))
        return cls(
            source=m,
            elements=dict(m.element_by_id),
            outgoing={k: list(v) for k, v in m.outgoing.items()},
            triggers_by_event=triggers,
            goals_by_event=goals,
            upstream=upstream,
        )


def matches(spec: EventMatch, event: Event, map_id: str) -> bool:
    """Whether an event fires a trigger or goal with this event setting."""
    if spec.on.value != event.kind:
        return False
    checks: tuple[tuple[str | None, str | None], ...] = (
        (spec.tag, event.tag),
        (spec.field, event.field),
        (spec.form, event.form),
        (spec.product, event.product),
    )
    if any(want is not None and want != got for want, got in checks):
        return False
    if spec.value is not None and not same_value(spec.value, event.value):
        return False
    if spec.url_pattern is not None and not fnmatchcase(event.url or "", spec.url_pattern):
        return False
    if spec.email is not None and (event.map_id != map_id or event.element_id != spec.email):
        return False
    if event.kind == "added_manually" and event.map_id != map_id:
        return False
    return not (event.kind == "purchase" and (event.amount is None or event.amount <= 0))
