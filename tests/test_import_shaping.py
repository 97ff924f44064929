"""Property: imported visits become exactly the facts docs/import.md describes, however the files
split, repeat and overlap, and the report summaries built for them equal a rebuild from the facts.

The expected facts come from a reference written here from the documentation, sharing no code
with the importer; the files are imported in slices of a few rows so chains cross slice borders.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.importer import writing
from journeymap.model import parse_map
from test_import_support import JOURNEY, T0, achievements, entries, moves, write

LOOP = {
    "id": "loop",
    "elements": [
        {"id": "t", "kind": "trigger", "event": {"on": "contact_created"}},
        {"id": "a", "kind": "fork"},
        {"id": "g", "kind": "goal", "event": {"on": "purchase"}},
        {"id": "h", "kind": "goal", "event": {"on": "purchase"}},
        {"id": "e", "kind": "end"},
    ],
    "connectors": [
        {"id": "c1", "from": "t", "to": "a"},
        {"id": "c2", "from": "a", "to": "g"},
        {"id": "c3", "from": "g", "to": "h"},
        {"id": "c4", "from": "h", "to": "a"},
        {"id": "c5", "from": "a", "to": "e"},
        {"id": "c6", "from": "a", "to": "g"},
    ],
}
"""t -> a (fork) -> g (goal) -> h (goal) -> back to a; a -> e; two connectors a -> g (c2
is the one a move follows)."""

MAPS = {m["id"]: m for m in (JOURNEY, LOOP)}
ELEMENTS = {m: [e["id"] for e in spec["elements"]] for m, spec in MAPS.items()}
GOALS = {m: {e["id"] for e in spec["elements"] if e["kind"] == "goal"} for m, spec in MAPS.items()}
CONTACTS = ["ann", "bob", "cy", "dee"]


@dataclass
class Visit:
    contact: str
    map: str
    element: str
    entered: datetime
    left: datetime | None = None
    came_from: str | None = None
    achieved: datetime | None = None

    def row(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact,
            "map_id": self.map,
            "element_id": self.element,
            "entered_at": _iso(self.entered),
            "left_at": _iso(self.left),
            "from_element_id": self.came_from,
            "achieved_at": _iso(self.achieved),
        }


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def histories(draw: st.DrawFn) -> list[list[Visit]]:
    """Files of visits: each continues every chain from where the files before left it (or
    repeats some of their rows), with ties, repeats within a file and exits."""
    files: list[list[Visit]] = []
    clock: dict[tuple[str, str], datetime] = {}
    for _ in range(draw(st.integers(1, 3))):
        rows: list[Visit] = []
        for contact in draw(st.lists(st.sampled_from(CONTACTS), min_size=1, unique=True)):
            for map_id in draw(st.lists(st.sampled_from(list(MAPS)), min_size=1, unique=True)):
                rows += _chain(draw, contact, map_id, clock)
        if files and files[-1] and draw(st.booleans()):  # an overlapping export repeats rows
            rows += draw(st.lists(st.sampled_from(files[-1]), max_size=3))
        files.append(draw(st.permutations(rows)))
    return files


def _chain(
    draw: st.DrawFn, contact: str, map_id: str, clock: dict[tuple[str, str], datetime]
) -> list[Visit]:
    at = clock.get((contact, map_id), T0)
    visits: list[Visit] = []
    for _ in range(draw(st.integers(0, 4))):
        at += timedelta(minutes=draw(st.sampled_from([0, 0, 1, 5])))  # 0: the same moment
        element = draw(st.sampled_from(ELEMENTS[map_id]))
        came_from = draw(st.one_of(st.none(), st.sampled_from(ELEMENTS[map_id])))
        visits.append(Visit(contact, map_id, element, at, came_from=came_from))
        if draw(st.integers(0, 5)) == 0:
            visits.append(Visit(contact, map_id, element, at, came_from=came_from))  # repeated
    if visits and draw(st.booleans()):
        visits[-1].left = at = at + timedelta(minutes=3)
    for v, nxt in zip(visits, [*visits[1:], None], strict=False):
        if v.element in GOALS[map_id] and draw(st.booleans()):
            latest = v.left or (nxt.entered if nxt is not None else v.entered + timedelta(hours=1))
            tied = any(w.entered == v.entered and w.element != v.element for w in visits)
            v.achieved = v.entered if tied else v.entered + (latest - v.entered) / 2
    for v in visits:  # a repeated row is the same row twice
        twin = next(w for w in visits if (w.element, w.entered) == (v.element, v.entered))
        v.left, v.came_from, v.achieved = twin.left, twin.came_from, twin.achieved
    if visits:
        clock[(contact, map_id)] = at
    return visits


class Reference:
    """The facts docs/import.md says a sequence of visits files becomes."""

    def __init__(self) -> None:
        self.seq = 0
        self.moves: list[tuple[Any, ...]] = []
        self.achievements: list[tuple[Any, ...]] = []
        self.entries: list[tuple[Any, ...]] = []

    def connector(self, map_id: str, source: str, target: str) -> str | None:
        return next(
            (
                c["id"]
                for c in MAPS[map_id]["connectors"]
                if (c["from"], c["to"]) == (source, target)
            ),
            None,
        )

    def import_file(self, visits: list[Visit]) -> None:
        kept: list[tuple[int, Visit]] = []
        seen: set[tuple[str, str, str, datetime]] = set()
        for n, v in enumerate(visits):
            key = (v.contact, v.map, v.element, v.entered)
            recorded = any(
                (m[1], m[8], m[4], m[7]) == (v.contact, v.map, v.element, v.entered)
                for m in self.moves
            )
            if key not in seen and not recorded:
                kept.append((n, v))
            seen.add(key)
        chains: dict[tuple[str, str], list[tuple[int, Visit]]] = {}
        for n, v in kept:
            chains.setdefault((v.contact, v.map), []).append((n, v))
        for contact, map_id in sorted(chains):
            chain = [
                v for _, v in sorted(chains[(contact, map_id)], key=lambda x: (x[1].entered, x[0]))
            ]
            mine = [m for m in self.moves if (m[1], m[8]) == (contact, map_id)]
            last = max(mine, key=lambda m: m[0]) if mine else None
            stands = last is not None and last[4] is not None
            entry = last[2] if stands and last is not None else None
            previous = last[4] if stands and last is not None else None
            for i, v in enumerate(chain):
                self.seq += 1
                source = (v.came_from or previous) if (i > 0 or stands) else None
                if entry is None:
                    entry = self.seq
                    self.entries.append((entry, contact, v.element, v.entered))
                connector = self.connector(map_id, source, v.element) if source else None
                kind = (
                    "enter" if source is None
                    else "flow" if connector is not None
                    else "pull" if v.element in GOALS[map_id]
                    else "goto"
                )  # fmt: skip
                self.moves.append(
                    (
                        self.seq,
                        contact,
                        entry,
                        source,
                        v.element,
                        connector,
                        kind,
                        v.entered,
                        map_id,
                    )
                )
                if v.element in GOALS[map_id]:
                    self.seq += 1
                    self.achievements.append(
                        (self.seq, contact, v.element, entry, source, v.achieved or v.entered)
                    )
                previous = v.element
            if chain and chain[-1].left is not None:
                self.seq += 1
                self.moves.append(
                    (self.seq, contact, entry, previous, None, None, "exit", chain[-1].left, map_id)
                )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding both maps and the context files, built once and copied for each example:
    what it holds is the same in every example."""
    folder = tmp_path_factory.mktemp("template")
    with journeymap.open(folder / "store.duckdb") as jm:
        for spec in MAPS.values():
            jm.add_map(parse_map(spec))
        _context(jm, folder)
    return folder


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=histories(), slice_rows=st.integers(1, 4), formats=st.lists(
    st.sampled_from([".csv", ".jsonl", ".parquet"]), min_size=3, max_size=3))  # fmt: skip
