"""The intake log: accepted events, durably on disk in arrival order, until the applier has them.

SQLite in WAL mode with `synchronous=FULL`: a commit is on disk when it returns, a crash loses
nothing committed, and many requests share one commit (group commit) because one writer thread
takes every request queued while the previous commit was being written.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from journeymap.clock import Clock
from journeymap.engine.events import Event
from journeymap.intake import records

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    pos INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, also after trimming
    kind TEXT NOT NULL,
    events INTEGER NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_ids (event_id TEXT PRIMARY KEY) WITHOUT ROWID;
"""

_IN_CHUNK = 500
"""Ids looked up per statement (SQLite's bound-parameter limit is far above)."""


@dataclass(frozen=True)
class Receipt:
    """What the log did with one request: its position, and events taken or skipped as seen."""

    pos: int | None
    """Position of the request's entry; None when every event was a duplicate."""
    kept: tuple[int, ...]
    """Indexes (in the request) of the events taken: the entry holds these, in order."""

    @property
    def accepted(self) -> int:
        return len(self.kept)

    @property
    def duplicates(self) -> int:
        return self.total - len(self.kept)

    total: int


@dataclass(frozen=True)
class Entry:
    """One accepted request as the applier reads it."""

    pos: int
    kind: str
    events: list[Event]
    received_at: datetime


@dataclass
class _Job:
    kind: str
    events: list[Event]
    future: Future[Receipt] = field(default_factory=Future)


