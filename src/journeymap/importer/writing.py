"""From checked rows to facts: skip what the store holds, shape, append in bulk, keep summaries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from journeymap.errors import ImportRejected
from journeymap.importer.kinds import LIMITS, Kind
from journeymap.importer.maps import MapIndex
from journeymap.importer.progress import Bar
from journeymap.importer.shaping import ChainShaper, Shaped
from journeymap.importer.touches import TouchSums
from journeymap.store.protocol import STAYS_ONLY, Staging

CHUNK_ROWS = 1_000_000
"""Staged visits shaped per slice: bounds the memory one slice of facts takes."""


@dataclass(frozen=True)
class Plan:
    """How the checked rows of one kind become facts."""

    stage: Callable[[Staging, MapIndex, str | None], None]
    """Stage the checked rows for writing."""
    prepare: Callable[[Staging, str], int]
    """Drop rows the store already holds (or the file repeats); returns how many."""
    write: Callable[[Staging, str, MapIndex, Bar, int], tuple[dict[str, int], int]]
    """Append the facts (inside the caller's transaction), sequence numbers after the given one:
    rows written per table, and rows dropped while writing as repeats."""


# --- visits -------------------------------------------------------------------------------------


def _stage_visits(store: Staging, maps: MapIndex, default_map: str | None) -> None:
    if store.scalar("import_visits_history"):
        store.query("import_visits_last")
    end = datetime(LIMITS.years[1] + 1, 1, 1, tzinfo=UTC).timestamp()
    store.query("import_stage_visits", {"map": default_map, "time_end": end})


def _prepare_visits(store: Staging, file: str) -> int:
    if not store.query("import_last_any"):
        return 0
    dropped = int(store.scalar("import_visits_recorded") or 0)
    first = store.query("import_visits_before_recorded")[0]
    if first["row_no"] is not None:
        at = first["last_at"].isoformat()
        reason = f"is before this contact's last recorded move on the map at {at}"
        raise ImportRejected(file, int(first["row_no"]), "entered_at", reason)
    return dropped


def _write_visits(
    store: Staging, file: str, maps: MapIndex, bar: Bar, base: int
) -> tuple[dict[str, int], int]:
    codes = maps.codes()
    shaper = ChainShaper(codes, base)
    sums = TouchSums(len(codes.elements), len(codes.connectors))
    written = {"transitions": 0, "achievements": 0, "entries": 0}
    span = store.query("import_visits_span")[0]
    if span["n"]:
        lo, hi = int(span["lo"]), int(span["hi"]) + 1
        bar.start("writing facts", hi - lo)
        position = -1
        for start in range(lo, hi, CHUNK_ROWS):
            chunk = store.query_arrow(
                "import_visits_chunk", {"lo": start, "hi": min(start + CHUNK_ROWS, hi)}
            )
            positions = chunk["pos"].to_numpy()
            if len(positions) and (positions[0] <= position or np.any(np.diff(positions) <= 0)):
                raise RuntimeError("staged visits came back out of order")  # never expected
            position = int(positions[-1]) if len(positions) else position
            _append(store, shaper.shape(chunk), sums, written)
            bar.update(min(start + CHUNK_ROWS, hi) - lo)
        _append(store, shaper.finish(), sums, written, final=True)
    if shaper.after_next is not None:
        row, next_at = shaper.after_next
        at = datetime.fromtimestamp(next_at / 1e6, UTC).isoformat()
        raise ImportRejected(file, row, "achieved_at", f"is after the contact's next visit at {at}")
    store.query("import_visits_named")
    store.query("import_visits_members")
    store.query("import_visits_fresh")
    store.query("summary_members_new")  # the summaries' own way of making members
    # the flow rollup follows the summaries of the members made (rollup_before/after.sql)
    ids = {"ids": store.query("rollup_import_ids")[0]["ids"]}
    store.query("rollup_before", ids)
    store.query("import_visits_summaries")
    store.query("rollup_after", ids)
    params: dict[str, Any] = {"base": base}
    store.fold_query(STAYS_ONLY, "import_visits_fresh_transitions", params)
    if store.scalar("import_visits_known"):
        store.fold_query("transitions", "import_visits_known_transitions", params)
        store.fold_query("achievements", "import_visits_known_achievements", params)
    return written, shaper.duplicates


def _append(
    store: Staging, shaped: Shaped, sums: TouchSums, written: dict[str, int], *, final: bool = False
) -> None:
    for table, block in shaped.facts.items():
        if block.num_rows:
            # summaries come after all chunks, in one pass (import_visits_summaries.sql)
            store.append_columns(table, block, fold=False)
            written[table] += block.num_rows
    staged = dict(shaped.staged)
    arrivals, departures = (
        staged.pop("import_arrivals", None),
        staged.pop("import_departures", None),
    )
    if arrivals is not None or departures is not None or final:
        staged |= sums.add(arrivals, departures, final=final)
    for table, block in staged.items():
        if block.num_rows:
            store.stage(table, block)


# --- the record kinds ---------------------------------------------------------------------------


def _stage_records(kind: str) -> Callable[[Staging, MapIndex, str | None], None]:
    def stage(store: Staging, maps: MapIndex, default_map: str | None) -> None:
        store.query(f"import_stage_{kind}")

    return stage


def _prepare_records(kind: str) -> Callable[[Staging, str], int]:
    def prepare(store: Staging, file: str) -> int:
        return int(store.scalar(f"import_{kind}_dedupe") or 0)

    return prepare


def _write_records(
    kind: str,
) -> Callable[[Staging, str, MapIndex, Bar, int], tuple[dict[str, int], int]]:
    def write(
        store: Staging, file: str, maps: MapIndex, bar: Bar, base: int
    ) -> tuple[dict[str, int], int]:
        return {kind: store.append_query(kind, f"import_{kind}_facts")}, 0

    return write


def write_new_contacts(store: Staging) -> int:
    """A contacts row, created when first seen, for every contact the staged rows name anew.

    Not folded into the summaries: a new contact has no UTM, tags or fields to fold, and its
    members (if the same file made any) were made with none.
    """
    return store.append_query("contacts", "import_new_contacts", fold=False, new_keys=True)


STALE: dict[str, str] = {"contacts": "import_stale_contacts"}
"""Kind name to the query naming the contacts a file of it wrote, for the engine to read back;
other kinds that name contacts: import_stale_named."""


def mark_stale(store: Staging, kind: Kind) -> None:
    """List the contacts this file wrote in `engine_stale`: the engine reads back only these."""
    query = STALE.get(kind.name, "import_stale_named" if kind.names_contacts else None)
    if query is not None:
        store.query(query)


PLANS: dict[str, Plan] = {
    "visits": Plan(_stage_visits, _prepare_visits, _write_visits),
    **{
        kind: Plan(_stage_records(kind), _prepare_records(kind), _write_records(kind))
        for kind in ("contacts", "purchases", "email_events", "page_visits", "marketing_costs")
    },
}
"""Kind name to how its checked rows become facts."""


def record_import(
    store: Staging, sha256: str, file: str, kind: str, rows: int, now: datetime
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
