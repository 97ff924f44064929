"""Engine throughput: simulated contacts through the lifecycle map, against a bare DuckDB insert.

`python -m bench engine` runs, each in a fresh child process and store:

- engine: the simulator drives the real engine with `JM_BENCH_CONTACTS` contacts (default
  100,000) over 365 days through the prebuilt `lifecycle` map; the time covers planning,
  engine steps and every flush to the store. It prints events and transitions per second;
- baseline, in the same child right after: every fact row the engine wrote, read back as Arrow
  and inserted with one plain `INSERT ... SELECT` per table into bare tables of a new file;
- memory: the same simulation with `JM_BENCH_MILLION` contacts (default 1,000,000), started first
  and running beside the timed runs; its peak resident memory (the child's own `ru_maxrss`) must
  stay under 4 GiB.

Figures are medians over `JM_BENCH_RUNS` runs (default 3); the ratio is engine / baseline time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MEMORY_LIMIT = 4 << 30
SEED = 7
FACTS = (
    "contacts",
    "entries",
    "transitions",
    "achievements",
    "waits",
    "email_events",
    "purchases",
    "page_visits",
    "deliveries",
    "delivery_attempts",
)

_CHILD = """
import json, resource, sys, time
from datetime import UTC, datetime
import journeymap
from journeymap.clock import ManualClock
from journeymap.sim import Simulation

db, contacts, seed, baseline = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
facts = sys.argv[5].split(",")
start = datetime(2025, 1, 1, tzinfo=UTC)
clock = ManualClock(start)
jm = journeymap.open(db, clock=clock)
lifecycle = jm.add_template("lifecycle")
appending = [0.0]
append = jm.store.append
def timed_append(batch):
    t = time.perf_counter()
    append(batch)
    appending[0] += time.perf_counter() - t
jm.store.append = timed_append
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
sim = Simulation(jm.engine, clock, [lifecycle], contacts=contacts, days=365, seed=seed, start=start)
t, c = time.perf_counter(), cpu()
result = sim.run()
seconds, cpu_seconds = time.perf_counter() - t, cpu() - c
counts = {r["fact"]: int(r["n"]) for r in jm.store.query("sim_fact_counts")}
jm.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
out = {"seconds": seconds, "cpu": cpu_seconds, "append": appending[0], "events": result.events,
       "peak": peak, "transitions": counts["transitions"]}
if baseline:
    import duckdb
    src = duckdb.connect(db, read_only=True)
    blocks = {f: src.execute(f"SELECT * FROM {f}").to_arrow_table() for f in facts}
    src.close()
    bare = duckdb.connect(db + ".bare")
    for f, block in blocks.items():
        bare.execute(f"CREATE TABLE {f} AS SELECT * FROM block LIMIT 0")
    t, c = time.perf_counter(), cpu()
    for f, block in blocks.items():
        bare.execute(f"INSERT INTO {f} SELECT * FROM block")
    out["baseline"], out["baseline_cpu"] = time.perf_counter() - t, cpu() - c
    out["rows"] = sum(b.num_rows for b in blocks.values())
    bare.close()
print(json.dumps(out))
"""


def _start(contacts: int, *, baseline: bool, tmp: str) -> subprocess.Popen[str]:
    """A child process simulating `contacts` contacts into a fresh store under `tmp`."""
    root = Path(__file__).resolve().parent.parent
    db = Path(tmp) / "engine.duckdb"
    args = [str(db), str(contacts), str(SEED), "1" if baseline else "0", ",".join(FACTS)]
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )


def _result(child: subprocess.Popen[str]) -> dict[str, float]:
    out, err = child.communicate()
    if child.returncode:
        raise SystemExit(f"benchmark child failed:\n{err}")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    contacts = int(os.environ.get("JM_BENCH_CONTACTS", "100000"))
    million = int(os.environ.get("JM_BENCH_MILLION", "1000000"))
    runs = int(os.environ.get("JM_BENCH_RUNS", "3"))
    with tempfile.TemporaryDirectory() as big_tmp:
        # the memory run is long; it runs beside the timed runs (peak memory is its own)
        big_child = _start(million, baseline=False, tmp=big_tmp)
        results = []
        for i in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                r = _result(_start(contacts, baseline=True, tmp=tmp))
            results.append(r)
            print(
                f"run {i + 1}: engine {r['seconds']:.1f} s, {r['cpu']:.1f} CPU s "
                f"({r['append']:.1f} s in store.append), "
                f"{r['events']:,.0f} events, {r['transitions']:,.0f} transitions, "
                f"{r['rows']:,.0f} fact rows; bare insert {r['baseline']:.2f} s, "
                f"{r['baseline_cpu']:.2f} CPU s",
                flush=True,
            )
        _report(results, contacts, runs)
        big = _result(big_child)
    verdict = "under" if big["peak"] < MEMORY_LIMIT else "OVER"
    print(
        f"simulating {million:,} contacts: peak memory {big['peak'] / (1 << 30):.2f} GiB "
        f"({verdict} the 4 GiB limit), {big['seconds']:.0f} s, {big['cpu']:.0f} CPU s, "
        f"{big['events']:,.0f} events, {big['transitions']:,.0f} transitions"
    )


def _report(results: list[dict[str, float]], contacts: int, runs: int) -> None:
    engine_s = statistics.median(r["seconds"] for r in results)
    append_s = statistics.median(r["append"] for r in results)
    base_s = statistics.median(r["baseline"] for r in results)
    last = results[-1]
    events, moves, rows = last["events"], last["transitions"], last["rows"]
    print(f"lifecycle map, {contacts:,} contacts over 365 days, median of {runs} runs")
    print(f"{'':20}{'events/s':>12}{'transitions/s':>15}{'fact rows/s':>13}{'seconds':>9}")
    print(
        f"{'engine':20}{events / engine_s:>12,.0f}{moves / engine_s:>15,.0f}"
        f"{rows / engine_s:>13,.0f}{engine_s:>9.1f}"
    )
    print(
        f"{'bare DuckDB insert':20}{'':>12}{moves / base_s:>15,.0f}"
        f"{rows / base_s:>13,.0f}{base_s:>9.2f}"
    )
    engine_cpu = statistics.median(r["cpu"] for r in results)
    base_cpu = statistics.median(r["baseline_cpu"] for r in results)
    print(
        f"the engine takes {engine_s / base_s:.0f}x the time of a bare insert of the same rows "
        f"({engine_cpu / base_cpu:.0f}x its CPU time, {engine_cpu:.1f} s to {base_cpu:.2f} s); "
        f"{append_s / engine_s:.0%} of its time is store.append",
        flush=True,
    )


if __name__ == "__main__":
    main()