class IntakeLog:
    """An ordered, durable log of accepted requests, with their client event ids for dedupe."""

    def __init__(self, path: str, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._con = _connect(path)
        self._con.executescript(_SCHEMA)
        row = self._con.execute("SELECT v FROM meta WHERE k = 'log_id'").fetchone()
        if row is None:
            self._con.execute("INSERT INTO meta VALUES ('log_id', ?)", (uuid.uuid4().hex,))
            row = self._con.execute("SELECT v FROM meta WHERE k = 'log_id'").fetchone()
        self.log_id: str = row[0]
        """Names this log file: the store keeps the position it applied per log id."""
        self._write_lock = threading.Lock()
        self._reader = _connect(path)
        self._read_lock = threading.Lock()
        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._closing = False
        self.commits = 0
        """Group commits written (for tests and the benchmark)."""
        self.logged_events = 0
        """Events this process appended to the log."""
        self.on_commit: Callable[[], None] | None = None
        """Called after each group commit (the applier's wake-up)."""
        self.last_pos = int(
            self._con.execute("SELECT coalesce(max(pos), 0) FROM entries").fetchone()[0]
        )
        self._writer: threading.Thread | None = None
        self.start()

    # --- writing --------------------------------------------------------------------------------

    def submit(self, kind: str, events: list[Event]) -> Future[Receipt]:
        """Queue one request; its future is answered once its entry is durably committed."""
        job = _Job(kind, events)
        with self._cond:
            if self._closing:
                raise RuntimeError("the intake log is not taking requests")
            self._queue.append(job)
            self._cond.notify()
        return job.future

    def append(self, kind: str, events: list[Event]) -> Receipt:
        """Submit and wait for the commit."""
        return self.submit(kind, events).result()

    def remember_ids(self, ids: Iterable[str]) -> None:
        """Record event ids applied around the log (library, simulator), so intake skips them."""
        with self._write_lock:
            self._con.execute("BEGIN IMMEDIATE")
            self._con.executemany("INSERT OR IGNORE INTO event_ids VALUES (?)", ((i,) for i in ids))
            self._con.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        with self._read_lock:
            row = self._reader.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._write_lock:
            self._con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- reading (the applier) ------------------------------------------------------------------

    def read(self, after: int, most_events: int) -> list[Entry]:
        """Entries after a position, in order, up to about `most_events` events (at least one)."""
        out: list[Entry] = []
        taken = 0
        with self._read_lock:
            cur = self._reader.execute(
                "SELECT pos, kind, events, body, received_at FROM entries WHERE pos > ? "
                "ORDER BY pos LIMIT ?",
                (after, max(1, most_events)),
            )
            for pos, kind, n, body, received in cur:
                if out and taken + n > most_events:
                    break
                out.append(
                    Entry(int(pos), kind, records.decode(body), datetime.fromisoformat(received))
                )
                taken += int(n)
        return out

    def pending(self, after: int) -> tuple[int, datetime | None]:
        """Events logged after a position, and when the oldest of them was received."""
        with self._read_lock:
            n, oldest = self._reader.execute(
                "SELECT coalesce(sum(events), 0), min(received_at) FROM entries WHERE pos > ?",
                (after,),
            ).fetchone()
        return int(n), datetime.fromisoformat(oldest) if oldest else None

    def trim(self, upto: int) -> None:
        """Forget entries up to a position: the store holds what they did."""
        with self._read_lock:
            self._reader.execute("DELETE FROM entries WHERE pos <= ?", (upto,))

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Take requests (again): start the writer thread."""
        with self._cond:
            if self._writer is not None:
                return
            self._closing = False
            self._writer = threading.Thread(
                target=self._run, name="journeymap-intake-log", daemon=True
            )
            self._writer.start()

    def stop(self) -> None:
        """Commit what is queued, then stop the writer; later requests are refused."""
        with self._cond:
            writer, self._writer = self._writer, None
            self._closing = True
            self._cond.notify_all()
        if writer is not None:
            writer.join()

    def close(self) -> None:
        """Stop the writer and close the file."""
        self.stop()
        with self._read_lock, self._write_lock:
            self._reader.close()
            self._con.close()

    # --- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                jobs = list(self._queue)
                self._queue.clear()
            try:
                receipts = self._write(jobs)
            except BaseException as exc:  # the disk refused: every request of the group fails
                for job in jobs:
                    job.future.set_exception(exc)
                continue
            if self.on_commit is not None:
                self.on_commit()
            for job, receipt in zip(jobs, receipts, strict=True):
                job.future.set_result(receipt)

    def _write(self, jobs: list[_Job]) -> list[Receipt]:
        received = self.clock.now().isoformat()
        receipts: list[Receipt] = []
        con = self._con
        with self._write_lock:
            con.execute("BEGIN IMMEDIATE")
            try:
                group: set[str] = set()
                for job in jobs:
                    kept = _fresh(con, job.events, group)
                    fresh = [job.events[i] for i in kept]
                    pos = None
                    if fresh:
                        cur = con.execute(
                            "INSERT INTO entries (kind, events, body, received_at) "
                            "VALUES (?, ?, ?, ?)",
                            (job.kind, len(fresh), records.encode(fresh), received),
                        )
                        pos = int(cur.lastrowid or 0)
                    receipts.append(Receipt(pos, kept, len(job.events)))
                if group:
                    con.executemany("INSERT INTO event_ids VALUES (?)", ((i,) for i in group))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        self.commits += 1
        self.logged_events += sum(r.accepted for r in receipts)
        self.last_pos = max([self.last_pos, *(r.pos for r in receipts if r.pos is not None)])
        return receipts


def _fresh(con: sqlite3.Connection, events: list[Event], group: set[str]) -> tuple[int, ...]:
    """Indexes of the events whose ids the log has not seen (in this group, or before)."""
    ids = [e.event_id for e in events if e.event_id is not None]
    seen = group.intersection(ids)
    unknown = [i for i in dict.fromkeys(ids) if i not in seen]
    for start in range(0, len(unknown), _IN_CHUNK):
        chunk = unknown[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT event_id FROM event_ids WHERE event_id IN ({marks})"
        seen.update(r[0] for r in con.execute(sql, chunk))
    fresh: list[int] = []
    for i, e in enumerate(events):
        if e.event_id is None:
            fresh.append(i)
        elif e.event_id not in seen:
            fresh.append(i)
            seen.add(e.event_id)
            group.add(e.event_id)
    return tuple(fresh)


def _connect(path: str) -> sqlite3.Connection:
    con = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA busy_timeout=10000")
    return con
