"""History import: 10 million visit rows from Parquet, against a bare DuckDB load of the same file,
and into a ClickHouse store (chDB) beside the DuckDB one.

`python -m bench import` generates `bench/data/visits_10m.parquet` when missing (1 million
contacts walking a 50-element map, seeded; `JM_BENCH_ROWS` picks another size, such as 1000000
while developing), then runs, each in a fresh child process and store:

- import: `Journeymap.import_files` of the file (checks, staging, SQL shaping, fact appends);
- baseline: `INSERT INTO visits SELECT * FROM read_parquet(...)` into a bare DuckDB table;
- chdb: the same import into a `chdb://` store (staged and checked in a DuckDB in memory, the
  new rows inserted into ClickHouse); `JM_BENCH_CHDB=0` leaves it out.

It prints rows per second and peak memory (the child's own `ru_maxrss`) of each, the median over
`JM_BENCH_RUNS` runs (default 3), the ratio import time / baseline time, and the chDB import's
time as a multiple of the DuckDB import's."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).parent / "data"
VISITS_PER_CONTACT = 10
ELEMENTS = 50
SEED = 20260105
T0 = datetime(2026, 1, 5, tzinfo=UTC)
GOAL_EVERY = 10


def bench_map() -> dict[str, object]:
    """A 50-element chain: a trigger, waits with a goal every tenth element, and an end."""
    elements: list[dict[str, object]] = [
        {"id": "e00", "kind": "trigger", "event": {"on": "contact_created"}}
    ]
    for i in range(1, ELEMENTS - 1):
        if i % GOAL_EVERY == 0:
            elements.append({"id": f"e{i:02d}", "kind": "goal", "event": {"on": "purchase"}})
        else:
            elements.append({"id": f"e{i:02d}", "kind": "wait", "duration": "P1D"})
    elements.append({"id": f"e{ELEMENTS - 1:02d}", "kind": "end"})
    connectors = [
        {"id": f"k{i:02d}", "from": f"e{i:02d}", "to": f"e{i + 1:02d}"} for i in range(ELEMENTS - 1)
    ]
    return {
        "id": "bench",
        "name": "Import benchmark",
        "elements": elements,
        "connectors": connectors,
    }


def visits_file(rows: int) -> Path:
    """The seeded visits file of `rows` rows (a multiple of ten: ten visits per contact)."""
    if rows == 10_000_000:
        return DATA / "visits_10m.parquet"
    return DATA / f"visits_{rows}.parquet"


def generate(path: Path, contacts: int) -> None:
    """Write the visits file in row groups: each contact walks the chain, now and then jumping."""
    rng = np.random.default_rng(SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = pa.schema(
        [
            ("contact_id", pa.string()),
            ("map_id", pa.string()),
            ("element_id", pa.string()),
            ("entered_at", pa.timestamp("us", tz="UTC")),
            ("left_at", pa.timestamp("us", tz="UTC")),
        ]
    )
    names = np.array([f"e{i:02d}" for i in range(ELEMENTS)], dtype=object)
    t0 = np.datetime64(T0.replace(tzinfo=None), "us")
    per_group = 100_000
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for first in range(0, contacts, per_group):
            n = min(per_group, contacts - first)
            ids = np.array([f"c{i:07d}" for i in range(first, first + n)], dtype=object)
            steps = 1 + (rng.random((n, VISITS_PER_CONTACT)) < 0.2)  # one in five visits jumps
            steps[:, 0] = 0
            element = np.minimum(np.cumsum(steps, axis=1), ELEMENTS - 1)
            start = rng.integers(0, 365 * 86_400, n) * 1_000_000
            gaps = rng.integers(60, 3 * 86_400, (n, VISITS_PER_CONTACT)) * 1_000_000
            entered = start[:, None] + np.cumsum(gaps, axis=1)
            left = np.concatenate([entered[:, 1:], entered[:, -1:] + gaps[:, :1]], axis=1)
            left_mask = np.zeros((n, VISITS_PER_CONTACT), dtype=bool)
            left_mask[:, -1] = rng.random(n) < 0.5  # half the contacts are still on the map
            table = pa.table(
                {
                    "contact_id": pa.array(np.repeat(ids, VISITS_PER_CONTACT), pa.string()),
                    "map_id": pa.array(["bench"] * (n * VISITS_PER_CONTACT), pa.string()),
                    "element_id": pa.array(names[element.ravel()], pa.string()),
                    "entered_at": pa.array(t0 + entered.ravel().astype("timedelta64[us]")),
                    "left_at": pa.array(
                        t0 + left.ravel().astype("timedelta64[us]"), mask=left_mask.ravel()
                    ),
                },
            ).cast(schema)
            writer.write_table(table, row_group_size=1_000_000)
    tmp.rename(path)


_IMPORT = """
import json, resource, sys, time
import journeymap
from journeymap.importer import shaping, touches
from journeymap.model import parse_map
from journeymap.store.clickhouse.store import ClickHouseStore
from journeymap.store.duckdb.store import DuckDBStore
from bench.importer import PHASES, bench_map
def maxrss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
spent, depth = {}, [0]
def timed(owner, method, named=None):
    inner = getattr(owner, method)
    def wrapper(self, *args, **kwargs):
        # a call made inside another timed call counts once, in the outer one's phase
        depth[0] += 1
        start = time.perf_counter()
        try:
            return inner(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                what = args[0] if args and isinstance(args[0], str) else ""
                phase = named or PHASES.get(
                    f"{method} {what}".strip(), PHASES.get(method, "other steps"))
                spent[phase] = spent.get(phase, 0.0) + time.perf_counter() - start
    setattr(owner, method, wrapper)
for method in ("query", "scalar", "query_arrow", "stage", "stage_file", "stage_types",
               "append_columns", "append_query", "fold_query"):
    timed(DuckDBStore, method)
timed(ClickHouseStore, "read_keyed", "copy the file's contacts from ClickHouse")
timed(ClickHouseStore, "append_columns", "insert the new rows into ClickHouse")
timed(ClickHouseStore, "scalar", "other steps")
timed(shaping.ChainShaper, "shape")
timed(touches.TouchSums, "add")
jm = journeymap.open(sys.argv[1])
jm.add_map(parse_map(bench_map()))
reload, before_reload = jm.restart_engine, {}
def marked_reload():
    # Journeymap.import_files ends by restarting the engine on the imported state: timed and
    # measured apart
    before_reload.update(at=time.perf_counter(), peak=maxrss(), phases=dict(spent))
    reload()
jm.restart_engine = marked_reload
spent.clear()
t = time.perf_counter()
result = jm.import_files([sys.argv[2]])
done = time.perf_counter()
jm.close()
seconds = before_reload["at"] - t
spent = before_reload["phases"]  # the reload's own queries are not the import's
spent["commit and the rest"] = seconds - sum(spent.values())
print("BENCH_RESULT", json.dumps({
    "seconds": seconds, "peak": before_reload["peak"],
    "reload": done - before_reload["at"], "total_peak": maxrss(), "written": result.written,
    "phases": spent,
}))
"""

PHASES = {
    "stage_file": "read the file (DuckDB)",
    "stage_types": "type and check the rows",
    "query import_stage_visits": "type and check the rows",
    "query import_check_visits": "type and check the rows",
    "query import_visits_last": "type and check the rows",
    "query_arrow": "shape the facts (slices read, numpy)",
    "shape": "shape the facts (slices read, numpy)",
    "add": "build the summaries",
    "append_columns transitions": "write the facts",
    "append_columns achievements": "write the facts",
    "append_columns entries": "write the facts",
    "stage": "write the facts",
    "append_query contacts": "write the facts",
    "query import_visits_named": "build the summaries",
    "query import_visits_members": "build the summaries",
    "query import_visits_fresh": "build the summaries",
    "query summary_members_new": "build the summaries",
    "query import_visits_summaries": "build the summaries",
    "fold_query": "build the summaries",
}
"""Store calls of an import (method, or method and query name) to the phase they belong to."""


_BASELINE = """
import json, resource, sys, time
import duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE visits (contact_id VARCHAR, map_id VARCHAR, element_id VARCHAR, "
            "entered_at TIMESTAMPTZ, left_at TIMESTAMPTZ)")
t = time.perf_counter()
con.execute("INSERT INTO visits SELECT * FROM read_parquet(?)", [sys.argv[2]])
elapsed = time.perf_counter() - t
con.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print("BENCH_RESULT", json.dumps({"seconds": elapsed, "peak": peak}))
"""


def _child(script: str, path: Path, engine: str = "duckdb") -> dict[str, object]:
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        db = f"chdb://{tmp}/bench" if engine == "chdb" else str(Path(tmp) / "bench.duckdb")
        root = Path(__file__).resolve().parent.parent
        out = subprocess.run(
            [sys.executable, "-c", script, db, str(path)],
            check=False,
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
    if out.returncode:
        raise SystemExit(f"benchmark child failed:\n{out.stderr}")
    found = re.search(r"BENCH_RESULT (\{.*\})", out.stdout)
    if found is None:
        raise SystemExit(f"benchmark child printed no result:\n{out.stdout[-2000:]}")
    result: dict[str, object] = json.loads(found.group(1))
    return result


def main() -> None:
    wanted = int(os.environ.get("JM_BENCH_ROWS", "10000000"))
    contacts = wanted // VISITS_PER_CONTACT
    visits = visits_file(wanted)
    if not visits.exists():
        print(f"generating {visits} ...", flush=True)
        generate(visits, contacts)
    rows = pq.ParquetFile(visits).metadata.num_rows
    runs = int(os.environ.get("JM_BENCH_RUNS", "3"))
    chdb = os.environ.get("JM_BENCH_CHDB", "1") != "0"
    imports, baselines, chdbs = [], [], []
    for i in range(runs):
        load = os.getloadavg()[0]
        base = _child(_BASELINE, visits)
        imp = _child(_IMPORT, visits)
        baselines.append(base)
        imports.append(imp)
        print(
            f"run {i + 1}: import {imp['seconds']:.1f} s, peak {_gib(imp['peak'])}; "
            f"engine reload after it {imp['reload']:.1f} s, peak {_gib(imp['total_peak'])}; "
            f"baseline {base['seconds']:.1f} s, peak {_gib(base['peak'])}; "
            f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after",
            flush=True,
        )
        if chdb:
            load = os.getloadavg()[0]
            chdbs.append(_child(_IMPORT, visits, "chdb"))
            print(
                f"run {i + 1}: chDB import {chdbs[-1]['seconds']:.1f} s, "
                f"peak {_gib(chdbs[-1]['peak'])}; load average {load:.2f} before, "
                f"{os.getloadavg()[0]:.2f} after",
                flush=True,
            )
    imp_s = statistics.median(float(str(r["seconds"])) for r in imports)
    base_s = statistics.median(float(str(r["seconds"])) for r in baselines)
    imp_peak = max(float(str(r["peak"])) for r in imports)
    base_peak = max(float(str(r["peak"])) for r in baselines)
    print(f"visits file: {rows:,} rows, {contacts:,} contacts, {ELEMENTS}-element map")
    print(f"facts written: {imports[-1]['written']}")
    print(f"{'':10}{'rows/s':>12}{'seconds':>10}{'peak memory':>14}")
    print(f"{'import':10}{rows / imp_s:>12,.0f}{imp_s:>10.1f}{_gib(imp_peak):>14}")
    print(f"{'baseline':10}{rows / base_s:>12,.0f}{base_s:>10.1f}{_gib(base_peak):>14}")
    if chdbs:
        ch_s = statistics.median(float(str(r["seconds"])) for r in chdbs)
        ch_peak = max(float(str(r["peak"])) for r in chdbs)
        print(f"{'chdb':10}{rows / ch_s:>12,.0f}{ch_s:>10.1f}{_gib(ch_peak):>14}")
    reload_s = statistics.median(float(str(r["reload"])) for r in imports)
    total_peak = max(float(str(r["total_peak"])) for r in imports)
    print(
        f"{'+ reload':10}{rows / (imp_s + reload_s):>12,.0f}{imp_s + reload_s:>10.1f}"
        f"{_gib(total_peak):>14}"
    )
    print(f"import takes {imp_s / base_s:.1f}x the time of a bare load (median of {runs} runs)")
    if chdbs:
        print(f"into chDB it takes {ch_s / imp_s:.1f}x the time of the import into DuckDB")
    for name, done in (("DuckDB", imports), ("chDB", chdbs)):
        if not done:
            continue
        median = sorted(done, key=lambda r: float(str(r["seconds"])))[len(done) // 2]
        phases = median["phases"]
        assert isinstance(phases, dict)
        print(f"where the median import's time went ({name}):")
        for phase, spent in sorted(phases.items(), key=lambda kv: -float(kv[1])):
            print(f"  {phase:40}{float(spent):>8.1f} s")


def _gib(n: object) -> str:
    return f"{float(str(n)) / (1 << 30):.2f} GiB"


if __name__ == "__main__":
    main()
