"""A restart keeps positions, pending waits and entry counts; event ids are applied once."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import EventRejected
from test_engine_support import (
    T0,
    achievements,
    add,
    at,
    buy,
    end,
    form,
    goal,
    moves,
    positions,
    trigger,
    wait,
)


def _setup(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [trigger("t", reentry="once"), wait("w", duration="PT1H"), goal("g"), end("x", exit=True)],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "x")],
    )
    jm.track(form("a", at(0)))  # a waits at w until 10:00
    jm.track(form("b", at(0)))
    jm.tick(at(60))  # b (and a) now wait at goal g
    jm.track(form("c", at(61)))  # c waits at w until 11:01
    jm.track(buy("b", at(62)))  # b achieves g and exits
    jm.track(buy("d", at(63)))  # d was not on m: enters at g, achieves it and exits


def _check_after_restart(jm: journeymap.Journeymap) -> None:
    assert positions(jm, "a", "m") == {"g"}
    assert positions(jm, "b", "m") == set()
    assert positions(jm, "c", "m") == {"w"}
    before = len(moves(jm))
    # a pending wait due after the restart is released by a tick after the restart
    assert jm.tick(at(120)) == 0
    assert jm.tick(at(121)) == 1
    # a contact waiting at the goal achieves it from the element it came from
    jm.track(buy("a", at(130)))
    # `once`: b exited, and may not enter again
    jm.track(form("b", at(131)))
    assert moves(jm)[before:] == [
        ("c", "w", "g", "c2", "flow", at(121)),
        ("a", "g", "x", "c3", "flow", at(130)),
        ("a", "x", None, None, "exit", at(130)),
    ]
    assert achievements(jm)[-1] == ("a", "g", "w", at(130))
    seqs = [
        r["seq"] for r in jm.store.query("engine_transitions", {"map_id": None, "contact_id": None})
    ]
    assert seqs == sorted(set(seqs))  # seq carries on after the restart, never reused


def test_reopening_the_file_keeps_positions_waits_and_once(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _setup(jm)
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _check_after_restart(jm)


def test_reload_keeps_positions_waits_and_once(jm: journeymap.Journeymap) -> None:
    _setup(jm)
    jm.reload()
    _check_after_restart(jm)


def test_an_achieved_goal_with_nothing_below_stays_achieved_after_restart(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add(jm, "m", [trigger("t"), goal("g")], [("c1", "t", "g")])
        jm.track(form("a", at(0)))
        jm.track(buy("a", at(1)))
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        assert jm.engine.state_of("a", "m").positions["g"].achieved
        jm.track(buy("a", at(2)))
        jm.track(form("a", at(3)))  # still on the map: not_while_on_map keeps it out
        assert achievements(jm) == [("a", "g", "t", at(1))]
        assert len(moves(jm)) == 2


def test_an_event_id_is_applied_once_even_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add(jm, "m", [trigger("t", reentry="always"), end("e")], [("c1", "t", "e")])
        jm.track(form("a", at(0), event_id="ev-1"))
        jm.track(form("a", at(1), event_id="ev-1"))
        jm.track_many([form("a", at(2), event_id="ev-2"), form("a", at(2), event_id="ev-2")])
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        jm.track(form("a", at(3), event_id="ev-1"))
        jm.track(form("a", at(4), event_id="ev-3"))
        ids = ["ev-2", "ev-4", "ev-3", "ev-4", "ev-5"]  # stored, new, stored, repeated, new
        jm.track_many([form("a", at(5 + i), event_id=x) for i, x in enumerate(ids)])
        assert [m[5] for m in moves(jm) if m[4] == "enter"] == [at(0), at(2), at(4), at(6), at(9)]


def test_a_rejected_event_does_not_use_up_its_id(jm: journeymap.Journeymap) -> None:
    add(jm, "m", [trigger("t"), end("e")], [("c1", "t", "e")])
    with pytest.raises(EventRejected, match="contact_id"):
        jm.track(Event("form_submitted", None, at(0), form="signup", event_id="ev-9"))
    jm.track(form("a", at(1), event_id="ev-9"))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(1)),
        ("a", "t", "e", "c1", "flow", at(1)),
    ]


def test_a_contact_changed_many_times_in_one_batch_is_written_once_as_it_ends(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        jm.track_many(
            [
                Event("contact_created", "c1", T0, utm={"source": "ads"}),
                Event("contact_created", "c2", T0),
                Event("tag_added", "c1", T0 + timedelta(hours=1), tag="vip"),
                Event("field_updated", "c1", T0 + timedelta(hours=2), field="plan", value="pro"),
                Event("tag_added", "c1", T0 + timedelta(hours=3), tag="buyer"),
            ]
        )
        (c1,) = jm.store.query("contact", {"contact_id": "c1"})
        (c2,) = jm.store.query("contact", {"contact_id": "c2"})
    assert (c1["first_utm_source"], sorted(c1["tags"]), json.loads(c1["fields"])) == (
        "ads",
        ["buyer", "vip"],
        {"plan": "pro"},
    )
    assert (c2["first_utm_source"], list(c2["tags"]), json.loads(c2["fields"])) == (None, [], {})
