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

_APPLIED = "applied_pos"
"""Meta key of a shared log: the last position whose effects the store holds."""

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

    def __init__(self, path: str, clock: Clock, *, shared: bool = False) -> None:
        self.path = path
        self.clock = clock
        self.shared = shared
        """Another process appends to the file too (the server's front): entries are numbered
        from the file in each commit, and what is applied is recorded in the file for every
        writer to trim."""
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
        self._trim_to = 0
        """Entries up to here may be deleted: the store holds what they did."""
        self._trimmed = 0
        self.commits = 0
        """Group commits written (for tests and the benchmark)."""
        self.logged_events = 0
        """Events this process appended to the log."""
        self.on_commit: Callable[[], None] | None = None
        """Called after each group commit (the applier's wake-up)."""
        self.last_pos = int(
            self._con.execute("SELECT coalesce(max(pos), 0) FROM entries").fetchone()[0]
        )
        self._marker: sqlite3.Connection | None = None
        """Records the applied position (shared logs): not durable, the store is the truth."""
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

    def oldest_received(self, after: int) -> datetime | None:
        """When the first entry after a position was received (None when there is none)."""
        with self._read_lock:
            row = self._reader.execute(
                "SELECT received_at FROM entries WHERE pos > ? ORDER BY pos LIMIT 1", (after,)
            ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def trim(self, upto: int) -> None:
        """Forget entries up to a position: the store holds what they did.

        The writer thread deletes them in its next commit: a second connection writing would
        take SQLite's write lock from under intake, whose commits would then wait in SQLite's
        busy handler (sleeps of up to 100 ms) instead of on the disk.
        """
        if self.shared:
            self._mark_applied(upto)
        with self._cond:
            self._trim_to = max(self._trim_to, upto)
            if self._writer is not None:
                self._cond.notify()
                return
        with self._write_lock:  # no writer thread: nothing else writes
            self._con.execute("DELETE FROM entries WHERE pos <= ?", (self._trim_to,))

    def applied_pos(self) -> int:
        """The position the applier recorded as applied (shared logs; 0 before any)."""
        return int(self.meta(_APPLIED) or 0)

    def newest_pos(self) -> int:
        """The last entry's position in the file (0 when every entry is trimmed)."""
        with self._read_lock:
            row = self._reader.execute("SELECT coalesce(max(pos), 0) FROM entries").fetchone()
        return int(row[0])

    def _mark_applied(self, upto: int) -> None:
        if self._marker is None:
            self._marker = _connect(self.path, synchronous="OFF")
        self._marker.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_APPLIED, str(upto)))

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
            if self._marker is not None:
                self._marker.close()

    # --- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing and self._trim_to <= self._trimmed:
                    self._cond.wait()
                jobs = list(self._queue)
                self._queue.clear()
                trim = self._trim_to
            if not jobs and trim <= self._trimmed and self._closing:
                return
            try:
                receipts = self._write(jobs, trim)
            except BaseException as exc:  # the disk refused: every request of the group fails
                for job in jobs:
                    job.future.set_exception(exc)
                continue
            if jobs and self.on_commit is not None:
                self.on_commit()
            for job, receipt in zip(jobs, receipts, strict=True):
                job.future.set_result(receipt)

    def _write(self, jobs: list[_Job], trim: int) -> list[Receipt]:
        """Commit the jobs' entries (and delete the entries trimmed up to `trim`) at once.

        A few statements per group, whatever its size: each SQLite call gives the interpreter
        away and must win it back from the request thread, so calls per request cost latency.
        Positions and duplicates are read inside the write transaction: another process may
        append between two commits.
        """
        received = self.clock.now().isoformat()
        con = self._con
        with self._write_lock:
            con.execute("BEGIN IMMEDIATE")
            try:
                seen = _seen(con, [e.event_id for job in jobs for e in job.events if e.event_id])
                receipts: list[Receipt] = []
                rows: list[tuple[int, str, int, str, str]] = []
                ids: list[tuple[str]] = []
                pos = _next_pos(con) if jobs else 0
                for job in jobs:
                    kept: list[int] = []
                    for i, event in enumerate(job.events):
                        if event.event_id is None:
                            kept.append(i)
                        elif event.event_id not in seen:
                            kept.append(i)
                            seen.add(event.event_id)
                            ids.append((event.event_id,))
                    if kept:
                        fresh = records.encode([job.events[i] for i in kept])
                        rows.append((pos, job.kind, len(kept), fresh, received))
                        pos += 1
                    receipts.append(
                        Receipt(rows[-1][0] if kept else None, tuple(kept), len(job.events))
                    )
                con.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?)", rows)
                con.executemany("INSERT INTO event_ids VALUES (?)", ids)
                if self.shared:
                    row = con.execute("SELECT v FROM meta WHERE k = ?", (_APPLIED,)).fetchone()
                    trim = max(trim, int(row[0]) if row else 0)
                if trim > self._trimmed:
                    con.execute("DELETE FROM entries WHERE pos <= ?", (trim,))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        self._trimmed = max(self._trimmed, trim)
        if not jobs:
            return receipts
        self.commits += 1
        self.logged_events += sum(r.accepted for r in receipts)
        if rows:
            self.last_pos = rows[-1][0]
        return receipts


def _seen(con: sqlite3.Connection, ids: list[str]) -> set[str]:
    """Which of these event ids the log has taken before."""
    seen: set[str] = set()
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _IN_CHUNK):
        chunk = unique[start : start + _IN_CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT event_id FROM event_ids WHERE event_id IN ({marks})"
        seen.update(r[0] for r in con.execute(sql, chunk))
    return seen


def _next_pos(con: sqlite3.Connection) -> int:
    """The next entry's position: never reused, also after a trim (AUTOINCREMENT keeps the
    highest ever given in sqlite_sequence)."""
    row = con.execute(
        "SELECT max((SELECT coalesce(max(pos), 0) FROM entries), coalesce((SELECT seq FROM "
        "sqlite_sequence WHERE name = 'entries'), 0))"
    ).fetchone()
    return int(row[0]) + 1


def _connect(path: str, synchronous: str = "FULL") -> sqlite3.Connection:
    con = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(f"PRAGMA synchronous={synchronous}")
    con.execute("PRAGMA busy_timeout=10000")
    return con
