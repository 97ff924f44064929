"""ClickHouse beside DuckDB: the six reports over the same generated facts, and the copy between.

`python -m bench clickhouse` builds (or reuses, `JM_BENCH_DB`) the reports bench's DuckDB store
(bench/reports.py's generator: 1 million contacts, about 10 million element visits by default,
`JM_BENCH_CONTACTS` scales it), copies it whole into a chDB store with `journeymap store copy`'s
code (rows per second of the copy), then times every report under every filter on both engines
(median of `JM_BENCH_CH_RUNS` warm runs, default 3; `JM_BENCH_FILTERS=none,utm` times only those
filters), prints both times and their ratio, and checks that both give the same figures. The
load average is printed before and after: the figures of a shared machine say how loaded it was.
"""

from __future__ import annotations

import functools
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.reports import FILTERS, MAP_ID, REPORTS, _median_ms, _store_path
from journeymap.reports import make_params, run_report
from journeymap.store import Store, open_store
from journeymap.store.copy import copy_store

RUNS = int(os.environ.get("JM_BENCH_CH_RUNS", "3"))
CHOSEN = [x.strip() for x in os.environ.get("JM_BENCH_FILTERS", "").split(",") if x.strip()]
"""The filters to time (names of bench/reports.py's FILTERS); all when empty."""


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _figures(store: Store, report: str, params: Any, now: datetime) -> dict[str, Any]:
    found: dict[str, Any] = run_report(store, report, params, now).as_dict()
    found.pop("computed_at")
    return found


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="jm-bench-clickhouse-") as tmp:
        duck = open_store(_store_path(tmp), create=False)
        click = open_store(f"chdb://{Path(tmp) / 'chdb'}")
        counts = duck.query("report_bench_counts", {"map_id": MAP_ID})[0]
        print(", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
        print(f"load average before: {_load()}", flush=True)
        copied = copy_store(duck, click)
        print(
            f"copy DuckDB -> chDB: {copied.total:,} rows in {copied.seconds:.1f} s, "
            f"{copied.total / copied.seconds:,.0f} rows/s "
            f"(transitions {copied.rows['transitions']:,})",
            flush=True,
        )
        now = datetime.now(UTC)
        head = ("report", "filter", "DuckDB ms", "chDB ms", "chDB/DuckDB")
        print(f"\n{head[0]:<22} {head[1]:<18} {head[2]:>10} {head[3]:>10} {head[4]:>12}  same")
        for label, filters in FILTERS.items():
            if CHOSEN and label not in CHOSEN:
                continue
            for report, goal in REPORTS.items():
                params = make_params(MAP_ID, goal=goal, **filters)
                on = {
                    name: functools.partial(_figures, store, report, params, now)
                    for name, store in (("duckdb", duck), ("chdb", click))
                }
                ms = {name: _median_ms(run, RUNS) for name, run in on.items()}
                same = on["duckdb"]() == on["chdb"]()
                print(
                    f"{report:<22} {label:<18} {ms['duckdb']:>10.1f} {ms['chdb']:>10.1f} "
                    f"{ms['chdb'] / ms['duckdb']:>11.1f}x  {'yes' if same else 'NO'}",
                    flush=True,
                )
        print(f"\nload average after: {_load()}", flush=True)
        click.close()
        duck.close()


if __name__ == "__main__":
    main()
