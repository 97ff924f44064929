"""A store copied whole into another engine's store: every table in Arrow batches, then the
report summaries rebuilt from the copied facts; all of it or, on failure, none of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from journeymap.errors import JourneymapError
from journeymap.store.facts import TABLES
from journeymap.store.protocol import Store

BATCH_ROWS = 100_000
"""Rows read and written per Arrow batch."""

Progress = Callable[[str, int], None]
"""Told the table being copied and how many more of its rows are written."""


@dataclass(frozen=True)
class Copied:
    """What a copy moved: rows per table (tables with none left out), and how long it took."""

    rows: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def plan(source: Store, target: Store) -> dict[str, int]:
    """The rows per table a copy of `source` into `target` will move, in TABLES order; raises,
    before anything is written, when the target is not empty or cannot keep a table the source
    has rows in."""
    counts = source.row_counts()
    kept_out = [_held(t, counts) for t in TABLES if counts.get(t) and t not in target.tables]
    if kept_out:
        raise JourneymapError(
            f"{target.path}: the {target.engine} store does not keep {', '.join(kept_out)} "
            f"that {source.path} holds; nothing was copied",
            code="engine_unsupported",
        )
    found = target.row_counts()
    held = [_held(t, found) for t in TABLES if found.get(t)]
    if held:
        raise JourneymapError(
            f"{target.path} is not empty: it holds {', '.join(held)}; copy into a new store "
            "(nothing was copied)",
            code="store_not_empty",
        )
    return {t: counts[t] for t in TABLES if counts.get(t)}


def _held(table: str, counts: dict[str, int]) -> str:
    n = counts[table]
    return f"{table} ({n:,} row{'' if n == 1 else 's'})"


def copy_store(
    source: Store,
    target: Store,
    *,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> Copied:
    """Copy every table of `source` into the empty store `target` and rebuild its summaries.

    On an engine with transactions big enough (DuckDB) the copy is one transaction. On one
    without (ClickHouse) a failure truncates every table the copy wrote to, leaving the target
    empty as it was found. Either way the rows written are counted against the source's before
    the copy is kept."""
    began = time.perf_counter()
    rows = plan(source, target)
    if target.bulk_atomic:
        with target.transaction():
            _move(source, target, rows, batch_rows, progress)
    else:
        try:
            _move(source, target, rows, batch_rows, progress)
        except BaseException:
            for table in rows:
                target.truncate(table)
            raise
    return Copied(rows, time.perf_counter() - began)


def _move(
    source: Store, target: Store, rows: dict[str, int], batch_rows: int, progress: Progress | None
) -> None:
    for table in rows:
        for batch in source.read_table(table, batch_rows):
            target.append_columns(table, pa.Table.from_batches([batch]), fold=False)
            if progress is not None:
                progress(table, batch.num_rows)
    target.rebuild_summaries()
    found = target.row_counts()
    short = [f"{t} ({found.get(t, 0):,} of {n:,})" for t, n in rows.items() if found.get(t) != n]
    if short:
        raise JourneymapError(
            f"{target.path}: the copy wrote other row counts than {source.path} holds: "
            f"{', '.join(short)}; nothing was kept",
            code="copy_mismatch",
        )
