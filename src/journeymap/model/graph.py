"""Where a contact can go next on a map: along connectors, or a goto's jump."""

from __future__ import annotations

from journeymap.model.elements import Goto
from journeymap.model.map import AutomationMap


def successors(m: AutomationMap, element_id: str) -> list[str]:
    """Elements a contact can move to next: along connectors, or a goto's jump."""
    nxt = [c.to for c in m.outgoing.get(element_id, [])]
    element = m.element_by_id.get(element_id)
    if isinstance(element, Goto):
        nxt.append(element.target)
    return nxt


def reachable_from(m: AutomationMap, starts: list[str]) -> set[str]:
    """Every element reachable from the given ones, the starts included."""
    seen = set(starts)
    todo = list(starts)
    while todo:
        for nxt in successors(m, todo.pop()):
            if nxt in m.element_by_id and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
