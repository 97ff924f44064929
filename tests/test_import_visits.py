"""Visits files become exactly the entries, transitions and achievements the engine records."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.engine import Event
from test_import_support import (
    achievements,
    add_journey,
    at,
    counts,
    entries,
    iso,
    moves,
    rows,
    write,
)

VISITS: list[dict[str, Any]] = [
    # c1 walks the connectors, waits at the goal, achieves it an hour later and exits at the end
    {"contact_id": "c1", "element_id": "start", "entered_at": iso(0), "left_at": iso(1)},
    {"contact_id": "c1", "element_id": "welcome", "entered_at": iso(1), "left_at": iso(2)},
    {"contact_id": "c1", "element_id": "nurture", "entered_at": iso(2), "left_at": iso(60)},
    {
        "contact_id": "c1",
        "element_id": "buy",
        "entered_at": iso(60),
        "left_at": iso(120),
        "achieved_at": iso(120),
    },
    {"contact_id": "c1", "element_id": "done", "entered_at": iso(120), "left_at": iso(180)},
    # c2 jumps from welcome to done (no connector, not a goal) and is still there
    {"contact_id": "c2", "element_id": "start", "entered_at": iso(30)},
    {"contact_id": "c2", "element_id": "welcome", "entered_at": iso(31)},
    {"contact_id": "c2", "element_id": "done", "entered_at": iso(40)},
    # c3 enters at the goal
    {"contact_id": "c3", "element_id": "buy", "entered_at": iso(90)},
    # c4 is pulled from welcome into the goal; rows need not be sorted
    {"contact_id": "c4", "element_id": "buy", "entered_at": iso(20)},
    {"contact_id": "c4", "element_id": "start", "entered_at": iso(10)},
    {"contact_id": "c4", "element_id": "welcome", "entered_at": iso(11)},
]

EXPECTED_MOVES = [
    # each contact's chain takes a block of sequence numbers, in time order, contact by contact
    (1, "c1", 1, None, "start", None, "enter", at(0)),
    (2, "c1", 1, "start", "welcome", "k1", "flow", at(1)),
    (3, "c1", 1, "welcome", "nurture", "k2", "flow", at(2)),
    (4, "c1", 1, "nurture", "buy", "k3", "flow", at(60)),
    (6, "c1", 1, "buy", "done", "k4", "flow", at(120)),
    (7, "c1", 1, "done", None, None, "exit", at(180)),
    (8, "c2", 8, None, "start", None, "enter", at(30)),
    (9, "c2", 8, "start", "welcome", "k1", "flow", at(31)),
    (10, "c2", 8, "welcome", "done", None, "goto", at(40)),
    (11, "c3", 11, None, "buy", None, "enter", at(90)),
    (13, "c4", 13, None, "start", None, "enter", at(10)),
    (14, "c4", 13, "start", "welcome", "k1", "flow", at(11)),
    (15, "c4", 13, "welcome", "buy", None, "pull", at(20)),
]
EXPECTED_ACHIEVEMENTS = [
    (5, "c1", "buy", 1, "nurture", at(120)),
    (12, "c3", "buy", 11, None, at(90)),
    (16, "c4", "buy", 13, "welcome", at(20)),
]
EXPECTED_ENTRIES = [
    (1, "c1", "start", at(0)),
    (8, "c2", "start", at(30)),
    (11, "c3", "buy", at(90)),
    (13, "c4", "start", at(10)),
]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_visits_become_the_engines_facts(
    jm: journeymap.Journeymap, tmp_path: Path, suffix: str
) -> None:
    add_journey(jm)
    path = write(tmp_path / f"visits{suffix}", VISITS)
    result = jm.import_files([path], map_id="journey")
    (done,) = result.files
    assert (done.kind, done.rows, done.duplicates, done.skipped) == ("visits", 12, 0, False)
    assert done.written == {"transitions": 13, "achievements": 3, "entries": 4, "contacts": 4}
    assert moves(jm) == EXPECTED_MOVES
    assert achievements(jm) == EXPECTED_ACHIEVEMENTS
    assert entries(jm) == EXPECTED_ENTRIES
    created = {r["contact_id"]: r["created_at"] for r in rows(jm, "contacts")}
    assert created == {"c1": at(0), "c2": at(30), "c3": at(90), "c4": at(10)}


def test_engine_sees_imported_positions_and_sequence(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    jm.import_files([write(tmp_path / "visits.csv", VISITS)], map_id="journey")
    where = {c: set(jm.engine.state_of(c, "journey").positions) for c in ("c1", "c2", "c3", "c4")}
    assert where == {"c1": set(), "c2": {"done"}, "c3": {"buy"}, "c4": {"buy"}}
    assert jm.engine.seq.last == 16


def test_map_id_column_from_element_and_duration(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    path = write(
        tmp_path / "visits.jsonl",
        [
            {"contact_id": "a", "map_id": "journey", "element_id": "start", "entered_at": iso(0)},
            {"contact_id": "a", "map_id": "journey", "element_id": "nurture", "entered_at": iso(5)},
            # came from start (not from nurture, the previous visit): no connector start->buy
            {
                "contact_id": "a",
                "map_id": "journey",
                "element_id": "buy",
                "from_element_id": "start",
                "entered_at": iso(7),
                "duration_s": 600,
            },
        ],
    )
    jm.import_files([path])
    assert moves(jm) == [
        (1, "a", 1, None, "start", None, "enter", at(0)),
        (2, "a", 1, "start", "nurture", None, "goto", at(5)),
        (3, "a", 1, "start", "buy", None, "pull", at(7)),
        (5, "a", 1, "buy", None, None, "exit", at(17)),
    ]
    assert achievements(jm) == [(4, "a", "buy", 1, "start", at(7))]


def test_a_later_file_continues_from_the_live_position(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    first = [
        {"contact_id": "a", "element_id": "start", "entered_at": iso(0)},
        {"contact_id": "a", "element_id": "welcome", "entered_at": iso(1)},
    ]
    second = [{"contact_id": "a", "element_id": "nurture", "entered_at": iso(2)}]
    jm.import_files([write(tmp_path / "one.csv", first)], map_id="journey")
    jm.import_files([write(tmp_path / "two.csv", second)], map_id="journey")
    assert moves(jm) == [
        (1, "a", 1, None, "start", None, "enter", at(0)),
        (2, "a", 1, "start", "welcome", "k1", "flow", at(1)),
        (3, "a", 1, "welcome", "nurture", "k2", "flow", at(2)),
    ]
    assert counts(jm)["entries"] == 1
    assert counts(jm)["contacts"] == 1


def test_imported_contacts_move_on_with_the_engine(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    path = write(
        tmp_path / "visits.csv",
        [
            {"contact_id": "a", "element_id": "start", "entered_at": iso(0)},
            {"contact_id": "a", "element_id": "welcome", "entered_at": iso(1)},
            {"contact_id": "a", "element_id": "nurture", "entered_at": iso(2)},
        ],
    )
    jm.import_files([path], map_id="journey")
    jm.track(Event("purchase", "a", at(10), amount=Decimal(20), product="book"))
    assert moves(jm)[3:] == [
        (4, "a", 1, "nurture", "buy", None, "pull", at(10)),
        (6, "a", 1, "buy", "done", "k4", "flow", at(10)),
    ]
    assert achievements(jm) == [(5, "a", "buy", 1, "nurture", at(10))]


def test_a_contact_imported_onto_a_wait_is_released_when_it_falls_due(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    visits = [
        {"contact_id": "w1", "element_id": "start", "entered_at": iso(0)},
        {"contact_id": "w1", "element_id": "welcome", "entered_at": iso(1)},
        {"contact_id": "w1", "element_id": "nurture", "entered_at": iso(2)},  # waits one day
    ]
    jm.import_files([write(tmp_path / "visits.csv", visits)], map_id="journey")
    assert jm.tick(at(hours=24)) == 0  # due at 24h 2min after T0
    assert jm.tick(at(hours=24, minutes=2)) == 1
    assert moves(jm)[-1][1:] == ("w1", 1, "nurture", "buy", "k3", "flow", at(hours=24, minutes=2))
    jm.reload()  # the release time written on load is not scheduled twice
    assert jm.tick(at(hours=48)) == 0


def test_a_contact_imported_onto_a_wait_that_fell_due_long_ago_moves_on_at_the_first_tick(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    visits = [
        {"contact_id": "w1", "element_id": "welcome", "entered_at": iso(0)},
        {"contact_id": "w1", "element_id": "nurture", "entered_at": iso(1)},  # due a day later
    ]
    jm.import_files([write(tmp_path / "visits.csv", visits)], map_id="journey")
    assert jm.tick(at(hours=24 * 30)) == 1
    assert moves(jm)[-1][1:] == ("w1", 1, "nurture", "buy", "k3", "flow", at(hours=24 * 30))
