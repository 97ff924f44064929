"""Cohort trends: any figure of any report by week or month of first entry, with each period's
contacts listed by the same figure's drill-down over that period's days."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.reports import ReportInvalid
from test_engine_support import add, at, buy, end, form, goal, trigger, wait


def _add_map(jm: journeymap.Journeymap) -> None:
    """Map tr: t -> w (1 hour) -> g (purchase) -> e."""
    add(
        jm,
        "tr",
        [trigger("t"), wait("w", duration="PT1H"), goal("g"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "e")],
    )


@pytest.fixture
def weeks() -> journeymap.Journeymap:
    """t -> w (1 hour) -> g (purchase) -> e. T0 is Monday 2026-01-05 (ISO week 2).

    Week 2: a (Monday) buys, b (Tuesday) does not. Week 3: c and d (Monday and Tuesday) buy.
    Week 5: e signs up on Monday 2026-01-26 and does not buy. Week 4 has nobody."""
    jm = journeymap.open(":memory:", clock=ManualClock(at(days=40)))
    _add_map(jm)
    for contact, day in (("a", 0), ("b", 1), ("c", 7), ("d", 8), ("e", 21)):
        jm.track(form(contact, at(days=day)))
    for contact, day in (("a", 0), ("c", 7), ("d", 9)):
        jm.track(buy(contact, at(days=day, minutes=30)))
    jm.tick(at(days=40))
    return jm


def test_a_goal_figure_by_week_and_by_month(weeks: journeymap.Journeymap) -> None:
    t = weeks.trend("goal-conversion-rate", map_id="tr", figure="conversion_rate", element="g")
    assert t.overall == 3 / 5
    assert [r.as_dict() for r in t.rows] == [
        {
            "period": "2026-W02",
            "from": "2026-01-05",
            "to": "2026-01-11",
            "cohort_size": 2,
            "value": 0.5,
        },
        {
            "period": "2026-W03",
            "from": "2026-01-12",
            "to": "2026-01-18",
            "cohort_size": 2,
            "value": 1.0,
        },
        {
            "period": "2026-W04",
            "from": "2026-01-19",
            "to": "2026-01-25",
            "cohort_size": 0,
            "value": None,
        },
        {
            "period": "2026-W05",
            "from": "2026-01-26",
            "to": "2026-02-01",
            "cohort_size": 1,
            "value": 0.0,
        },
    ]
    months = weeks.trend(
        "goal-conversion-rate", map_id="tr", figure="achieved", element="g", period="month"
    )
    assert [(r.period, r.cohort_size, r.value) for r in months.rows] == [("2026-01", 5, 3)]
    assert months.to_csv() == (
        "period,from,to,cohort_size,value\n2026-01,2026-01-01,2026-01-31,5,3\n"
    )


def test_connector_and_map_figures_and_the_date_filter(weeks: journeymap.Journeymap) -> None:
    moved = weeks.trend("contact-flow", map_id="tr", figure="contacts", connector="c2")
    # the scheduler runs once, on day 40: a, c and d were still on the wait when they bought
    # (pulled to g, not along c2); b and e moved along c2 at that tick
    assert [(r.period, r.value) for r in moved.rows] == [
        ("2026-W02", 1),
        ("2026-W03", 0),
        ("2026-W04", 0),
        ("2026-W05", 1),
    ]
    achievers = weeks.trend(
        "goal-conversion-point",
        map_id="tr",
        figure="goal_achievers",
        goal="g",
        date_range=("2026-01-06", "2026-01-13"),
    )
    # the range clips the first and last weeks: b (Tuesday 6th), then c and d (12th, 13th)
    assert [(r.period, r.date_from, r.date_to, r.cohort_size, r.value) for r in achievers.rows] == [
        ("2026-W02", date(2026, 1, 6), date(2026, 1, 11), 1, 0),
        ("2026-W03", date(2026, 1, 12), date(2026, 1, 13), 2, 2),
    ]


def test_each_period_lists_its_contacts(weeks: journeymap.Journeymap) -> None:
    t = weeks.trend("goal-conversion-rate", map_id="tr", figure="achieved", element="g")
    listed = [
        [
            r.contact_id
            for r in weeks.contacts(
                "tr", figure="achieved", element="g", date_range=(row.date_from, row.date_to)
            ).rows
        ]
        for row in t.rows
    ]
    assert listed == [["a"], ["c", "d"], [], []]
    assert [row.value for row in t.rows] == [1, 2, 0, 0]


def test_a_figure_the_report_does_not_show_is_named(weeks: journeymap.Journeymap) -> None:
    with pytest.raises(ReportInvalid) as no:
        weeks.trend("contact-flow", map_id="tr", figure="achieved", element="g")
    assert (no.value.code, no.value.field) == ("unknown_figure", "figure")
    with pytest.raises(ReportInvalid) as bad:
        weeks.trend("contact-flow", map_id="tr", figure="here_now", element="g", period="day")
    assert (bad.value.code, bad.value.field) == ("bad_parameter", "period")
    with pytest.raises(ReportInvalid) as ghost:
        weeks.trend("contact-flow", map_id="tr", figure="here_now", element="nope")
    assert (ghost.value.code, ghost.value.field) == ("unknown_element", "element")


def test_periods_keep_the_utm_last_touch_and_time_zone_filters() -> None:
    """a, b (Monday and Tuesday of week 2) and d (Sunday 23:30 UTC of week 2, which is Monday
    of week 3 in Tokyo) come from google, c (week 3) from facebook; a, c and d buy; b comes back
    later from the newsletter (last touch)."""
    jm = journeymap.open(":memory:", clock=ManualClock(at(days=40)))
    _add_map(jm)
    google, facebook = {"source": "google"}, {"source": "facebook"}
    signups = (("a", at(days=0), google), ("b", at(days=1), google), ("c", at(days=7), facebook))
    for contact, when, utm in (*signups, ("d", at(days=6, hours=14, minutes=30), google)):
        jm.track(form(contact, when, utm=utm))
    for contact, when in (("a", at(minutes=30)), ("c", at(days=7, minutes=30))):
        jm.track(buy(contact, when))
    jm.track(buy("d", at(days=6, hours=14, minutes=45)))
    jm.track(Event("custom", "b", at(days=20), utm={"source": "newsletter"}))
    jm.tick(at(days=40))

    def rows(**filters: Any) -> list[tuple[str, int, Any]]:
        t = jm.trend("goal-conversion-rate", map_id="tr", figure="achieved", element="g", **filters)
        return [(r.period, r.cohort_size, r.value) for r in t.rows]

    assert rows(utm=google, tz="Asia/Tokyo") == [("2026-W02", 2, 1), ("2026-W03", 1, 1)]
    assert rows(utm=google) == [("2026-W02", 3, 2)]
    assert rows(utm={"source": "newsletter"}, last_touch=True) == [("2026-W02", 1, 0)]
    assert rows(utm=facebook, date_range=("2026-01-01", "2026-01-31")) == [("2026-W03", 1, 1)]
