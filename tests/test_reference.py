"""Every report and every drill-down list agree exactly with the plain-Python model of
docs/metrics.md (tests/reference/) on random maps, traffic and filters: dates with time zones,
first-touch UTM with "(none)", several fields, last touch, goals, funnel steps, after arrival."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.map import AutomationMap
from reference import Ask, Model, doors, listed, read, report
from test_engine_support import T0
from test_import_support import write
from test_live_positions import histories
from test_reports_properties import maps

UTMS: list[dict[str, str]] = [
    {},
    {"source": "google"},
    {"source": "google", "medium": "cpc"},
    {"source": "facebook", "medium": "social", "campaign": "spring"},
    {"source": ""},
    {"medium": "email"},
]
"""UTM values events carry (the first one a contact brings is its first touch)."""

URLS = ["https://x.test/pricing", "https://x.test/blog/a", "https://x.test/pricing?plan=pro"]
AMOUNTS = ["25", "12.34", "0.01", "-5", "99.99"]
MINUTES = [0, 1, 7, 30, 600, 60 * 24, 60 * 24 * 3]

Op = tuple[str, int, int, int]
"""(what, contact number, minutes since the one before, a choice among the what's variants)"""

ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["form", "form", "buy", "vip", "page", "open", "click", "unsub", "tick", "tick"]
        ),
        st.integers(0, 5),
        st.sampled_from(MINUTES),
        st.integers(0, 99),
    ),
    min_size=1,
    max_size=35,
)

costs = st.lists(
    st.tuples(
        st.sampled_from([("source", "google"), ("source", "newsletter"), ("medium", "cpc")]),
        st.integers(-3, 5),
        st.integers(0, 40),
        st.sampled_from(["310.00", "28.00", "0.07", "100.00"]),
    ),
    max_size=3,
)


def _play(jm: journeymap.Journeymap, m: AutomationMap, steps: list[Op]) -> None:
    emails = [e.id for e in m.elements if e.kind == "action" and e.action.type == "send_email"]
    now = T0
    for what, who, minutes, pick in steps:
        now += timedelta(minutes=minutes)
        contact = f"c{who}"
        utm = UTMS[pick % len(UTMS)]
        if what == "form":
            jm.track(Event("form_submitted", contact, now, form="signup", utm=utm))
        elif what == "buy":
            amount = Decimal(AMOUNTS[pick % len(AMOUNTS)])
            jm.track(Event("purchase", contact, now, amount=amount, product=f"p{pick % 2}"))
        elif what == "vip":
            jm.track(Event("tag_added", contact, now, tag="vip"))
        elif what == "page":
            known = pick % 3 != 0  # a third of the visits are anonymous
            jm.track(
                Event(
                    "page_visited",
                    contact if known else None,
                    now,
                    url=URLS[pick % len(URLS)],
                    visitor_id=f"v{who}",
                    utm=utm,
                )
            )
        elif what in ("open", "click", "unsub") and emails:
            kind = {"open": "email_opened", "click": "email_clicked", "unsub": "email_unsubscribed"}
            element = emails[pick % len(emails)]
            jm.track(Event(kind[what], contact, now, map_id=m.id, element_id=element))
        else:
            jm.tick(now)


