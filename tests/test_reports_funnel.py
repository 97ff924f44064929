"""Funnel Conversion as an ordered funnel (PostHog, Mixpanel, Amplitude): every occurrence of a step
counts, each step matched at or after the one before (earliest match); triggers listed together
are one step, and the default funnel starts with every trigger of the map."""

from __future__ import annotations

from typing import Any

import pytest

import journeymap
from journeymap.engine import Event
from journeymap.reports import ReportInvalid
from test_engine_support import add, at, buy, end, form, goal, trigger


def funnel_rows(result: Any) -> dict[str, tuple[Any, ...]]:
    """Each funnel element's step, count, rates and contacts who entered it directly."""
    return {
        e.id: (
            e.funnel_step,
            e.funnel_count,
            e.funnel_rate_prev,
            e.funnel_rate_start,
            e.entered_directly,
        )
        for e in result.elements
        if e.funnel_step is not None
    }


def _listed(jm: journeymap.Journeymap, map_id: str, figure: str, element: str) -> list[Any]:
    page = jm.contacts(map_id, figure=figure, element=element, limit=None)
    return [(r.contact_id, r.at) for r in page.rows]


def _ordered(jm: journeymap.Journeymap) -> None:
    """t (sign-up) -> g1 (tag lead) -> g2 (purchase) -> x (exit).

    a buys while waiting at g1 (pulled to g2 before ever reaching g1) and leaves; then it gets the
    lead tag (enters at g1) and buys again: g2 again, this time after g1. b takes every step in
    order; c enters at g1 without signing up; d only signs up."""
    add(
        jm,
        "of",
        [trigger("t"), goal("g1", on="tag_added", tag="lead"), goal("g2"), end("x", exit=True)],
        [("k1", "t", "g1"), ("k2", "g1", "g2"), ("k3", "g2", "x")],
    )
    for contact in ("a", "b", "d"):
        jm.track(form(contact, at(0)))
    jm.track(Event("tag_added", "c", at(0), tag="lead"))
    jm.track(Event("tag_added", "b", at(1), tag="lead"))
    jm.track(buy("a", at(1)))
    jm.track(Event("tag_added", "a", at(2), tag="lead"))
    jm.track(buy("a", at(3)))
    jm.track(buy("b", at(4)))


def test_a_step_taken_again_after_the_step_before_counts(jm: journeymap.Journeymap) -> None:
    _ordered(jm)
    r = jm.report("funnel-conversion", map_id="of")
    assert r.options == {"steps": ["t", "g1", "g2"]}
    # a's first g2 came before its g1, its second after: a reaches g2 (and entered it directly)
    assert funnel_rows(r) == {
        "t": (1, 3, None, 1.0, None),
        "g1": (2, 2, 2 / 3, 2 / 3, 1),
        "g2": (3, 2, 1.0, 2 / 3, 1),
    }
    assert r.totals["funnel"] == [
        {"step": 1, "elements": ["t"], "count": 3, "rate_prev": None, "rate_start": 1.0,
         "entered_directly": None},
        {"step": 2, "elements": ["g1"], "count": 2, "rate_prev": 2 / 3, "rate_start": 2 / 3,
         "entered_directly": 1},
        {"step": 3, "elements": ["g2"], "count": 2, "rate_prev": 1.0, "rate_start": 2 / 3,
         "entered_directly": 1},
    ]  # fmt: skip


def test_the_lists_behind_the_funnel_carry_the_matched_times(jm: journeymap.Journeymap) -> None:
    _ordered(jm)
    assert _listed(jm, "of", "funnel_count", "t") == [("a", at(0)), ("b", at(0)), ("d", at(0))]
    assert _listed(jm, "of", "funnel_count", "g1") == [("b", at(1)), ("a", at(2))]
    assert _listed(jm, "of", "funnel_count", "g2") == [("a", at(3)), ("b", at(4))]
    assert _listed(jm, "of", "entered_directly", "g1") == [("c", at(0))]
    assert _listed(jm, "of", "entered_directly", "g2") == [("a", at(1))]


