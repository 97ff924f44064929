"""On random traffic and filters, every count a report shows is the length of its contact list."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.reports import ReportResult
from test_engine_support import T0, action, build_map, end, goal, kind, trigger, wait
from test_reports_support import SEND

CONTACTS = ("c0", "c1", "c2", "c3", "c4")
SOURCES = (None, "google", "facebook", "")

MAP = build_map(
    "pm",
    [
        trigger("t1", reentry="always"),
        trigger("t2", on="tag_added", tag="vip"),
        action("mail", "send_email", **SEND),
        kind("cond", "condition", rule={"tag": "vip", "op": "has"}),
        wait("w", duration="PT60M"),
        goal("g1"),
        goal("g2", on="form_submitted", form="demo"),
        kind("f", "fork"),
        end("e1"),
        end("x", exit=True),
        end("e2"),
    ],
    [
        ("k1", "t1", "mail"),
        ("k2", "mail", "cond"),
        ("k3", "cond", "w", {"label": "yes"}),
        ("k4", "cond", "g2", {"label": "no"}),
        ("k5", "t2", "w"),
        ("k6", "w", "g1"),
        ("k7", "g1", "f"),
        ("k8", "f", "e1"),
        ("k9", "f", "x"),
        ("k10", "g2", "e2"),
    ],
)

EMAIL = {"open": "email_opened", "click": "email_clicked", "unsub": "email_unsubscribed"}

op = st.tuples(
    st.sampled_from([0, 0, 20, 45, 90, 600]),
    st.sampled_from(
        ["signup", "signup", "demo", "buy", "refund", "vip", "open", "click", "unsub", "tick"]
    ),
    st.sampled_from(CONTACTS),
    st.sampled_from(SOURCES),
)


def _apply(jm: journeymap.Journeymap, ops: list[tuple[int, str, str, str | None]]) -> None:
    minutes = 0
    for step, what, contact, source in ops:
        minutes += step
        when = T0 + timedelta(minutes=minutes)
        utm = {"source": source} if source is not None else {}
        if what == "tick":
            jm.tick(when)
        elif what in ("signup", "demo"):
            jm.track(Event("form_submitted", contact, when, form=what, utm=utm))
        elif what in ("buy", "refund"):
            amount = Decimal("12.50") if what == "buy" else Decimal("-4.25")
            jm.track(Event("purchase", contact, when, amount=amount))
        elif what == "vip":
            jm.track(Event("tag_added", contact, when, tag="vip"))
        else:
            kind_ = {
                "open": "email_opened",
                "click": "email_clicked",
                "unsub": "email_unsubscribed",
            }
            jm.track(Event(kind_[what], contact, when, map_id="pm", element_id="mail"))


def _listed(jm: journeymap.Journeymap, figure: str, f: dict[str, Any], **on: Any) -> list[Any]:
    page = jm.contacts("pm", figure=figure, limit=None, **on, **f)
    assert page.total == len(page.rows)
    assert len({r.contact_id for r in page.rows}) == len(page.rows)
    return page.rows


def _sum(rows: list[Any]) -> Any:
    return sum((r.value for r in rows), start=0)


def _check(jm: journeymap.Journeymap, f: dict[str, Any]) -> None:
    def report(name: str, **kw: Any) -> ReportResult:
        return jm.report(name, map_id="pm", **{**f, **kw})

    flow = report("contact-flow")
    assert len(_listed(jm, "cohort_size", f)) == flow.cohort_size
    for e in flow.elements:
        assert len(_listed(jm, "here_now", f, element=e.id)) == e.here_now
        assert len(_listed(jm, "were_here", f, element=e.id)) == e.were_here
        visitors = _listed(jm, "visits", f, element=e.id)
        assert (len(visitors), _sum(visitors)) == (e.visitors, e.visits)
    for c in flow.connectors:
        assert len(_listed(jm, "contacts", f, connector=c.id)) == c.contacts
    mail = flow.element("mail")
    assert _sum(_listed(jm, "sent", f, element="mail")) == mail.sent
    for name in ("opened", "clicked", "unsubscribed"):
        assert len(_listed(jm, name, f, element="mail")) == getattr(mail, name)
    ltv = report("lifetime-value")
    for e in ltv.elements:
        spent = _listed(jm, "amount_spent", f, element=e.id)
        assert (len(spent), _sum(spent)) == (e.visitors, e.amount_spent)
    rate = report("goal-conversion-rate")
    for g in ("g1", "g2"):
        assert len(_listed(jm, "achieved", f, element=g)) == rate.element(g).achieved
    funnel = report("funnel-conversion")
    reached: dict[int, int] = {}
    for step in funnel.options["steps"]:
        stats = funnel.element(step)
        listed = len(_listed(jm, "funnel_count", f, element=step))
        assert listed == stats.funnel_count
        reached[stats.funnel_step or 0] = reached.get(stats.funnel_step or 0, 0) + listed
        if (stats.funnel_step or 0) > 1:
            assert len(_listed(jm, "entered_directly", f, element=step)) == stats.entered_directly
    assert [s["count"] for s in funnel.totals["funnel"]] == [reached[k] for k in sorted(reached)]
    if f.get("goal") is None:
        return
    point = report("goal-conversion-point")
    totals = point.as_dict()
    assert len(_listed(jm, "goal_achievers", f)) == totals["goal_achievers"]
    assert len(_listed(jm, "entered_at_goal", f)) == totals["entered_at_goal"]
    paths = report("goal-conversion-rate")
    for e in point.elements:
        assert len(_listed(jm, "conversion_point", f, element=e.id)) == e.conversion_point
        to_goal = _listed(jm, "to_goal", f, element=e.id)
        assert len(to_goal) == paths.element(e.id).to_goal
        assert len(_listed(jm, "conversion_time_n", f, element=e.id)) == len(to_goal)


def _check_roi(jm: journeymap.Journeymap, f: dict[str, Any]) -> None:
    """Each ROI row's contacts and achievers are the lists of its UTM value."""
    base = {k: v for k, v in f.items() if k not in ("utm", "last_touch", "after_arrival")}
    for row in jm.report("roi", map_id="pm", by="source", **base).as_dict()["rows"]:
        only = {**base, "utm": {"source": row["utm_value"]}}
        assert len(_listed(jm, "cohort_size", only)) == row["contacts"]
        assert len(_listed(jm, "achievers", only)) == row["achievers"]


filters = st.fixed_dictionaries(
    {
        "goal": st.sampled_from([None, "g1", "g2"]),
        "date_range": st.sampled_from(
            [None, ("2026-01-05", "2026-01-05"), ("2026-01-06", None), (None, "2026-01-05")]
        ),
        "tz": st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
        "utm": st.sampled_from([None, {"source": "google"}, {"source": "(none)"}]),
        "last_touch": st.booleans(),
        "after_arrival": st.booleans(),
    }
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(op, min_size=1, max_size=16), f=filters)
def test_every_count_is_the_length_of_its_list(
    ops: list[tuple[int, str, str, str | None]], f: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        jm = journeymap.open(Path(tmp) / "p.duckdb", clock=ManualClock(T0))
        try:
            jm.add_map(MAP)
            _apply(jm, ops)
            _check(jm, f)
            _check_roi(jm, f)
        finally:
            jm.close()
