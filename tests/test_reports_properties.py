"""Report invariants over random maps and traffic, Contact Flow computed a second way in plain
Python over the stored rows, and summaries kept incrementally equal to summaries rebuilt."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.map import AutomationMap
from journeymap.reports import ReportResult
from test_engine_support import T0, action, build_map, buy, end, form, goal, kind, trigger, wait
from test_reports_support import SEND

Edge = tuple[str, str, str, dict[str, Any]]


@st.composite
def maps(draw: st.DrawFn) -> AutomationMap:
    """A valid random map: one or two triggers, each leading into a random tree of elements."""
    elements: list[dict[str, Any]] = []
    edges: list[Edge] = []
    ids = itertools.count()

    def link(src: str, dst: str, **extra: Any) -> None:
        edges.append((f"k{next(ids)}", src, dst, extra))

    def build(depth: int) -> str:
        kinds = (
            ["end"] if depth == 0 else ["end", "action", "wait", "goal", "cond", "split", "fork"]
        )
        k = draw(st.sampled_from(kinds))
        eid = f"{k}{next(ids)}"
        if k == "end":
            elements.append(end(eid, exit=draw(st.booleans())))
        elif k == "action":
            if draw(st.booleans()):
                elements.append(action(eid, "send_email", **SEND))
            else:
                elements.append(action(eid, "add_tag", tag="vip"))
            link(eid, build(depth - 1))
        elif k == "wait":
            elements.append(wait(eid, duration=draw(st.sampled_from(["PT1H", "P1D"]))))
            link(eid, build(depth - 1))
        elif k == "goal":
            on = draw(st.sampled_from(["purchase", "tag_added"]))
            elements.append(goal(eid, on=on, **({"tag": "vip"} if on == "tag_added" else {})))
            if draw(st.booleans()):
                link(eid, build(depth - 1))
        elif k == "cond":
            elements.append(kind(eid, "condition", rule={"tag": "vip", "op": "has"}))
            link(eid, build(depth - 1), label="yes")
            link(eid, build(depth - 1), label="no")
        else:
            elements.append(kind(eid, k))
            weights = draw(st.sampled_from([(50, 50), (30, 70)])) if k == "split" else (0, 0)
            for w in weights:
                link(eid, build(depth - 1), **({"weight": w} if k == "split" else {}))
        return eid

    elements.append(trigger("t0", reentry=draw(st.sampled_from(["always", "not_while_on_map"]))))
    link("t0", build(4))
    if draw(st.booleans()):
        elements.append(trigger("t1", on="purchase"))
        link("t1", build(3))
    if draw(st.booleans()):
        reentry = draw(st.sampled_from(["always", "once", "not_while_on_map"]))
        elements.append(trigger("t2", on="page_visited", url_pattern="*pricing*", reentry=reentry))
        link("t2", build(2))
    return build_map("rand", elements, [(c, s, d, x) for c, s, d, x in edges])


Step = tuple[str, int, int]
traffic = st.lists(
    st.tuples(
        st.sampled_from(["form", "form_utm", "buy", "refund", "vip", "tick", "open"]),
        st.integers(0, 4),
        st.integers(0, 900),
    ),
    min_size=1,
    max_size=30,
)


def _play(jm: journeymap.Journeymap, m: AutomationMap, steps: list[Step]) -> None:
    emails = [e.id for e in m.elements if e.kind == "action" and e.action.type == "send_email"]
    now = T0
    for what, who, minutes in steps:
        now += timedelta(minutes=minutes)
        contact = f"c{who}"
        if what == "form":
            jm.track(form(contact, now))
        elif what == "form_utm":
            jm.track(form(contact, now, utm={"source": "google"}))
        elif what == "buy":
            jm.track(buy(contact, now, "25"))
        elif what == "refund":
            jm.track(buy(contact, now, "-5"))
        elif what == "vip":
            jm.track(Event("tag_added", contact, now, tag="vip"))
        elif what == "open" and emails:
            jm.track(Event("email_opened", contact, now, map_id=m.id, element_id=emails[0]))
        else:
            jm.tick(now)


def _reference_flow(
    jm: journeymap.Journeymap,
    m: AutomationMap,
    utm_source: str | None,
    day: date | None,
    *,
    until: date | None = None,
    tz: str = "UTC",
) -> dict[str, Any]:
    """Contact Flow in plain Python over the stored transitions, email events and contacts: the
    cohort entered from `day` to `until` (default: `day`), both whole, as dates in `tz`."""
    moves = jm.store.query("engine_transitions", {"map_id": m.id, "contact_id": None})
    entered: dict[str, datetime] = {}
    for r in moves:
        if r["kind"] == "enter":
            entered.setdefault(r["contact_id"], r["occurred_at"])
    cohort = set()
    for contact, when in entered.items():
        source = jm.store.query("contact", {"contact_id": contact})[0]["first_utm_source"]
        if utm_source is not None and (source or "(none)") != utm_source:
            continue
        if day is not None and not day <= when.astimezone(ZoneInfo(tz)).date() <= (until or day):
            continue
        cohort.add(contact)
    arrived: dict[tuple[str, str], int] = {}
    left: dict[tuple[str, str], int] = {}
    visits: dict[str, int] = defaultdict(int)
    on_connector: dict[str, set[str]] = defaultdict(set)
    left_by_connector: dict[str, set[str]] = defaultdict(set)
    for r in moves:
        c = r["contact_id"]
        if c not in cohort:
            continue
        if r["to_element"] is not None:
            arrived[c, r["to_element"]] = r["seq"]
            visits[r["to_element"]] += 1
        if r["from_element"] is not None:
            left[c, r["from_element"]] = r["seq"]
            if r["connector_id"] is not None:
                left_by_connector[r["from_element"]].add(c)
        if r["connector_id"] is not None:
            on_connector[r["connector_id"]].add(c)
    elements = {}
    for e in m.elements:
        visitors = [c for (c, el) in arrived if el == e.id]
        # a move from an element to itself arrives as it leaves: the contact stays
        now = [c for c in visitors if arrived[c, e.id] >= left.get((c, e.id), -1)]
        elements[e.id] = (len(visitors) - len(now), len(now), visits[e.id])
    connectors = {}
    for k in m.connectors:
        n = len(on_connector[k.id])
        out = len(left_by_connector[k.from_])
        connectors[k.id] = (n, n / out if out else None)
    sent: dict[str, int] = defaultdict(int)
    opened: dict[str, set[str]] = defaultdict(set)
    for r in jm.store.query("engine_email_events"):
        if r["map_id"] == m.id and r["contact_id"] in cohort:
            if r["event"] == "sent":
                sent[r["element_id"]] += 1
            elif r["event"] == "opened":
                opened[r["element_id"]].add(r["contact_id"])
    emails = {
        e.id: (sent[e.id], len(opened[e.id]))
        for e in m.elements
        if e.kind == "action" and e.action.type == "send_email"
    }
    return {"size": len(cohort), "elements": elements, "connectors": connectors, "emails": emails}


def _flow_of(r: ReportResult) -> dict[str, Any]:
    return {
        "size": r.cohort_size,
        "elements": {e.id: (e.were_here, e.here_now, e.visits) for e in r.elements},
        "connectors": {c.id: (c.contacts, c.share) for c in r.connectors},
        "emails": {e.id: (e.sent, e.opened) for e in r.elements if e.sent is not None},
    }


def _check_invariants(jm: journeymap.Journeymap, m: AutomationMap, **filters: Any) -> None:
    flow = jm.report("contact-flow", map_id=m.id, **filters)
    visitors = {e.id: e.visitors for e in flow.elements}
    for c in flow.connectors:
        assert c.contacts <= visitors[c.from_]
        assert c.share is None or 0 <= c.share <= 1
    for e in flow.elements:
        assert e.visits >= e.visitors >= 0
    funnel = jm.report("funnel-conversion", map_id=m.id, **filters)
    counts = [step["count"] for step in funnel.totals["funnel"]]
    assert all(a >= b for a, b in itertools.pairwise(counts))
    for step in funnel.totals["funnel"]:
        on_elements = sum(funnel.element(e).funnel_count or 0 for e in step["elements"])
        assert on_elements == step["count"]
    rates = jm.report("goal-conversion-rate", map_id=m.id, **filters)
    for g in (e for e in m.elements if e.kind == "goal"):
        achieved = rates.element(g.id).achieved or 0
        assert achieved <= rates.cohort_size
        point = jm.report("goal-conversion-point", map_id=m.id, goal=g.id, **filters)
        data = point.as_dict()
        assert sum(e.conversion_point or 0 for e in point.elements) + data["entered_at_goal"] == (
            achieved
        )
        assert data["goal_achievers"] == achieved
        to_goal = jm.report("goal-conversion-rate", map_id=m.id, goal=g.id, **filters)
        times = jm.report("goal-conversion-time", map_id=m.id, goal=g.id, **filters)
        for e in to_goal.elements:
            assert (e.to_goal or 0) <= e.visitors
            assert times.element(e.id).conversion_time_n == e.to_goal
    ltv = jm.report("lifetime-value", map_id=m.id, **filters)
    for e in ltv.elements:
        assert (e.amount_spent == 0) if e.visitors == 0 else (e.average_spent is not None)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(m=maps(), steps=traffic)
def test_reports_hold_their_invariants_and_match_plain_python(
    m: AutomationMap, steps: list[Step]
) -> None:
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        _play(jm, m, steps)
        for utm, day in [(None, None), ("google", None), ("(none)", None), (None, T0.date())]:
            filters: dict[str, Any] = {}
            if utm is not None:
                filters["utm"] = {"source": utm}
            if day is not None:
                filters["date_range"] = (day, day)
            assert _flow_of(jm.report("contact-flow", map_id=m.id, **filters)) == (
                _reference_flow(jm, m, utm, day)
            )
            _check_invariants(jm, m, **filters)
        incremental = jm.store.query("summary_snapshot")
        jm.store.rebuild_summaries()
        assert jm.store.query("summary_snapshot") == incremental
