"""After a history import the engine reads back only the contacts the import wrote: its state
is exactly that of an engine rebuilt from every fact, and it moves on exactly alike."""

from __future__ import annotations

import sqlite3
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
from journeymap.errors import ImportRejected
from journeymap.importer import import_files
from test_import_support import T0, add_journey, iso, write

CONTACTS = ("a", "b", "c", "d", "e")
PATH = ("start", "welcome", "nurture", "buy", "done")
"""The journey map's elements in path order (test_import_support.JOURNEY)."""

LATE_VISITS = [
    {"contact_id": "a", "element_id": "start", "entered_at": iso(0)},
    {"contact_id": "a", "element_id": "nurture", "entered_at": iso(5)},
    {"contact_id": "n", "element_id": "welcome", "entered_at": iso(3)},
]
"""An import that moves the engine's contact a on and brings a new contact n."""

Op = tuple[int, str, str]
"""(minutes after T0, what: created/purchase/tick, contact)."""


def _ops(start: int) -> st.SearchStrategy[list[Op]]:
    op = st.tuples(
        st.integers(start, start + 3000),
        st.sampled_from(["created", "purchase", "purchase", "tick"]),
        st.sampled_from(CONTACTS),
    )
    return st.lists(op, max_size=8).map(sorted)


@st.composite
def _visits(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Imported walks along the journey (a contact may skip elements), after the first traffic."""
    rows: list[dict[str, Any]] = []
    for contact in draw(st.lists(st.sampled_from(CONTACTS), unique=True, max_size=4)):
        minute = 4000 + draw(st.integers(0, 200))
        steps = draw(st.lists(st.sampled_from(PATH), min_size=1, max_size=4, unique=True))
        for element in sorted(steps, key=PATH.index):
            rows.append({"contact_id": contact, "element_id": element, "entered_at": iso(minute)})
            minute += draw(st.sampled_from([1, 30, 600]))
    return rows


@st.composite
def _people(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A contacts file: tags and a field for some contacts, known or new."""
    chosen = draw(st.lists(st.sampled_from((*CONTACTS, "f")), unique=True, max_size=3))
    return [
        {
            "contact_id": c,
            "created_at": iso(draw(st.integers(0, 5000))),
            "tags": draw(st.sampled_from(["vip", "vip;lead", ""])),
            "plan": draw(st.sampled_from(["free", "pro"])),
        }
        for c in chosen
    ]


def _apply(jm: journeymap.Journeymap, ops: list[Op]) -> None:
    for minutes, what, contact in ops:
        when = T0 + timedelta(minutes=minutes)
        if what == "tick":
            jm.tick(when)
        elif what == "created":
            jm.track(Event("contact_created", contact, when))
        else:
            jm.track(Event("purchase", contact, when, amount=Decimal("5.00"), product="book"))


def _state_file(jm: journeymap.Journeymap) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the engine's state file but its marks."""
    jm.engine.flush()
    con = sqlite3.connect(jm.state.path)
    try:
        return {
            t: sorted(con.execute(f"SELECT * FROM {t}").fetchall())
            for t in ("contacts", "members", "positions")
        }
    finally:
        con.close()


def _facts(jm: journeymap.Journeymap) -> dict[str, Any]:
    """Every fact the engine writes, each contact's profile row and live positions."""
    jm.engine.flush()
    out: dict[str, Any] = {
        "transitions": jm.store.query("engine_transitions", {"map_id": None, "contact_id": None}),
        "achievements": jm.store.query("engine_achievements", {"map_id": None}),
    }
    for q in ("engine_entries", "engine_waits", "engine_email_events"):
        out[q] = jm.store.query(q)
    for c in (*CONTACTS, "f"):
        out[c] = (
            jm.store.query("contact", {"contact_id": c}),
            jm.engine.state_of(c, "journey"),
            jm.engine.cache.held(c).profile,
        )
    return out


def _import(jm: journeymap.Journeymap, folder: Path, files: list[list[dict[str, Any]]]) -> str:
    paths = [write(folder / f"f{i}.csv", rows) for i, rows in enumerate(files) if rows]
    try:
        jm.import_files(paths, map_id="journey")
    except ImportRejected as exc:
        return exc.code
    return "imported"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_ops(0), visits=_visits(), people=_people(), after=_ops(6000))
def test_an_import_is_read_back_as_a_whole_rebuild_reads_it(
    before: list[Op], visits: list[dict[str, Any]], people: list[dict[str, Any]], after: list[Op]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = []
        for name in ("partial", "whole"):
            jm = journeymap.open(folder / f"{name}.duckdb", clock=ManualClock(T0))
            add_journey(jm)
            _apply(jm, before)
            outcome = _import(jm, folder, [visits, people])
            if name == "whole":
                jm.reload()  # every contact read back from the facts
            else:
                assert jm.store.query("engine_stale_any") == [{"stale": False}]
            imported = _state_file(jm)
            _apply(jm, after)
            runs.append((outcome, imported, _facts(jm), _state_file(jm)))
            jm.close()
        assert runs[0] == runs[1]


def test_an_import_not_yet_read_back_is_read_at_the_next_start(tmp_path: Path) -> None:
    """Killed between the import's commit and the engine's reading it back, the next start reads
    back just those contacts: their state is that of a whole rebuild."""
    path = tmp_path / "s.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add_journey(jm)
        jm.track(Event("contact_created", "b", T0))
        mark = jm.store.scalar("engine_mark")
        # the import alone, as if the process died before the engine read it back
        import_files(jm.store, [write(tmp_path / "v.csv", LATE_VISITS)], now=T0, map_id="journey")
        assert sorted(r["contact_id"] for r in jm.store.query("engine_stale_contacts")) == [
            "a",
            "n",
        ]
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        assert jm.store.scalar("engine_mark") == mark + 1
        assert jm.store.query("engine_stale_contacts") == []
        read_back = _state_file(jm)
        assert [r[:3] for r in read_back["positions"]] == [
            ("a", "journey", "nurture"),
            ("b", "journey", "nurture"),
            ("n", "journey", "welcome"),
        ]
        jm.reload()
        assert _state_file(jm) == read_back


def test_a_clickhouse_import_not_yet_taken_in_is_taken_in_at_the_next_start(
    tmp_path: Path,
) -> None:
    """ClickHouse keeps no list of the contacts an import wrote: the import moves the engine's
    flush mark on, so a start after a crash between the import and the engine's restart rebuilds
    the state file from the facts."""
    where = f"chdb://{tmp_path / 'store'}"
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        add_journey(jm)
        jm.track(Event("contact_created", "b", T0))
        mark = jm.store.scalar("engine_mark")
        # the import alone, as if the process died before the engine was started again
        import_files(jm.store, [write(tmp_path / "v.csv", LATE_VISITS)], now=T0, map_id="journey")
        assert jm.store.scalar("engine_mark") == mark + 1
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        assert [r[:3] for r in _state_file(jm)["positions"]] == [
            ("a", "journey", "nurture"),
            ("b", "journey", "nurture"),
            ("n", "journey", "welcome"),
        ]
