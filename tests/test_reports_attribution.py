"""Goal Conversion Point under each attribution model: last, first, linear and time-decay credit,
worked by hand, exact fractions that add up to the goal's achievers, and their drill-down."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.model.map import AutomationMap
from journeymap.reports import ReportInvalid
from test_engine_support import T0
from test_reports_goals import goals
from test_reports_properties import Step, _play, maps, traffic
from test_reports_support import column

__all__ = ["goals"]  # the fixture: t -> w1 (1 day) -> w2 (2 days) -> g -> e, five contacts

# In `goals`, four contacts achieve g: p1 on w1 after 10 minutes (path t, w1); p2 on w2 at day 2
# (path t, w1 at day 0, w2 at day 1 + 1 minute); p5 waiting at g since day 3 + 1 minute, at day 4
# (came from w2; path t, w1 at day 0, w2 at day 1 + 1 minute; g itself is never credited); p3
# entered the map at g (no path: its own bucket, in every model).

EXPECTED = {
    "last": {"t": "0", "w1": "1", "w2": "2", "g": "0", "e": "0"},
    "first": {"t": "3", "w1": "0", "w2": "0", "g": "0", "e": "0"},
    # p1: 1/2 each on t, w1; p2 and p5: 1/3 each on t, w1, w2
    "linear": {"t": "7/6", "w1": "7/6", "w2": "2/3", "g": "0", "e": "0"},
    # half-life 1 day: p1 1/2, 1/2 (10 minutes: no halving); p2: t and w1 2 days back (2
    # halvings: 1/4 each), w2 1 day less a minute back (none: 1), so 1/6, 1/6, 2/3; p5: t and w1
    # 4 days back (1/16), w2 3 days less a minute (1/4), so again 1/6, 1/6, 2/3
    "time-decay": {"t": "5/6", "w1": "5/6", "w2": "4/3", "g": "0", "e": "0"},
}
CREDITED = {
    "last": {"t": 0, "w1": 1, "w2": 2, "g": 0, "e": 0},
    "first": {"t": 3, "w1": 0, "w2": 0, "g": 0, "e": 0},
    "linear": {"t": 3, "w1": 3, "w2": 2, "g": 0, "e": 0},
    "time-decay": {"t": 3, "w1": 3, "w2": 2, "g": 0, "e": 0},
}


@pytest.mark.parametrize("model", list(EXPECTED))
def test_each_model_credits_the_hand_worked_fractions(
    goals: journeymap.Journeymap, model: str
) -> None:
    r = goals.report(
        "goal-conversion-point", map_id="goals", goal="g", attribution=model, half_life_days=1
    )
    assert column(r, "conversion_credit") == EXPECTED[model]
    assert column(r, "conversion_point") == CREDITED[model]
    assert r.totals == {"goal_achievers": 4, "entered_at_goal": 1, "entered_at_goal_share": 0.25}
    shares = column(r, "conversion_point_share")
    assert shares == {k: float(Fraction(v) / 4) for k, v in EXPECTED[model].items()}
    assert r.options == {"attribution": model, "half_life_days": 1.0}


def test_time_decay_with_a_longer_half_life_shares_more_evenly(
    goals: journeymap.Journeymap,
) -> None:
    """Half-life 3 days: p2's touches are all under 3 days back (equal thirds); p5's t and w1 are
    4 days back (one halving: 1/2), w2 under 3 (1): 1/4, 1/4, 1/2; p1 1/2, 1/2."""
    r = goals.report(
        "goal-conversion-point",
        map_id="goals",
        goal="g",
        attribution="time-decay",
        half_life_days=3,
    )
    assert column(r, "conversion_credit") == {
        "t": "13/12",  # 1/2 + 1/3 + 1/4
        "w1": "13/12",
        "w2": "5/6",  # 1/3 + 1/2
        "g": "0",
        "e": "0",
    }


def test_the_drill_down_lists_the_credited_contacts_with_their_credit(
    goals: journeymap.Journeymap,
) -> None:
    rows = goals.contacts(
        "goals",
        figure="conversion_point",
        element="w1",
        goal="g",
        attribution="time-decay",
        half_life_days=1,
    )
    assert rows.value_name == "credit"
    assert [(x.contact_id, x.value) for x in rows.rows] == [
        ("p1", 0.5),
        ("p2", 1 / 6),
        ("p5", 1 / 6),
    ]
    last = goals.contacts("goals", figure="conversion_point", element="w2", goal="g")
    assert [(x.contact_id, x.value) for x in last.rows] == [("p2", 1), ("p5", 1)]
    assert last.value_name == "achievements"


def test_a_model_or_half_life_out_of_range_names_its_parameter(
    goals: journeymap.Journeymap,
) -> None:
    with pytest.raises(ReportInvalid) as bad:
        goals.report("goal-conversion-point", map_id="goals", goal="g", attribution="even")
    assert (bad.value.code, bad.value.field) == ("bad_parameter", "attribution")
    with pytest.raises(ReportInvalid) as short:
        goals.report("goal-conversion-point", map_id="goals", goal="g", half_life_days=0)
    assert (short.value.code, short.value.field) == ("bad_parameter", "half_life_days")


def _total(r: Any) -> Fraction:
    return sum((Fraction(e.conversion_credit) for e in r.elements), Fraction(0))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    m=maps(),
    steps=traffic,
    model=st.sampled_from(["last", "first", "linear", "time-decay"]),
    half_life=st.sampled_from([0.01, 0.5, 1.0, 7.0]),
)
def test_credits_add_up_to_the_achievers_on_random_maps(
    m: AutomationMap, steps: list[Step], model: str, half_life: float
) -> None:
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        _play(jm, m, steps)
        for g in (e for e in m.elements if e.kind == "goal"):
            r = jm.report(
                "goal-conversion-point",
                map_id=m.id,
                goal=g.id,
                attribution=model,
                half_life_days=half_life,
            )
            achieved = jm.report("goal-conversion-rate", map_id=m.id).element(g.id).achieved
            assert r.totals["goal_achievers"] == achieved
            assert _total(r) + r.totals["entered_at_goal"] == achieved
            for e in r.elements:
                credit = Fraction(e.conversion_credit or "0")
                assert 0 <= credit <= (e.conversion_point or 0)
                listed = jm.contacts(
                    m.id,
                    figure="conversion_point",
                    element=e.id,
                    goal=g.id,
                    attribution=model,
                    half_life_days=half_life,
                    limit=None,
                )
                assert listed.total == e.conversion_point
