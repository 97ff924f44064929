"""The applier: the one thread that drains the intake log through the engine into the store.

Each micro-batch (a run of log entries, and the scheduler's tick when a wait fell due) is applied
to the engine and written to the store in one transaction together with the log position it
reached, so after a crash the applier resumes exactly where the store says: every accepted event
is applied once. An event the engine refuses is kept as a dead letter with the reason; the rest of
the batch goes on.
"""

from __future__ import annotations

import heapq
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from time import monotonic

from journeymap.engine import Event
from journeymap.intake import records
from journeymap.intake.log import Entry, IntakeLog
from journeymap.library import Journeymap
from journeymap.store.facts import FactBatch

log = logging.getLogger(__name__)

NEVER = 1 << 62
"""The engine's `flush_every` while the applier owns it: a micro-batch is flushed whole."""

_POLL_SECONDS = 0.004
"""How often the applier looks for entries another process appended to a shared log."""

_KEEP_RESULTS = 65_536
"""Answers kept for entries applied before anyone asked (a request asks microseconds after its
commit, so the newest few are all that is ever read)."""


@dataclass(frozen=True)
class Applied:
    """What applying one log entry did: events kept as dead letters, and whether it was new."""

    dead_letters: tuple[int, ...] = ()
    """Indexes of the entry's events the engine refused."""
    created: bool = False
    """For a contact upsert: the contact did not exist before."""


@dataclass
class _Outcome:
    dead: dict[int, list[int]] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)
    rows: FactBatch = field(default_factory=FactBatch)
    queued: int = 0
    """Deliveries the batch queued."""


