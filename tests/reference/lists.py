"""The contacts behind each count (docs/metrics.md, "From a count to the contacts behind it")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from reference.facts import UTM
from reference.model import Model

Row = tuple[str, datetime | None, Any]
"""(contact, the figure's time, its value)"""

EMAIL = ("sent", "opened", "clicked", "unsubscribed")

DELIVERY = {"queued": "pending", "delivered": "delivered", "pending": "pending", "failed": "failed"}
"""Delivery figures, and the state of the deliveries each lists."""
DELIVERY_FIGURES = {
    "send_email": ("queued", "failed"),
    "notify": ("delivered", "pending", "failed"),
    "webhook": ("delivered", "pending", "failed"),
}
"""The delivery figures each action type that queues deliveries shows."""

EARLIEST = datetime.min.replace(tzinfo=UTC)


def _visits(m: Model, element: str, state: str) -> list[Row]:
    rows = []
    for c in m.visitors(element):
        arrived = m.arrivals[c, element]
        live = m.here_now(c, element)
        if state == "here_now" and live:
            rows.append((c, arrived[-1].at, len(arrived)))
        elif (state == "were_here" and not live) or state == "visitors":
            rows.append((c, arrived[0].at, len(arrived)))
    return rows


def _spend(m: Model, element: str) -> list[Row]:
    return [
        (c, m.first_arrival(c, element).at, m.amount_spent(c, element).quantize(Decimal("0.01")))
        for c in m.visitors(element)
    ]


def _connector(m: Model, connector: str) -> list[Row]:
    return [(c, moves[0].at, len(moves)) for c, moves in m.moved_along(connector).items()]


def _goal(m: Model, goal: str | None, point: str | None = None, entered: bool = False) -> list[Row]:
    rows = []
    for c in m.achievers(goal):
        wins = m.achievements_of(c, goal)
        if point is not None and wins[0].source != point:
            continue
        if entered and wins[0].source is not None:
            continue
        rows.append((c, wins[0].at, len(wins)))
    return rows


def _credited(m: Model, element: str) -> list[Row]:
    goal = m.ask.goal
    assert goal is not None
    rows = []
    for c in m.achievers(goal):
        share = m.credits(c, goal).get(element)
        if share is not None:
            rows.append((c, m.achievements_of(c, goal)[0].at, float(share)))
    return rows


def _to_goal(m: Model, element: str) -> list[Row]:
    assert m.ask.goal is not None
    return [(c, win.at, us / 1_000_000) for c, (win, us) in m.spans_us(element, m.ask.goal).items()]


def _funnel(m: Model, element: str, direct: bool) -> list[Row]:
    rows: list[Row] = []
    k = m.step_of[element]
    for c in m.members:
        matched, straight = m.funnel(c)
        hit = (straight if direct else matched).get(k)
        if hit is not None and hit.element == element:
            rows.append((c, hit.at, None))
    return rows


def _email(m: Model, element: str, event: str) -> list[Row]:
    return [(c, min(times), len(times)) for c, times in m.email_events(element, event).items()]


def _deliveries(m: Model, element: str, state: str) -> list[Row]:
    rows: list[Row] = []
    for c, t in m.delivery_tallies(element).items():
        if state == "delivered" and t.delivered > 0:
            rows.append((c, min(t.delivered_at, default=None), t.delivered))
        elif state == "pending" and t.pending > 0:
            rows.append((c, min(t.waiting_since, default=None), t.pending))
        elif state == "failed" and t.failed > 0:
            rows.append((c, max(t.failures)[0] if t.failures else None, t.failed))
    return rows


def rows(m: Model, figure: str, element: str | None, connector: str | None) -> list[Row]:
    """The figure's contacts with its time and value, in the lists' order (time, then id)."""
    if figure in ("here_now", "were_here", "visitors", "visits"):
        found = _visits(m, element or "", "visitors" if figure == "visits" else figure)
    elif figure == "amount_spent":
        found = _spend(m, element or "")
    elif figure == "contacts":
        found = _connector(m, connector or "")
    elif figure == "achieved":
        found = _goal(m, element)
    elif figure in ("goal_achievers", "achievers"):
        found = _goal(m, m.ask.goal)
    elif figure == "conversion_point" and m.ask.attribution == "last":
        found = _goal(m, m.ask.goal, point=element)
    elif figure == "conversion_point":
        found = _credited(m, element or "")
    elif figure == "entered_at_goal":
        found = _goal(m, m.ask.goal, entered=True)
    elif figure in ("to_goal", "conversion_time_n"):
        found = _to_goal(m, element or "")
    elif figure in ("funnel_count", "entered_directly"):
        found = _funnel(m, element or "", direct=figure == "entered_directly")
    elif figure in DELIVERY:
        found = _deliveries(m, element or "", DELIVERY[figure])
    elif figure in EMAIL:
        found = _email(m, element or "", figure)
    else:
        assert figure == "cohort_size", figure
        found = [(c, at, None) for c, at in m.members.items()]
    return sorted(found, key=lambda r: (r[1] is None, r[1] or EARLIEST, r[0]))


def listed(
    m: Model, figure: str, element: str | None, connector: str | None
) -> list[tuple[Any, ...]]:
    """Full list rows: contact, created at, first-touch UTM, the figure's time and value."""
    out = []
    for contact, at, value in rows(m, figure, element, connector):
        c = m.facts.contacts.get(contact)
        utm = tuple(c.first.get(f) for f in UTM) if c else (None,) * len(UTM)
        out.append((contact, c.created_at if c else None, *utm, at, value))
    return out


def doors(m: Model) -> Iterator[tuple[str, str | None, str | None]]:
    """Every (figure, element, connector) a report of this map and ask shows as a count."""
    goal = m.ask.goal
    for e in m.map.elements:
        for figure in ("here_now", "were_here", "visitors", "visits", "amount_spent"):
            yield figure, e.id, None
        if e.kind == "action" and e.spec["action"]["type"] == "send_email":
            for figure in EMAIL:
                yield figure, e.id, None
        if e.kind == "action":
            for figure in DELIVERY_FIGURES.get(e.spec["action"]["type"], ()):
                yield figure, e.id, None
        if e.kind == "goal":
            yield "achieved", e.id, None
        if goal is not None:
            for figure in ("to_goal", "conversion_time_n", "conversion_point"):
                yield figure, e.id, None
        if e.id in m.step_of:
            yield "funnel_count", e.id, None
            if m.step_of[e.id] > 1:
                yield "entered_directly", e.id, None
    for k in m.map.connectors:
        yield "contacts", None, k.id
    yield "cohort_size", None, None
    yield "achievers", None, None
    if goal is not None:
        yield "goal_achievers", None, None
        yield "entered_at_goal", None, None
