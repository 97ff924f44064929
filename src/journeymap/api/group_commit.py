"""Group commit: intake requests queued while one commits are applied and flushed together."""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from journeymap.library import Journeymap

T = TypeVar("T")

_NEVER = sys.maxsize
"""The engine's `flush_every` while a group is applied: a group is committed whole or not at all."""


@dataclass
class Group:
    """What the requests applied so far in this group wrote that the store does not hold yet."""

    event_ids: set[str] = dataclasses.field(default_factory=set)
    contacts: set[str] = dataclasses.field(default_factory=set)


Apply = Callable[[Journeymap, Group], T]
"""A request's work: apply it to the engine (never flush) and say what to answer."""


@dataclass
class _Job(Generic[T]):
    apply: Apply[T]
    future: Future[T] = dataclasses.field(default_factory=Future)


# A request queues its job, then takes the engine lock. If an earlier holder already committed the
# job, it just reads the answer; otherwise it takes every queued job (its own among them), applies
# them in order, flushes them in one transaction and answers them all. No writer thread: whichever
# request thread holds the lock does the work, so nothing has to be started or drained on shutdown.
# A job that raises is answered with its error alone: the engine is rebuilt from the store and the
# others are applied again, so nothing of the failing request is committed. If the flush fails,
# each job is committed alone, so only a request whose facts the store refuses fails.
class GroupCommit:
    """Runs intake requests in groups under the engine lock, one flush per group."""

    def __init__(self, jm: Journeymap, lock: threading.Lock, rebuild: Callable[[], None]) -> None:
        self.jm = jm
        self.lock = lock
        self.rebuild = rebuild
        self.commits = 0
        """Flushes that committed at least one request (for tests and the benchmark)."""
        self.committed = 0
        """Requests committed."""
        self._queue: deque[_Job[Any]] = deque()

    def run(self, apply: Apply[T]) -> T:
        """Apply a request in the next group and return its answer once that group is committed."""
        job: _Job[T] = _Job(apply)
        self._queue.append(job)
        with self.lock:
            if not job.future.done():
                self._commit_queued()
        return job.future.result()

    def queued(self) -> int:
        """Requests waiting for the next group."""
        return len(self._queue)

    # --- internals ------------------------------------------------------------------------------

    def _commit_queued(self) -> None:
        jobs: list[_Job[Any]] = []
        while self._queue:
            jobs.append(self._queue.popleft())
        every = self.jm.engine.flush_every
        try:
            self._commit(jobs)
        except BaseException as exc:  # the machinery itself failed: answer everyone, drop the group
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(exc)
            self.rebuild()
            raise
        finally:
            self.jm.engine.flush_every = every

    def _commit(self, jobs: list[_Job[Any]]) -> None:
        results = self._apply(jobs)
        try:
            self.jm.engine.flush()
        except Exception as exc:
            self.rebuild()
            if len(jobs) == 1:
                jobs[0].future.set_exception(exc)
            else:  # find the request the store refuses: commit each alone
                for job in jobs:
                    self._commit([job])
            return
        self.commits += bool(jobs)
        self.committed += len(jobs)
        for job, result in zip(jobs, results, strict=True):
            job.future.set_result(result)

    def _apply(self, jobs: list[_Job[Any]]) -> list[Any]:
        """Apply jobs in order; a failing one is answered with its error and dropped from `jobs`."""
        while True:
            self.jm.engine.flush_every = _NEVER
            group = Group()
            results: list[Any] = []
            for i, job in enumerate(jobs):
                try:
                    results.append(job.apply(self.jm, group))
                except Exception as exc:
                    self.rebuild()  # drops what it half-applied, and the jobs before it
                    job.future.set_exception(exc)
                    del jobs[i]
                    break
            else:
                return results
