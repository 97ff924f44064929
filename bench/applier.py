"""The applier's cost per micro-batch: DuckDB calls, CPU and µs per event, beside a bare insert.

`python -m bench applier` opens a fresh store with the intake bench's map (bench/api.py), takes
`JM_BENCH_APPLIER_WARM` events (default 20,000) through an intake log and the applier, then for
each micro-batch size in `JM_BENCH_APPLIER_BATCHES` (default "100,1000" events) logs
`JM_BENCH_APPLIER_EVENTS` more (default 5,000) and drains them with `Applier.run_once`. Every
event is its own log entry, as single-event requests make them: new contacts' form fills with a
UTM source and their purchases, with client event ids, as `bench/wrk/events.lua` posts them.

Per micro-batch it prints the DuckDB calls the applier made (on the store's writing connection
and its readers) and the SQL statements in them, the process's CPU time (every thread) and how
much of it went to DuckDB calls, the engine's state file and reading the log, and µs of CPU per
event. The baseline, measured in the same run: each micro-batch's fact rows inserted into bare
tables of a new DuckDB file, one `INSERT ... SELECT` per table and one commit per micro-batch;
and DuckDB's CPU for one `SELECT 1`. `JM_BENCH_APPLIER_CALLS=1` lists the calls of the last
micro-batch of each size with their CPU (`statements`: each statement of them).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

import journeymap
from bench.api import MAP
from journeymap.engine import Event
from journeymap.intake.applier import Applier
from journeymap.intake.log import IntakeLog
from journeymap.model.loading import parse_map
from journeymap.store.duckdb.store import FOLDERS
from journeymap.store.facts import FactBatch

WARM = int(os.environ.get("JM_BENCH_APPLIER_WARM", "20000"))
EVENTS = int(os.environ.get("JM_BENCH_APPLIER_EVENTS", "5000"))
BATCHES = [int(b) for b in os.environ.get("JM_BENCH_APPLIER_BATCHES", "100,1000").split(",")]
LIST_CALLS = os.environ.get("JM_BENCH_APPLIER_CALLS", "0")
"""1: list the calls of each size's last micro-batch; statements: list each statement of them,
run one by one (a little more CPU than the one call that runs them together)."""
SOURCES = ("google", "newsletter", "facebook")


@dataclass
class Call:
    """One DuckDB call: what it ran, its statements, and the process CPU it took."""

    label: str
    statements: int
    cpu: float


@dataclass
class Tally:
    """What one micro-batch cost."""

    calls: list[Call] = field(default_factory=list)
    state_cpu: float = 0.0
    read_cpu: float = 0.0


def _names() -> dict[str, str]:
    """The store's named SQL files by their text, to label the calls that run them."""
    names: dict[str, str] = {}
    for package in reversed(FOLDERS):
        for item in resources.files(package).joinpath("queries").iterdir():
            if item.name.endswith(".sql"):
                names[item.read_text("utf-8")] = item.name.removesuffix(".sql")
    return names


NAMES = _names()


def _label(sql: str) -> str:
    for text, name in NAMES.items():
        if text in sql:
            return name
    return " ".join(sql.split())[:60]


_STATEMENTS: dict[str, int] = {}


def _statements(sql: str) -> int:
    if sql not in _STATEMENTS:
        _STATEMENTS[sql] = len(duckdb.extract_statements(sql))
    return _STATEMENTS[sql]


def _first_words(statement: Any) -> str:
    lines = [line for line in statement.query.splitlines() if not line.startswith("--")]
    return " ".join(" ".join(lines).split())[:50]


