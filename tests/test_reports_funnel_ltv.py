"""Funnel Conversion (default and picked steps, entered directly) and Lifetime Value (refunds)."""

from __future__ import annotations

from decimal import Decimal

import journeymap
from journeymap.engine import Event
from test_engine_support import add, at, buy, end, form, goal, trigger, wait
from test_reports_funnel import funnel_rows
from test_reports_support import column


def _funnel_map(jm: journeymap.Journeymap) -> None:
    """t -> g1 (tag lead) -> g2 (purchase) -> e.

    f1 takes every step in order; f2 buys while waiting at g1 (pulled to g2, never g1); f3 gets
    the tag before entering (enters at g1) and waits at g2; f4 reaches g1 and waits at g2."""
    add(
        jm,
        "funnel",
        [trigger("t"), goal("g1", on="tag_added", tag="lead"), goal("g2"), end("e")],
        [("c1", "t", "g1"), ("c2", "g1", "g2"), ("c3", "g2", "e")],
    )
    jm.track(Event("tag_added", "f3", at(0), tag="lead"))
    for contact in ("f1", "f2", "f4"):
        jm.track(form(contact, at(0)))
    jm.track(Event("tag_added", "f1", at(1), tag="lead"))
    jm.track(buy("f1", at(2)))
    jm.track(buy("f2", at(3)))
    jm.track(Event("tag_added", "f4", at(5), tag="lead"))


def test_default_funnel_is_trigger_then_goals_in_path_order(jm: journeymap.Journeymap) -> None:
    _funnel_map(jm)
    r = jm.report("funnel-conversion", map_id="funnel")
    assert r.cohort_size == 4
    assert r.options == {"steps": ["t", "g1", "g2"]}
    assert funnel_rows(r) == {
        "t": (1, 3, None, 1.0, None),
        "g1": (2, 2, 2 / 3, 2 / 3, 1),
        "g2": (3, 1, 0.5, 1 / 3, 1),
    }
    assert "funnel_step" not in r.element("e").figures()


def test_picked_funnel_steps(jm: journeymap.Journeymap) -> None:
    _funnel_map(jm)
    r = jm.report("funnel-conversion", map_id="funnel", steps=["t", "g2"])
    assert column(r, "funnel_count") == {"t": 3, "g2": 2}
    assert column(r, "entered_directly") == {"t": None, "g2": 0}
    r = jm.report("funnel-conversion", map_id="funnel", steps=["g1", "g2"])
    # g1: f1, f3, f4; then g2 after g1: f1 only (f3 and f4 wait); f2 has g2 without g1
    assert column(r, "funnel_count") == {"g1": 3, "g2": 1}
    assert column(r, "entered_directly") == {"g1": None, "g2": 1}


def _ltv_map(jm: journeymap.Journeymap) -> None:
    """t -> w (1 day) -> e. L1 bought 100 the day before entering, 50 after and got 30 back;
    L2 buys 40 after reaching e; L3 buys nothing; nobody outside the map counts."""
    add(
        jm,
        "ltv",
        [trigger("t"), wait("w", duration="P1D"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "e")],
    )
    jm.track(buy("L1", at(days=-1), "100"))
    jm.track(buy("outsider", at(days=-1), "999"))
    for contact in ("L1", "L2", "L3"):
        jm.track(form(contact, at(0)))
    jm.track(buy("L1", at(hours=1), "50"))
    jm.track(buy("L1", at(hours=2), "-30"))
    jm.tick(at(days=1, minutes=1))
    jm.track(buy("L2", at(days=2), "40"))


def test_lifetime_value_nets_refunds_over_all_purchases(jm: journeymap.Journeymap) -> None:
    _ltv_map(jm)
    r = jm.report("lifetime-value", map_id="ltv")
    assert column(r, "amount_spent") == {
        "t": Decimal("160.00"),
        "w": Decimal("160.00"),
        "e": Decimal("160.00"),
    }
    assert column(r, "average_spent") == {
        "t": Decimal("53.33"),
        "w": Decimal("53.33"),
        "e": Decimal("53.33"),
    }
    assert r.as_dict()["elements"][0]["amount_spent"] == 160.0  # JSON: a plain number


def test_lifetime_value_after_first_arrival(jm: journeymap.Journeymap) -> None:
    _ltv_map(jm)
    r = jm.report("lifetime-value", map_id="ltv", after_arrival=True)
    assert r.options == {"after_arrival": True}
    assert column(r, "amount_spent") == {
        "t": Decimal("60.00"),
        "w": Decimal("60.00"),
        "e": Decimal("40.00"),
    }
    assert column(r, "average_spent") == {
        "t": Decimal("20.00"),
        "w": Decimal("20.00"),
        "e": Decimal("13.33"),
    }
