"""Blocks an import hands the DuckDB store inside its one long transaction are let go as soon as
they are written, not held until the transaction ends."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from journeymap.store import open_store

ROWS = 200_000
AT = datetime(2026, 3, 1, tzinfo=UTC)


def _purchases(first: int) -> pa.Table:
    # built from Python lists, so the buffers come from Arrow's pool, which counts them
    return pa.table(
        {
            "contact_id": pa.array([f"c{first + i}" for i in range(ROWS)]),
            "occurred_at": pa.array([AT + timedelta(seconds=i) for i in range(ROWS)]),
            "amount": pa.array([Decimal(i % 7) for i in range(ROWS)], pa.decimal128(18, 2)),
            "product": pa.array(["book"] * ROWS),
        }
    )


def _sums(first: int) -> pa.Table:
    return pa.table(
        {
            "chain": pa.array(list(range(first, first + ROWS))),
            "ck": pa.array([i % 5 for i in range(ROWS)]),
            "moves": pa.array([1] * ROWS),
        }
    )


def test_appended_and_staged_blocks_are_let_go_before_the_transaction_ends(
    tmp_path: Path,
) -> None:
    store = open_store(str(tmp_path / "s.duckdb"))
    held, size = [], _purchases(0).nbytes + _sums(0).nbytes
    with store.transaction():
        store.query("import_clear")  # the import's staging tables, on the writer's connection
        before = pa.total_allocated_bytes()
        for n in range(3):
            block = _purchases(n * ROWS)
            store.append_columns("purchases", block, fold=False)
            staged = _sums(n * ROWS)
            store.stage("import_link_sums", staged)
            del block, staged
            gc.collect()
            held.append(pa.total_allocated_bytes() - before)
    # held as tables, each pair of blocks stayed to the end (13 MB a pair); as streams, what
    # stays is a few kB of bookkeeping per block, under a thousandth of the blocks' buffers
    assert all(h < size / 1000 for h in held), (held, size)
    counts = {r["fact"]: r["n"] for r in store.query("sim_fact_counts")}
    assert counts["purchases"] == 3 * ROWS
    store.close()