class Counting:
    """A DuckDB connection that records each call into the current tally."""

    def __init__(self, con: Any, bench: Bench) -> None:
        self._con = con
        self._bench = bench

    def _timed(self, label: str, statements: int, fn: Callable[[], Any]) -> Any:
        started = time.process_time()
        try:
            return fn()
        finally:
            cpu = time.process_time() - started
            if self._bench.tally is not None:
                self._bench.tally.calls.append(Call(label, statements, cpu))

    def execute(self, sql: str, *args: Any) -> Any:
        label = _label(sql)
        if LIST_CALLS == "statements" and not args and _statements(sql) > 1:
            result = self._con
            for statement in duckdb.extract_statements(sql):
                sub = f"{label}: {_first_words(statement)}"
                result = self._timed(sub, 1, lambda s=statement: self._con.execute(s))
            return result  # the last statement's, as one call running them all returns
        return self._timed(label, _statements(sql), lambda: self._con.execute(sql, *args))

    def register(self, name: str, block: Any) -> Any:
        return self._timed(f"register {name}", 0, lambda: self._con.register(name, block))

    def unregister(self, name: str) -> Any:
        return self._timed(f"unregister {name}", 0, lambda: self._con.unregister(name))

    def sql(self, sql: str, **kwargs: Any) -> Any:
        return self._timed(_label(sql), _statements(sql), lambda: self._con.sql(sql, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class Bench:
    """A store, its intake log and applier, instrumented to count what a micro-batch costs."""

    def __init__(self, tmp: Path) -> None:
        self.jm = journeymap.open(tmp / "store.duckdb")
        self.jm.add_map(parse_map(MAP))
        self.jm.engine.flush()
        self.log = IntakeLog(str(tmp / "intake.sqlite"), self.jm.clock)
        self.tally: Tally | None = None
        self.appended: list[FactBatch] = []
        self.contacts = 0
        store: Any = self.jm.store
        store._con = Counting(store._con, self)
        reader = store._reader
        store._reader = lambda: Counting(reader(), self)
        append = store.append

        def kept_append(batch: FactBatch) -> None:
            if self.tally is not None:
                self.appended.append(batch)
            append(batch)

        store.append = kept_append

    def log_events(self, n: int) -> None:
        """Log `n` single-event entries: new contacts' form fills and purchases."""
        futures = []
        for i in range(n):
            contact = f"c{self.contacts + i // 2}"
            at = self.jm.clock.now()
            if i % 2 == 0:
                source = SOURCES[(self.contacts + i) % 3]
                event = Event(
                    "form_submitted",
                    contact,
                    at,
                    form="signup",
                    utm={"source": source},
                    event_id=f"{contact}-f",
                )
            else:
                event = Event(
                    "purchase", contact, at, amount=Decimal("19.90"), event_id=f"{contact}-p"
                )
            futures.append(self.log.submit("events", [event]))
        for future in futures:
            future.result()
        self.contacts += (n + 1) // 2

    def drain(self, batch_events: int, *, measure: bool) -> list[tuple[Tally, float, int]]:
        """Apply the whole log in micro-batches of `batch_events`: per micro-batch its tally,
        process CPU seconds and events."""
        applier = Applier(self.jm, self.log, batch_events=batch_events)
        engine = self.jm.engine
        out = []
        with self._state_and_log_timed(applier):
            while self.log.newest_pos() > applier.pos:
                before = applier.applied_events
                self.tally = Tally() if measure else None
                started = time.process_time()
                applier.run_once()
                cpu = time.process_time() - started
                if self.tally is not None:
                    out.append((self.tally, cpu, applier.applied_events - before))
                self.tally = None
                assert applier.jm.engine is engine, "a micro-batch was refused"
        return out

    @contextmanager
    def _state_and_log_timed(self, applier: Applier) -> Iterator[None]:
        cache = self.jm.engine.cache
        save, read = cache.save, self.log.read

        def timed_save(marks: dict[str, int]) -> None:
            started = time.process_time()
            save(marks)
            if self.tally is not None:
                self.tally.state_cpu += time.process_time() - started

        def timed_read(after: int, most: int) -> Any:
            started = time.process_time()
            try:
                return read(after, most)
            finally:
                if self.tally is not None:
                    self.tally.read_cpu += time.process_time() - started

        cache.save = timed_save  # type: ignore[method-assign]
        self.log.read = timed_read  # type: ignore[method-assign]
        try:
            yield
        finally:
            cache.save = save  # type: ignore[method-assign]
            self.log.read = read  # type: ignore[method-assign]

    def close(self) -> None:
        self.log.close()
        self.jm.close()


def _bare(batches: list[FactBatch], path: Path) -> list[float]:
    """Process CPU seconds to insert each batch's fact rows into bare tables, one commit each."""
    con = duckdb.connect(str(path))
    made: set[str] = set()
    cpus = []
    for batch in batches:
        started = time.process_time()
        con.execute("BEGIN TRANSACTION")
        for table, columns in batch.blocks():
            block = pa.table(columns)
            con.register("_bare", block)
            if table not in made:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM _bare LIMIT 0")
                made.add(table)
            con.execute(f"INSERT INTO {table} SELECT * FROM _bare")
            con.unregister("_bare")
        con.execute("COMMIT")
        cpus.append(time.process_time() - started)
    con.close()
    return cpus


def _select_one(con: Any) -> float:
    """DuckDB's process CPU for one `SELECT 1`, in seconds (median of 200)."""
    times = []
    for _ in range(200):
        started = time.process_time()
        con.execute("SELECT 1").fetchall()
        times.append(time.process_time() - started)
    return statistics.median(times)


def _uptime() -> str:
    return subprocess.run(["uptime"], check=True, capture_output=True, text=True).stdout.strip()


def _print_calls(tally: Tally) -> None:
    by: dict[str, list[Call]] = {}
    for call in tally.calls:
        by.setdefault(call.label, []).append(call)
    for label, calls in sorted(by.items(), key=lambda kv: -sum(c.cpu for c in kv[1])):
        cpu = sum(c.cpu for c in calls) * 1000
        print(f"    {cpu:7.1f} ms  {len(calls):2} calls {calls[0].statements:2} stmts  {label}")


def main() -> None:
    print(f"before: {_uptime()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        bench = Bench(tmp)
        bench.log_events(WARM)
        bench.drain(5000, measure=False)
        select_one = _select_one(bench.jm.store._con)  # type: ignore[attr-defined]
        print(
            f"store warmed with {WARM:,} events; DuckDB's CPU for one SELECT 1: "
            f"{select_one * 1e3:.2f} ms",
            flush=True,
        )
        header = (
            f"{'micro-batch':>11} {'n':>4} {'calls':>6} {'stmts':>6} {'CPU ms':>8} "
            f"{'duckdb':>7} {'state':>6} {'log':>5} {'µs/event':>9} "
            f"{'bare ms':>8} {'bare µs/ev':>10} {'ratio':>6}"
        )
        print(header)
        for size in BATCHES:
            bench.log_events(EVENTS)
            bench.appended.clear()
            rows = bench.drain(size, measure=True)
            bare = _bare(bench.appended, tmp / f"bare-{size}.duckdb")
            events = sum(n for _t, _c, n in rows)
            cpu = sum(c for _t, c, _n in rows)
            n = len(rows)
            calls = statistics.mean(len(t.calls) for t, _c, _n in rows)
            stmts = statistics.mean(sum(c.statements for c in t.calls) for t, _c, _n in rows)
            duck = sum(sum(c.cpu for c in t.calls) for t, _c, _n in rows)
            state = sum(t.state_cpu for t, _c, _n in rows)
            read = sum(t.read_cpu for t, _c, _n in rows)
            print(
                f"{size:>11,} {n:>4} {calls:>6.1f} {stmts:>6.1f} {cpu / n * 1e3:>8.1f} "
                f"{duck / n * 1e3:>7.1f} {state / n * 1e3:>6.1f} {read / n * 1e3:>5.1f} "
                f"{cpu / events * 1e6:>9.0f} {sum(bare) / n * 1e3:>8.1f} "
                f"{sum(bare) / events * 1e6:>10.0f} {cpu / sum(bare):>6.1f}",
                flush=True,
            )
            if LIST_CALLS != "0":
                _print_calls(rows[-1][0])
        bench.close()
    print(f"after: {_uptime()}")


if __name__ == "__main__":
    main()