@st.composite
def asks(draw: st.DrawFn, m: AutomationMap) -> Ask:
    """A report's filters and options on map m."""
    goals = [e.id for e in m.elements if e.kind == "goal"]
    triggers = [e.id for e in m.elements if e.kind == "trigger"]
    start = draw(st.none() | st.integers(-1, 4).map(lambda d: T0.date() + timedelta(days=d)))
    end = draw(st.none() | st.integers(0, 3))
    date_to = None if end is None else (start or T0.date()) + timedelta(days=end)
    steps = None
    if goals and draw(st.booleans()):
        picks = draw(
            st.lists(st.sampled_from(triggers + goals), min_size=2, max_size=4, unique=True)
        )
        if any(p in goals for p in picks):
            steps = tuple(picks)
    return Ask(
        m.id,
        goal=draw(st.none() | st.sampled_from(goals)) if goals else None,
        date_from=start,
        date_to=date_to,
        tz=draw(st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris"])),
        utm=draw(
            st.sampled_from(
                [
                    {},
                    {"source": "google"},
                    {"source": "(none)"},
                    {"source": "google", "medium": "cpc"},
                    {"medium": "(none)", "source": "facebook"},
                    {"campaign": "spring"},
                ]
            )
        ),
        last_touch=draw(st.booleans()),
        steps=steps,
        after_arrival=draw(st.booleans()),
        by=draw(st.none() | st.sampled_from(["source", "medium", "campaign", "content"])),
        attribution=draw(st.sampled_from(["last", "first", "linear", "time-decay"])),
        half_life_days=draw(st.sampled_from([Fraction(1, 96), Fraction(1, 2), Fraction(1), 7])),
    )


def _kwargs(ask: Ask) -> dict[str, Any]:
    return {
        "goal": ask.goal,
        "date_range": (ask.date_from, ask.date_to),
        "tz": ask.tz,
        "utm": ask.utm,
        "last_touch": ask.last_touch,
        "steps": ask.steps,
        "after_arrival": ask.after_arrival,
        "attribution": ask.attribution,
        "half_life_days": float(ask.half_life_days),
    }


def _reports(ask: Ask) -> list[str]:
    names = ["contact-flow", "funnel-conversion", "lifetime-value", "goal-conversion-rate", "roi"]
    return names + (["goal-conversion-point", "goal-conversion-time"] if ask.goal else [])


def _check_reports(jm: journeymap.Journeymap, model: Model) -> None:
    ask = model.ask
    for name in _reports(ask):
        extra = {"by": ask.by} if name == "roi" else {}
        got = jm.report(name, map_id=ask.map_id, **_kwargs(ask), **extra).as_dict()
        got.pop("computed_at")
        assert got == report(model, name), (name, ask)


def _check_lists(jm: journeymap.Journeymap, model: Model) -> None:
    ask = model.ask
    for figure, element, connector in doors(model):
        page = jm.contacts(
            ask.map_id,
            figure=figure,
            element=element,
            connector=connector,
            limit=None,
            **_kwargs(ask),
        )
        got = [
            (
                r.contact_id,
                r.created_at,
                r.first_utm_source,
                r.first_utm_medium,
                r.first_utm_campaign,
                r.first_utm_content,
                r.first_utm_term,
                r.at,
                r.value,
            )
            for r in page.rows
        ]
        assert page.total == len(got)
        assert got == listed(model, figure, element, connector), (figure, element, connector, ask)


def _add_costs(jm: journeymap.Journeymap, drawn: list[tuple[Any, ...]]) -> None:
    for (field, value), start, days, amount in drawn:
        first = T0.date() + timedelta(days=start)
        jm.add_marketing_cost(field, value, first, first + timedelta(days=days), amount)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), m=maps(), steps=ops, spend=costs)
def test_reports_and_lists_match_the_model_on_engine_traffic(
    data: st.DataObject, m: AutomationMap, steps: list[Op], spend: list[tuple[Any, ...]]
) -> None:
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        _play(jm, m, steps)
        _add_costs(jm, spend)
        jm.engine.flush()
        facts = read(jm.store._con)  # type: ignore[attr-defined]
        first = Model(facts, data.draw(asks(m)))
        _check_reports(jm, first)
        _check_lists(jm, first)
        for ask in data.draw(st.lists(asks(m), min_size=1, max_size=2)):
            _check_reports(jm, Model(facts, ask))
        jm.store.rebuild_summaries()
        _check_reports(jm, first)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), m=maps())
def test_reports_and_lists_match_the_model_on_imported_history(
    data: st.DataObject, m: AutomationMap
) -> None:
    rows = data.draw(histories(m))
    buys = [
        {"contact_id": r["contact_id"], "occurred_at": r["entered_at"], "amount": "10.50"}
        for r in rows[::3]
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jm = journeymap.open(folder / "i.duckdb", clock=ManualClock(T0))
        try:
            jm.add_map(m)
            jm.import_files([write(folder / "visits.csv", rows)], map_id=m.id)
            jm.import_files([write(folder / "purchases.csv", buys)])
            facts = read(jm.store._con)  # type: ignore[attr-defined]
            ask = data.draw(asks(m))
            model = Model(facts, ask)
            _check_reports(jm, model)
            _check_lists(jm, model)
        finally:
            jm.close()


def test_the_model_reads_the_documented_example() -> None:
    """The model gives docs/metrics.md's worked figures from the same facts as the product."""
    from test_drilldown import scenario

    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        scenario(jm)
        facts = read(jm.store._con)  # type: ignore[attr-defined]
        flow = report(Model(facts, Ask("dd")), "contact-flow")
        w = next(e for e in flow["elements"] if e["id"] == "w")
        assert (w["were_here"], w["here_now"], w["visits"]) == (1, 2, 4)
        tokyo = Model(facts, Ask("dd", date_to=date(2026, 1, 5), tz="Asia/Tokyo"))
        assert sorted(tokyo.members) == ["a", "b", "c"]
        time = report(Model(facts, Ask("dd", goal="g")), "goal-conversion-time")
        t = next(e for e in time["elements"] if e["id"] == "t")
        assert (t["conversion_time_mean_s"], t["conversion_time_n"]) == (600.0, 1)
