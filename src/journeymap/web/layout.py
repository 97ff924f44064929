"""What the page needs to draw a map: each element's kind, readable name and stored position."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from journeymap.model.elements import (
    Action,
    Element,
    End,
    EventKind,
    Goal,
    Notify,
    SendEmail,
    Trigger,
    Webhook,
)
from journeymap.model.map import AutomationMap, Connector
from journeymap.model.names import element_name

HOLDING_KINDS = frozenset({"goal", "wait", "end"})
"""Kinds of element contacts can sit on, so "here now" is one of their figures."""


class NodeBox(BaseModel):
    """One element as the page draws it; `x`/`y` are its centre when the map file fixes it."""

    id: str
    kind: str
    detail: str
    name: str
    named: bool
    email: bool
    deliveries: bool
    """A notify or webhook action: its deliveries are its figures."""
    page_visits: bool
    holds: bool
    x: float | None = None
    y: float | None = None


class EdgePath(BaseModel):
    """One connector and its label (yes/no, split weight)."""

    id: str
    from_: str
    to: str
    label: str | None


class Layout(BaseModel):
    """A map for drawing: `stored` when the map file places every element, `partial` when it
    places some (the page places the others around them), `auto` when it places none."""

    map_id: str
    version: int
    name: str
    engine: Literal["stored", "partial", "auto"]
    nodes: list[NodeBox]
    edges: list[EdgePath]


def connector_label(c: Connector) -> str | None:
    """yes/no on condition branches, the weight on split paths."""
    if c.label is not None:
        return c.label
    if c.weight is not None:
        return f"{c.weight}%"
    return None


def element_detail(e: Element) -> str:
    """What the element does, in a word or two: the action type, the event it listens for."""
    if isinstance(e, Action):
        return e.action.type.replace("_", " ")
    if isinstance(e, Trigger | Goal):
        return e.event.on.value.replace("_", " ")
    if isinstance(e, End) and e.exit:
        return "exit"
    return ""


def _node(e: Element, m: AutomationMap) -> NodeBox:
    at = m.layout.get(e.id)
    return NodeBox(
        id=e.id,
        kind=e.kind,
        detail=element_detail(e),
        name=element_name(e),
        named=bool(e.name),
        email=isinstance(e, Action) and isinstance(e.action, SendEmail),
        deliveries=isinstance(e, Action) and isinstance(e.action, Notify | Webhook),
        page_visits=isinstance(e, Trigger) and e.event.on is EventKind.page_visited,
        holds=e.kind in HOLDING_KINDS,
        x=at.x if at else None,
        y=at.y if at else None,
    )


def layout_map(m: AutomationMap) -> Layout:
    """The map's elements and connectors, with the positions the map file gives."""
    placed = sum(e.id in m.layout for e in m.elements)
    engine = "auto" if not placed else "stored" if placed == len(m.elements) else "partial"
    connectors = sorted(m.connectors, key=lambda c: c.label != "yes")  # yes drawn left of no
    return Layout(
        map_id=m.id,
        version=m.version,
        name=m.name or m.id,
        engine=engine,
        nodes=[_node(e, m) for e in m.elements],
        edges=[
            EdgePath(id=c.id, from_=c.from_, to=c.to, label=connector_label(c)) for c in connectors
        ],
    )


@lru_cache(maxsize=64)
def cached_layout(map_json: str) -> Layout:
    """Layout of a map given as its JSON text; the same map version is described once."""
    return layout_map(AutomationMap.model_validate_json(map_json))
