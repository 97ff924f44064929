"""Map layout for the page: element boxes and connector paths, from `dot` or stored positions."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import deque
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from journeymap.model.elements import Action, Element, End, Goal, Trigger
from journeymap.model.map import AutomationMap, Connector

NODE_W = 200.0
"""Width of an element box in page units (points); the page draws shapes inside it."""
NODE_H = 78.0
GAP_X = 70.0
GAP_Y = 64.0
DOT_TIMEOUT_S = 20
LABEL_ROOM = "00,000 · 100.0%"
"""Text dot reserves beside each connector, so figures drawn there have room."""


class NodeBox(BaseModel):
    """Where one element is drawn: its centre and size."""

    id: str
    kind: str
    detail: str
    name: str
    x: float
    y: float
    w: float
    h: float


class EdgePath(BaseModel):
    """One connector: an SVG path, where its label sits, and the label (yes/no, split weight)."""

    id: str
    from_: str
    to: str
    label: str | None
    path: str
    label_x: float
    label_y: float


class Layout(BaseModel):
    """A whole map's drawing: bounds, nodes, connectors, and what laid it out."""

    map_id: str
    version: int
    name: str
    engine: Literal["dot", "stored", "ranks"]
    width: float
    height: float
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


def _box(e: Element, x: float, y: float) -> NodeBox:
    return NodeBox(
        id=e.id, kind=e.kind, detail=element_detail(e), name=e.label, x=x, y=y, w=NODE_W, h=NODE_H
    )


def layout_map(m: AutomationMap) -> Layout:
    """Stored positions when the map fixes every element, else `dot`, else ranks by depth."""
    if m.elements and all(e.id in m.layout for e in m.elements):
        centres = {e.id: (m.layout[e.id].x, m.layout[e.id].y) for e in m.elements}
        return _straight(m, centres, "stored")
    if shutil.which("dot"):
        try:
            return _dot_layout(m)
        except (subprocess.SubprocessError, OSError, ValueError, KeyError):
            pass  # a dot that fails still leaves the map drawable by ranks
    return _straight(m, _ranks(m), "ranks")


@lru_cache(maxsize=64)
def cached_layout(map_json: str) -> Layout:
    """Layout of a map given as its JSON text; the same map version is laid out once."""
    return layout_map(AutomationMap.model_validate_json(map_json))


# --- Graphviz ---------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_source(m: AutomationMap) -> str:
    """The map as a dot graph: fixed-size boxes, a label placeholder on every connector."""
    lines = [
        "digraph map {",
        "  rankdir=TB; nodesep=0.5; ranksep=0.4; splines=spline;",
        f"  node [shape=box fixedsize=true width={NODE_W / 72:.3f} height={NODE_H / 72:.3f}];",
        '  edge [fontsize=11 fontname="DejaVu Sans"];',
    ]
    for i, e in enumerate(m.elements):
        lines.append(f"  n{i} [id={_quote(e.id)}];")
    index = {e.id: i for i, e in enumerate(m.elements)}
    for c in m.connectors:
        label = connector_label(c)
        room = f"{label.upper()} · {LABEL_ROOM}" if label else LABEL_ROOM
        lines.append(f'  n{index[c.from_]} -> n{index[c.to]} [id={_quote(c.id)} label="{room}"];')
    lines.append("}")
    return "\n".join(lines)


def _dot_layout(m: AutomationMap) -> Layout:
    done = subprocess.run(
        ["dot", "-Tjson"],  # noqa: S607 - Graphviz from the system path, as documented
        input=dot_source(m),
        capture_output=True,
        text=True,
        check=True,
        timeout=DOT_TIMEOUT_S,
    )
    data: dict[str, Any] = json.loads(done.stdout)
    _x0, _y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    pad = 12.0

    def pt(text: str) -> tuple[float, float]:
        x, y = (float(v) for v in text.split(","))
        return x + pad, y1 - y + pad  # dot's y grows upwards, the page's downwards

    nodes = []
    by_gvid: dict[int, str] = {}
    elements = {e.id: e for e in m.elements}
    for obj in data.get("objects", []):
        element = elements[obj["id"]]
        by_gvid[int(obj["_gvid"])] = element.id
        x, y = pt(obj["pos"])
        nodes.append(_box(element, x, y))
    connectors = {c.id: c for c in m.connectors}
    edges = []
    for edge in data.get("edges", []):
        c = connectors[edge["id"]]
        lx, ly = pt(edge["lp"])
        edges.append(
            EdgePath(
                id=c.id,
                from_=c.from_,
                to=c.to,
                label=connector_label(c),
                path=_spline_path(edge["pos"], pt),
                label_x=lx,
                label_y=ly,
            )
        )
    return Layout(
        map_id=m.id,
        version=m.version,
        name=m.name or m.id,
        engine="dot",
        width=x1 + 2 * pad,
        height=y1 + 2 * pad,
        nodes=nodes,
        edges=edges,
    )


