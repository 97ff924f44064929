"""A restart keeps positions, pending waits and entry counts; event ids are applied once."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.engine.statestore import StateStore
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


def add_map(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [trigger("t", reentry="once"), wait("w", duration="PT1H"), goal("g"), end("x", exit=True)],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "x")],
    )


SETUP: tuple[Callable[[journeymap.Journeymap], object], ...] = (
    lambda jm: jm.track(form("a", at(0))),  # a waits at w until 10:00
    lambda jm: jm.track(form("b", at(0))),
    lambda jm: jm.tick(at(60)),  # b (and a) now wait at goal g
    lambda jm: jm.track(form("c", at(61))),  # c waits at w until 11:01
    lambda jm: jm.track(buy("b", at(62))),  # b achieves g and exits
    lambda jm: jm.track(buy("d", at(63))),  # d was not on m: enters at g, achieves it and exits
)
"""The steps of the setup; each writes the facts and the state file once."""

SETUP_MOVES = [
    ("a", None, "t", None, "enter", at(0)),
    ("a", "t", "w", "c1", "flow", at(0)),
    ("b", None, "t", None, "enter", at(0)),
    ("b", "t", "w", "c1", "flow", at(0)),
    ("a", "w", "g", "c2", "flow", at(60)),
    ("b", "w", "g", "c2", "flow", at(60)),
    ("c", None, "t", None, "enter", at(61)),
    ("c", "t", "w", "c1", "flow", at(61)),
    ("b", "g", "x", "c3", "flow", at(62)),
    ("b", "x", None, None, "exit", at(62)),
    ("d", None, "g", None, "enter", at(63)),
    ("d", "g", "x", "c3", "flow", at(63)),
    ("d", "x", None, None, "exit", at(63)),
]
MOVES_AFTER = (2, 4, 6, 8, 10, 13)
"""How many of the setup moves the store holds after each setup step."""


def _setup(jm: journeymap.Journeymap, steps: slice = slice(None)) -> None:
    for step in SETUP[steps]:
        step(jm)


def _check_after_restart(jm: journeymap.Journeymap) -> None:
    assert moves(jm) == SETUP_MOVES  # nothing lost, nothing twice
    assert achievements(jm) == [("b", "g", "w", at(62)), ("d", "g", None, at(63))]
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
        add_map(jm)
        _setup(jm)
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _check_after_restart(jm)


def test_reload_keeps_positions_waits_and_once(jm: journeymap.Journeymap) -> None:
    add_map(jm)
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


# --- the engine's state file ---------------------------------------------------------------------


def _state_file(path: Path) -> Path:
    return path.with_name(path.name + ".state")


def _marks(path: Path) -> tuple[int | None, int | None]:
    """The flush numbers of the store and of its state file."""
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT v FROM engine_marks WHERE k = 'flush'").fetchone()
    state = StateStore(str(_state_file(path)))
    try:
        return None if row is None else int(row[0]), state.meta("flush")
    finally:
        state.close()


def test_a_deleted_state_file_is_rebuilt_from_the_facts(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add_map(jm)
        _setup(jm)
    _state_file(path).unlink()
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _check_after_restart(jm)
    store_mark, state_mark = _marks(path)
    assert store_mark == state_mark


def test_a_stale_state_file_is_rebuilt_from_the_facts(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add_map(jm)
        _setup(jm, slice(3))
    shutil.copy(_state_file(path), tmp_path / "old.state")
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _setup(jm, slice(3, None))
    shutil.copy(tmp_path / "old.state", _state_file(path))  # as the file was three steps ago
    store_mark, state_mark = _marks(path)
    assert store_mark != state_mark
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _check_after_restart(jm)


def test_a_damaged_state_file_is_rebuilt_from_the_facts(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add_map(jm)
        _setup(jm)
    _state_file(path).write_bytes(b"not a database at all " * 200)
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        _check_after_restart(jm)


_KILLED = """
import os, signal, sys
sys.path.insert(0, sys.argv[3])
import journeymap
from journeymap.clock import ManualClock
from journeymap.engine.statestore import StateStore
import test_engine_restart as t

path, kill_at = sys.argv[1], int(sys.argv[2])
saves = [0]
save = StateStore.save

def save_or_die(self, *args, **kwargs):
    saves[0] += 1
    if saves[0] == kill_at:  # the step's facts are committed, its state file write not begun
        os.kill(os.getpid(), signal.SIGKILL)
    save(self, *args, **kwargs)

StateStore.save = save_or_die
jm = journeymap.open(path, clock=ManualClock(t.T0))
t.add_map(jm)
t._setup(jm)
"""


@pytest.mark.parametrize("kill_at", [1, 3, len(SETUP)])
def test_a_kill_between_the_facts_and_the_state_file_is_recovered(
    tmp_path: Path, kill_at: int
) -> None:
    path = tmp_path / "r.duckdb"
    tests = str(Path(__file__).parent)
    cmd = [sys.executable, "-c", _KILLED, str(path), str(kill_at), tests]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    # each step is one flush: the store holds the killed step's facts, the state file not
    assert _marks(path) == (kill_at, kill_at - 1)
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        assert moves(jm) == SETUP_MOVES[: MOVES_AFTER[kill_at - 1]]
        _setup(jm, slice(kill_at, None))  # the steps the killed process never began
        _check_after_restart(jm)
