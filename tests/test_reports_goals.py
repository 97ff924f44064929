"""Goal reports: pulls from different elements, entering at the goal, waiting at it."""

from __future__ import annotations

import pytest

import journeymap
from test_engine_support import add, at, buy, end, form, goal, trigger, wait
from test_reports_support import column, flow, links


@pytest.fixture
def goals(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """t -> w1 (1 day) -> w2 (2 days) -> g (purchase) -> e.

    p1 buys while on w1 (pulled from w1); p2 buys while on w2 (pulled from w2); p3 buys before
    ever entering (enters at g); p4 reaches g along its connector and waits there; p5 waits at
    g and then buys (achieved from w2, where it came from)."""
    add(
        jm,
        "goals",
        [
            trigger("t"),
            wait("w1", duration="P1D"),
            wait("w2", duration="P2D"),
            goal("g"),
            end("e"),
        ],
        [("c1", "t", "w1"), ("c2", "w1", "w2"), ("c3", "w2", "g"), ("c4", "g", "e")],
    )
    for contact in ("p1", "p2", "p4", "p5"):
        jm.track(form(contact, at(0)))
    jm.track(buy("p3", at(5)))
    jm.track(buy("p1", at(10)))
    jm.tick(at(days=1, minutes=1))
    jm.track(buy("p2", at(days=2)))
    jm.tick(at(days=3, minutes=1))
    jm.track(buy("p5", at(days=4)))
    return jm


def test_flow_with_pulls_and_a_contact_waiting_at_the_goal(goals: journeymap.Journeymap) -> None:
    r = goals.report("contact-flow", map_id="goals")
    assert r.cohort_size == 5
    assert flow(r) == {
        "t": (4, 0, 4),
        "w1": (4, 0, 4),
        "w2": (3, 0, 3),
        "g": (4, 1, 5),
        "e": (0, 4, 4),
    }
    assert links(r) == {
        "c1": (4, 1.0),
        "c2": (3, 1.0),
        "c3": (2, 1.0),
        "c4": (4, 1.0),
    }


def test_goal_conversion_rate_overall_and_from_each_element(goals: journeymap.Journeymap) -> None:
    plain = goals.report("goal-conversion-rate", map_id="goals")
    assert column(plain, "achieved") == {"g": 4}
    assert column(plain, "conversion_rate") == {"g": 0.8}
    assert column(plain, "to_goal_rate") == {}
    r = goals.report("goal-conversion-rate", map_id="goals", goal="g")
    assert column(r, "to_goal") == {"t": 3, "w1": 3, "w2": 2, "g": 4, "e": 0}
    assert column(r, "to_goal_rate") == {"t": 0.75, "w1": 0.75, "w2": 2 / 3, "g": 0.8, "e": 0.0}


def test_goal_conversion_point_with_the_entered_at_goal_bucket(
    goals: journeymap.Journeymap,
) -> None:
    r = goals.report("goal-conversion-point", map_id="goals", goal="g")
    assert column(r, "conversion_point") == {"t": 0, "w1": 1, "w2": 2, "g": 0, "e": 0}
    assert column(r, "conversion_point_share") == {
        "t": 0.0,
        "w1": 0.25,
        "w2": 0.5,
        "g": 0.0,
        "e": 0.0,
    }
    data = r.as_dict()
    assert (data["goal_achievers"], data["entered_at_goal"], data["entered_at_goal_share"]) == (
        4,
        1,
        0.25,
    )


def test_goal_conversion_time_mean_median_p90(goals: journeymap.Journeymap) -> None:
    r = goals.report("goal-conversion-time", map_id="goals", goal="g")
    # t and w1: p1 after 600 s, p2 after 2 days, p5 after 4 days
    # w2 (reached at 1 day 1 min): p2 after 1 day - 1 min, p5 after 3 days - 1 min
    # g: p1, p2, p3 achieve on arrival (0 s); p5 waited 1 day - 1 min
    times = {
        e.id: (
            e.conversion_time_n,
            e.conversion_time_mean_s,
            e.conversion_time_median_s,
            e.conversion_time_p90_s,
        )
        for e in r.elements
    }
    assert times == {
        "t": (3, 173000.0, 172800.0, 311040.0),
        "w1": (3, 173000.0, 172800.0, 311040.0),
        "w2": (2, 172740.0, 172740.0, 241860.0),
        "g": (4, 21585.0, 0.0, pytest.approx(60438.0)),
        "e": (0, None, None, None),
    }


def test_a_second_achievement_after_reaching_an_element_counts_from_it(
    jm: journeymap.Journeymap,
) -> None:
    """q achieves g on entering (at g), re-enters by the trigger, reaches w and buys again."""
    add(
        jm,
        "again",
        [trigger("t", reentry="always"), wait("w", duration="P1D"), goal("g"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "e")],
    )
    jm.track(buy("q", at(0)))
    jm.track(form("q", at(60)))
    jm.track(buy("q", at(90)))
    r = jm.report("goal-conversion-time", map_id="again", goal="g")
    assert r.element("w").conversion_time_n == 1
    assert r.element("w").conversion_time_mean_s == 1800.0
    assert r.element("g").conversion_time_n == 1
    assert r.element("g").conversion_time_mean_s == 0.0  # its first arrival: entering at g
    point = jm.report("goal-conversion-point", map_id="again", goal="g")
    assert point.as_dict()["entered_at_goal"] == 1  # first achievements only
    assert column(point, "conversion_point")["w"] == 0
    jm.store.rebuild_summaries()  # both achievements in one block: the first one still wins
    point = jm.report("goal-conversion-point", map_id="again", goal="g")
    assert point.as_dict()["entered_at_goal"] == 1
    assert column(point, "conversion_point")["w"] == 0