def _spline_path(pos: str, pt: Any) -> str:
    """dot's `e,x,y p0 p1 p2 p3 ...` b-spline as an SVG path ending at the arrow tip."""
    parts = pos.split()
    end = None
    if parts[0].startswith("e,"):
        end = pt(parts.pop(0)[2:])
    if parts[0].startswith("s,"):
        parts.pop(0)
    points = [pt(p) for p in parts]
    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for i in range(1, len(points) - 2, 3):
        a, b, c = points[i : i + 3]
        d.append(f"C{a[0]:.1f},{a[1]:.1f} {b[0]:.1f},{b[1]:.1f} {c[0]:.1f},{c[1]:.1f}")
    if end is not None:
        d.append(f"L{end[0]:.1f},{end[1]:.1f}")
    return " ".join(d)


# --- without dot ------------------------------------------------------------------------------


def _ranks(m: AutomationMap) -> dict[str, tuple[float, float]]:
    """Centres by breadth-first depth from the entry doors, side by side within a depth."""
    depth: dict[str, int] = {}
    doors = [e.id for e in m.elements if not m.incoming.get(e.id)] or [m.elements[0].id]
    todo = deque((d, 0) for d in doors)
    while todo:
        eid, d = todo.popleft()
        if eid in depth:
            continue
        depth[eid] = d
        todo.extend((c.to, d + 1) for c in m.outgoing.get(eid, []))
    last = max(depth.values(), default=0)
    for e in m.elements:
        if e.id not in depth:  # unreachable elements sit in a row of their own at the bottom
            depth[e.id] = last + 1
    rows: dict[int, list[str]] = {}
    for e in m.elements:
        rows.setdefault(depth[e.id], []).append(e.id)
    widest = max(len(r) for r in rows.values())
    centres = {}
    for d, ids in rows.items():
        offset = (widest - len(ids)) * (NODE_W + GAP_X) / 2
        for i, eid in enumerate(ids):
            centres[eid] = (offset + i * (NODE_W + GAP_X), d * (NODE_H + GAP_Y))
    return centres


def _straight(
    m: AutomationMap, centres: dict[str, tuple[float, float]], engine: Literal["stored", "ranks"]
) -> Layout:
    """Boxes at the given centres, connectors as straight lines between box edges."""
    min_x = min(x for x, _ in centres.values()) - NODE_W / 2 - 12
    min_y = min(y for _, y in centres.values()) - NODE_H / 2 - 12
    at = {k: (x - min_x, y - min_y) for k, (x, y) in centres.items()}
    nodes = [_box(e, *at[e.id]) for e in m.elements]
    edges = []
    for c in m.connectors:
        (ax, ay), (bx, by) = at[c.from_], at[c.to]
        sx, sy = _rim(ax, ay, bx, by)
        ex, ey = _rim(bx, by, ax, ay)
        edges.append(
            EdgePath(
                id=c.id,
                from_=c.from_,
                to=c.to,
                label=connector_label(c),
                path=f"M{sx:.1f},{sy:.1f} L{ex:.1f},{ey:.1f}",
                label_x=(sx + ex) / 2,
                label_y=(sy + ey) / 2,
            )
        )
    return Layout(
        map_id=m.id,
        version=m.version,
        name=m.name or m.id,
        engine=engine,
        width=max(x for x, _ in at.values()) + NODE_W / 2 + 12,
        height=max(y for _, y in at.values()) + NODE_H / 2 + 12,
        nodes=nodes,
        edges=edges,
    )


def _rim(x: float, y: float, tx: float, ty: float) -> tuple[float, float]:
    """Where the line from a box's centre towards (tx, ty) leaves the box."""
    dx, dy = tx - x, ty - y
    if dx == 0 and dy == 0:
        return x, y
    scale = min(
        (NODE_W / 2) / abs(dx) if dx else float("inf"),
        (NODE_H / 2) / abs(dy) if dy else float("inf"),
    )
    return x + dx * scale, y + dy * scale