def _two_doors(jm: journeymap.Journeymap) -> None:
    """t1 (sign-up) and t2 (tag vip) both lead to g (purchase) -> e.

    p signs up and buys; q gets the tag and buys; r gets the tag, then signs up while on the map
    (no second entry); s buys without entering (enters at g) and signs up while at e."""
    add(
        jm,
        "two",
        [trigger("t1"), trigger("t2", on="tag_added", tag="vip"), goal("g"), end("e")],
        [("k1", "t1", "g"), ("k2", "t2", "g"), ("k3", "g", "e")],
    )
    jm.track(form("p", at(0)))
    jm.track(Event("tag_added", "q", at(0), tag="vip"))
    jm.track(Event("tag_added", "r", at(0), tag="vip"))
    jm.track(buy("s", at(0)))
    jm.track(buy("p", at(1)))
    jm.track(form("r", at(1)))
    jm.track(form("s", at(1)))
    jm.track(buy("q", at(2)))


def test_the_default_funnel_starts_with_every_trigger(jm: journeymap.Journeymap) -> None:
    _two_doors(jm)
    r = jm.report("funnel-conversion", map_id="two")
    assert r.options == {"steps": ["t1", "t2", "g"]}
    assert funnel_rows(r) == {
        "t1": (1, 1, None, 1 / 3, None),
        "t2": (1, 2, None, 2 / 3, None),
        "g": (2, 2, 2 / 3, 2 / 3, 1),
    }
    assert r.totals["funnel"] == [
        {"step": 1, "elements": ["t1", "t2"], "count": 3, "rate_prev": None, "rate_start": 1.0,
         "entered_directly": None},
        {"step": 2, "elements": ["g"], "count": 2, "rate_prev": 2 / 3, "rate_start": 2 / 3,
         "entered_directly": 1},
    ]  # fmt: skip
    assert _listed(jm, "two", "funnel_count", "t2") == [("q", at(0)), ("r", at(0))]
    assert _listed(jm, "two", "funnel_count", "g") == [("p", at(1)), ("q", at(2))]
    assert _listed(jm, "two", "entered_directly", "g") == [("s", at(0))]
    with pytest.raises(ReportInvalid) as err:
        jm.contacts("two", figure="entered_directly", element="t2")
    assert err.value.code == "figure_not_for_element"


def test_picked_steps_group_only_triggers_listed_together(jm: journeymap.Journeymap) -> None:
    _two_doors(jm)
    r = jm.report("funnel-conversion", map_id="two", steps=["t1", "g", "t2"])
    # q and s reach g with no t1 before; q and r enter through t2 before any g, and nobody
    # enters through t2 after reaching g
    assert funnel_rows(r) == {
        "t1": (1, 1, None, 1.0, None),
        "g": (2, 1, 1.0, 1.0, 2),
        "t2": (3, 0, 0.0, 0.0, 2),
    }
    with pytest.raises(ReportInvalid) as err:
        jm.report("funnel-conversion", map_id="two", steps=["t1", "t2"])
    assert (err.value.code, err.value.field) == ("bad_funnel_step", "steps")
    assert "not 1" in str(err.value)


def test_a_map_with_no_goal_has_a_one_step_funnel(jm: journeymap.Journeymap) -> None:
    add(jm, "plain", [trigger("t"), end("e")], [("k", "t", "e")])
    jm.track(form("a", at(0)))
    r = jm.report("funnel-conversion", map_id="plain")
    assert funnel_rows(r) == {"t": (1, 1, None, 1.0, None)}
    assert r.totals["funnel"] == [
        {"step": 1, "elements": ["t"], "count": 1, "rate_prev": None, "rate_start": 1.0,
         "entered_directly": None}
    ]  # fmt: skip
