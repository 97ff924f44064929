"""From staged rows to facts: skip what the store holds, shape visits in SQL, append in chunks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from journeymap.errors import ImportRejected
from journeymap.importer.maps import MapIndex
from journeymap.importer.progress import Bar
from journeymap.store.facts import TABLES
from journeymap.store.protocol import Store

CHUNK_ROWS = 500_000
"""Rows per append: bounds the memory one slice of facts takes on its way to the fact tables."""


@dataclass(frozen=True)
class Plan:
    """How the staged rows of one kind become facts."""

    prepare: Callable[[Store, str, MapIndex], int]
    """Drop already-present rows and check rows against each other; returns how many dropped."""
    write: Callable[[Store, Bar], dict[str, int]]
    """Append the facts (inside the caller's transaction); returns rows written per table."""


# --- visits -------------------------------------------------------------------------------------


def _prepare_visits(store: Store, file: str, maps: MapIndex) -> int:
    store.stage("import_elements", maps.elements_table())
    store.stage("import_connectors", maps.connectors_table())
    duplicates = int(store.scalar("import_visits_dedupe") or 0)
    problems = store.query("import_visits_problems")
    if problems:
        p = problems[0]
        at = p["detail"].isoformat()
        reason = (
            f"is before this contact's last recorded move on the map at {at}"
            if p["problem"] == "before_recorded"
            else f"is after the contact's next visit at {at}"
        )
        raise ImportRejected(file, int(p["row_no"]), p["column_name"], reason)
    base = int(store.scalar("max_seq") or 0)
    store.query("import_visits_facts", {"base": base})
    return duplicates


def _write_visits(store: Store, bar: Bar) -> dict[str, int]:
    span = store.query("import_visit_facts_span")[0]
    written = {"transitions": 0, "achievements": 0, "entries": 0}
    if not span["n"]:
        return written
    lo, hi = int(span["lo"]) - 1, int(span["hi"])
    bar.start("writing facts", hi - lo)
    for start in range(lo, hi, CHUNK_ROWS):
        chunk = store.query_arrow(
            "import_visit_facts_chunk", {"lo": start, "hi": min(start + CHUNK_ROWS, hi)}
        )
        is_move = pc.equal(chunk["fact"], "t")
        moves = chunk.filter(is_move)
        gained = chunk.filter(pc.invert(is_move))
        enters = moves.filter(pc.equal(moves["kind"], "enter"))
        achievements = gained.rename_columns(
            ["goal_id" if n == "to_element" else n for n in gained.column_names]
        )
        entries = pa.table(
            {
                "entry_id": enters["seq"],
                "map_id": enters["map_id"],
                "contact_id": enters["contact_id"],
                "element_id": enters["to_element"],
                "occurred_at": enters["occurred_at"],
            }
        )
        for table, block in (
            ("entries", entries),
            ("transitions", moves),
            ("achievements", achievements),
        ):
            if block.num_rows:
                store.append_columns(table, block.select(list(TABLES[table])))
                written[table] += block.num_rows
        bar.update(min(start + CHUNK_ROWS, hi) - lo)
    return written


# --- the record kinds ---------------------------------------------------------------------------


def _prepare_records(kind: str) -> Callable[[Store, str, MapIndex], int]:
    def prepare(store: Store, file: str, maps: MapIndex) -> int:
        return int(store.scalar(f"import_{kind}_dedupe") or 0)

    return prepare


def _write_records(kind: str, table: str) -> Callable[[Store, Bar], dict[str, int]]:
    def write(store: Store, bar: Bar) -> dict[str, int]:
        span = store.query("import_staged_span")[0]
        if not span["n"]:
            return {table: 0}
        lo, hi = int(span["lo"]), int(span["hi"])
        bar.start("writing facts", hi - lo + 1)
        n = 0
        for start in range(lo, hi + 1, CHUNK_ROWS):
            end = min(start + CHUNK_ROWS - 1, hi)
            block = store.query_arrow(f"import_{kind}_chunk", {"lo": start, "hi": end})
            store.append_columns(table, block)
            n += block.num_rows
            bar.update(end - lo + 1)
        return {table: n}

    return write


def write_new_contacts(store: Store) -> int:
    """A contacts row, created when first seen, for every contact the staged rows name anew."""
    seen = store.query_arrow("import_new_contacts")
    if not seen.num_rows:
        return 0
    n = int(seen.num_rows)
    cols: dict[str, pa.Array] = {}
    for name in TABLES["contacts"]:
        if name in seen.column_names:
            cols[name] = seen[name]
        elif name == "tags":
            cols[name] = pa.array([[]] * n, pa.list_(pa.string()))
        elif name == "fields":
            cols[name] = pa.array(["{}"] * n, pa.string())
        else:
            cols[name] = pa.nulls(n, pa.string())
    store.append_columns("contacts", pa.table(cols))
    return n


PLANS: dict[str, Plan] = {
    "visits": Plan(_prepare_visits, _write_visits),
    "contacts": Plan(_prepare_records("contacts"), _write_records("contacts", "contacts")),
    **{
        kind: Plan(_prepare_records(kind), _write_records(kind, kind))
        for kind in ("purchases", "email_events", "page_visits", "marketing_costs")
    },
}
"""Kind name to how its staged rows become facts."""


def record_import(
    store: Store, sha256: str, file: str, kind: str, rows: int, now: datetime
) -> None:
    """Remember the file by its SHA-256 so importing it again is skipped."""
    block = pa.table(
        {
            "sha256": [sha256],
            "file_name": [file],
            "kind": [kind],
            "rows": pa.array([rows], pa.int64()),
            "occurred_at": pa.array([now], pa.timestamp("us", tz="UTC")),
        }
    )
    store.append_columns("imports", block)