def test_visits_files_become_the_documented_facts(
    template: Path, files: list[list[Visit]], slice_rows: int, formats: list[str]
) -> None:
    reference = Reference()
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        shutil.copytree(template, tmp, dirs_exist_ok=True)
        patch.setattr(writing, "CHUNK_ROWS", slice_rows)
        with journeymap.open(Path(tmp) / "store.duckdb", create=False) as jm:
            for n, (visits, suffix) in enumerate(zip(files, formats, strict=False)):
                if visits:
                    jm.import_files([write(Path(tmp) / f"v{n}{suffix}", [v.row() for v in visits])])
                reference.import_file(visits)
            assert moves(jm) == [m[:8] for m in sorted(reference.moves)]
            assert achievements(jm) == sorted(reference.achievements)
            assert entries(jm) == sorted(reference.entries)
            imported = jm.store.query("summary_snapshot")
            jm.store.rebuild_summaries()
            assert jm.store.query("summary_snapshot") == imported


def _context(jm: journeymap.Journeymap, tmp: Path) -> None:
    """Contacts with UTM, purchases, and email events that make members before any visit."""
    people = [
        {"contact_id": "ann", "created_at": "2026-01-01T00:00:00Z", "utm_source": "ads"},
        {"contact_id": "bob", "created_at": "2026-01-01T00:00:00Z", "utm_source": "news",
         "last_utm_source": "ads"},
    ]  # fmt: skip
    buys = [{"contact_id": "ann", "occurred_at": "2026-01-02T00:00:00Z", "amount": "12.50"}]
    mails = [{"contact_id": "cy", "map_id": "loop", "element_id": "t", "event": "sent",
              "occurred_at": "2026-01-02T00:00:00Z"}]  # fmt: skip
    jm.import_files(
        [write(tmp / "people.csv", people), write(tmp / "buys.csv", buys),
         write(tmp / "mails.csv", mails)]
    )  # fmt: skip