class Applier:
    """Applies the intake log in order, in micro-batches, one store transaction each."""

    def __init__(
        self,
        jm: Journeymap,
        log_: IntakeLog,
        *,
        batch_events: int = 5000,
        gather_seconds: float = 0.25,
        tick_seconds: float = 1.0,
    ) -> None:
        self.jm = jm
        self.log = log_
        self.batch_events = batch_events
        self.gather_seconds = gather_seconds
        """The longest a micro-batch gathers entries after the first arrives. A store commit has
        a fixed cost, so the applier gathers twice as long as its last commit took (up to this):
        the commits then take at most a third of its time, leaving the machine to intake and
        reads, and cheap commits still make events visible at once. Entries that arrived during
        a commit count as gathered for as long as they waited."""
        self.last_commit_seconds = 0.0
        self.tick_seconds = tick_seconds
        self.lock = threading.RLock()
        """Held while a micro-batch is applied; other writers (maps, costs) take it too."""
        row = jm.store.query("intake_position", {"log_id": log_.log_id})
        self.pos = int(row[0]["pos"]) if row else 0
        """The last log position whose effects the store holds."""
        self.backlog = log_.pending(self.pos)[0]
        """Events that were waiting in the log when the applier started."""
        self.logged_at_start = log_.logged_events
        self.applied_events = 0
        self.dead_letters = 0
        self.last_error: str | None = None
        self.last_batch_at: datetime | None = None
        self._waiters: list[tuple[int, int, Future[Applied]]] = []
        self._results: OrderedDict[int, Applied] = OrderedDict()
        self._waiter_lock = threading.Lock()
        self._serial = 0
        self.after_commit: list[Callable[[], None]] = []
        """Called after a micro-batch that queued deliveries is committed (the outbox's
        wake-up; the outbox also polls, so a batch that queued nothing leaves it asleep)."""
        self._rates: deque[tuple[float, int]] = deque(maxlen=64)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        jm.engine_owner = self
        jm.engine.flush_every = NEVER

    # --- the thread -----------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="journeymap-applier", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Apply what is logged, then stop."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def wake(self) -> None:
        """New entries are in the log."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception as exc:  # the store itself failed: try again after a pause
                log.exception("the applier failed")
                self.last_error = f"{type(exc).__name__}: {exc}"
                self._stop.wait(self.tick_seconds)
                continue
            self._wait_for_entries()
            self._stop.wait(self._gather_left())

    def _gather_left(self) -> float:
        """How much longer the next micro-batch gathers: twice the last commit (at most
        `gather_seconds`), counted from when its oldest entry was received. Entries that waited
        through a commit have gathered already, so an applier that is behind goes on at once."""
        oldest = self.log.oldest_received(self.pos)
        waited = 0.0 if oldest is None else (self.jm.clock.now() - oldest).total_seconds()
        return max(0.0, min(self.gather_seconds, 2 * self.last_commit_seconds) - max(0.0, waited))

    def _wait_for_entries(self) -> None:
        """Sleep until new entries are logged, or a tick is due. Another process appending to a
        shared log cannot wake this one: it looks at the file's last position every few ms."""
        if self.log.newest_pos() > self.pos:
            self._wake.clear()
            return
        if not self.log.shared:
            self._wake.wait(self.tick_seconds)
        else:
            deadline = monotonic() + self.tick_seconds
            while monotonic() < deadline and self.log.newest_pos() <= self.pos:
                if self._wake.wait(_POLL_SECONDS):
                    break
        self._wake.clear()

    # --- one micro-batch ------------------------------------------------------------------------

    def run_once(self) -> int:
        """Apply the next micro-batch (and release due waits); how many entries it applied."""
        entries = self.log.read(self.pos, self.batch_events)
        with self.lock:
            now = self.jm.clock.now()
            due = self.jm.engine.next_due()
            tick = due is not None and due <= now
            if not entries and not tick:
                return 0
            started = monotonic()
            outcome = self._commit(entries, now if tick else None)
            self.last_commit_seconds = monotonic() - started
            if entries:
                self.pos = entries[-1].pos
            self.applied_events += sum(len(e.events) for e in entries)
            self.last_batch_at = now
        self._answer(entries, outcome)
        if outcome.queued:
            for hook in self.after_commit:
                hook()
        if entries:
            self.log.trim(self.pos)
            self._rates.append((monotonic(), self.applied_events))
        return len(entries) or 1

    def _commit(self, entries: list[Entry], tick: datetime | None) -> _Outcome:
        """Apply and write entries in one transaction; on a refused write, split the batch."""
        outcome = self._apply(entries, tick)
        try:
            self._write(entries, outcome)
        except Exception as exc:
            self.restart_engine()
            if len(entries) <= 1:
                return self._write_dead(entries, f"the store refused the event: {exc}")
            half = len(entries) // 2
            first = self._commit(entries[:half], tick)
            second = self._commit(entries[half:], None)
            first.dead.update(second.dead)
            first.created.update(second.created)
            first.queued += second.queued
            return first
        return outcome

    def _apply(self, entries: list[Entry], tick: datetime | None) -> _Outcome:
        """Apply entries to the engine; an event it refuses becomes a dead letter."""
        skip: set[tuple[int, int]] = set()
        outcome = _Outcome()
        while True:
            outcome.created.clear()
            current: tuple[Entry, int] | None = None
            try:
                engine = self.jm.engine
                applied_before = self._applied_before(entries)
                for entry in entries:
                    if entry.kind == "contact" and not engine.knows(_contact(entry)):
                        outcome.created.add(entry.pos)
                    for i, event in enumerate(entry.events):
                        if (entry.pos, i) not in skip and event.event_id not in applied_before:
                            current = (entry, i)
                            engine.apply(event, deduped=True)
                current = None
                if tick is not None:
                    engine.tick(tick)
                return outcome
            except Exception as exc:
                self.restart_engine()
                if current is None:  # the tick failed: its waits stay due for the next beat
                    log.exception("releasing due waits failed")
                    self.last_error = f"releasing due waits failed: {exc}"
                    tick = None
                    continue
                entry, i = current
                skip.add((entry.pos, i))
                outcome.dead.setdefault(entry.pos, []).append(i)
                outcome.rows.add("dead_letters", _dead_row(entry, i, exc, self.jm.clock.now()))
                self.dead_letters += 1

    def _applied_before(self, entries: list[Entry]) -> set[str | None]:
        """Client ids of these events the store already holds (applied around the log)."""
        ids = [e.event_id for entry in entries for e in entry.events if e.event_id is not None]
        if not ids:
            return set()
        return {r["event_id"] for r in self.jm.store.query("events_seen", {"ids": ids})}

    def _write(self, entries: list[Entry], outcome: _Outcome) -> None:
        store = self.jm.store
        engine = self.jm.engine
        before = engine.deliveries_written
        with store.transaction():
            engine.flush()
            rows = FactBatch({k: list(v) for k, v in outcome.rows.rows.items()})
            if entries:
                now = self.jm.clock.now()
                rows.add("intake_positions", (self.log.log_id, entries[-1].pos, now))
            store.append(rows)
        outcome.queued += engine.deliveries_written - before

    def _write_dead(self, entries: list[Entry], reason: str) -> _Outcome:
        """Keep every event of entries the store would not take as dead letters."""
        outcome = _Outcome()
        now = self.jm.clock.now()
        for entry in entries:
            for i in range(len(entry.events)):
                outcome.dead.setdefault(entry.pos, []).append(i)
                outcome.rows.add("dead_letters", _dead_row(entry, i, reason, now))
                self.dead_letters += 1
        self._write(entries, outcome)
        return outcome

    def restart_engine(self) -> None:
        """The engine as the store has it: what a failed batch half-applied is dropped."""
        self.jm.restart_engine()
        self.jm.engine.flush_every = NEVER

    # --- read-your-writes -----------------------------------------------------------------------

    def applied(self, pos: int) -> Future[Applied]:
        """A future answered once the entry at `pos` is applied and committed."""
        future: Future[Applied] = Future()
        with self._waiter_lock:
            if pos <= self.pos:
                future.set_result(self._results.get(pos, Applied()))
            else:
                self._serial += 1
                heapq.heappush(self._waiters, (pos, self._serial, future))
        return future

    def wait_applied(self, pos: int, timeout: float | None = None) -> Applied:
        """Block until the entry at `pos` is applied."""
        return self.applied(pos).result(timeout)

    def _answer(self, entries: list[Entry], outcome: _Outcome) -> None:
        with self._waiter_lock:
            for entry in entries:
                self._results[entry.pos] = Applied(
                    tuple(outcome.dead.get(entry.pos, ())), entry.pos in outcome.created
                )
            while len(self._results) > _KEEP_RESULTS:
                self._results.popitem(last=False)
            while self._waiters and self._waiters[0][0] <= self.pos:
                pos, _serial, future = heapq.heappop(self._waiters)
                future.set_result(self._results.get(pos, Applied()))

    # --- figures for health ---------------------------------------------------------------------

    def lag(self) -> int:
        """Events accepted into the log and not applied yet."""
        if self.log.shared:
            return self.log.pending(self.pos)[0]
        return self.backlog + self.log.logged_events - self.logged_at_start - self.applied_events

    def rate(self) -> float:
        """Events applied per second over the last micro-batches (0 before there are two)."""
        if len(self._rates) < 2:
            return 0.0
        (t0, n0), (t1, n1) = self._rates[0], self._rates[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0

    def lag_seconds(self, now: datetime) -> float:
        """How long the oldest unapplied event has waited."""
        _n, oldest = self.log.pending(self.pos)
        return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def _contact(entry: Entry) -> str:
    """The contact a contact-upsert entry is about."""
    return str(entry.events[0].contact_id) if entry.events else ""


def _dead_row(entry: Entry, index: int, reason: object, now: datetime) -> tuple[object, ...]:
    event: Event = entry.events[index]
    text = reason if isinstance(reason, str) else f"{type(reason).__name__}: {reason}"
    return (entry.pos, index, event.kind, event.contact_id, records.encode([event]), text, now)
