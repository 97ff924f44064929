"""The delivery loop every channel shares: due deliveries attempted, each attempt recorded."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from journeymap.channels.outcomes import Attempt, reason
from journeymap.channels.retry import RetryPolicy
from journeymap.clock import Clock, as_utc
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

log = logging.getLogger(__name__)


class Courier(Protocol):
    """How one channel attempts a delivery."""

    channel: str
    """The channel whose queued deliveries it takes ('email', 'webhook')."""
    query: str
    """The named query of what to deliver, by delivery id (`$ids`)."""

    def attempt(self, row: dict[str, Any]) -> Attempt:
        """Try one delivery; whatever goes wrong with it is its attempt's status, never raised."""
        ...


class DeliveryWorker:
    """Works through one channel's queue beside the engine: a delivery is attempted when due,
    every attempt is recorded, a failure is retried by the policy until the horizon; a delivery
    is never dropped, only delivered or settled as failed with the reason."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        courier: Courier,
        policy: RetryPolicy | None = None,
        *,
        poll_seconds: float = 1.0,
        concurrency: int = 1,
        batch: int = 100,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more (got {concurrency})")
        self.store = store
        self.clock = clock
        self.courier = courier
        self.policy = policy or RetryPolicy()
        self.poll_seconds = poll_seconds
        self.concurrency = concurrency
        self.batch = batch
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._flying: set[str] = set()
        self._lock = threading.Lock()

    # --- one pass, for tests and the library ----------------------------------------------------

    def deliver_due(self) -> Counter[str]:
        """Attempt every delivery due now, once; counts by status."""
        done: Counter[str] = Counter()
        tried: set[str] = set()
        with ThreadPoolExecutor(self.concurrency) as pool:
            while rows := self._due(tried, self.batch):
                tried.update(r["delivery_id"] for r in rows)
                done.update(pool.map(self._deliver, rows))
        return done

    # --- background thread ----------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        name = f"journeymap-{self.courier.channel}"
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the queue now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Stop taking deliveries and wait for those in flight (an attempt is bounded by its
        channel's timeouts)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix=self.courier.channel) as pool:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    self._dispatch(pool)
                except Exception:  # keep the worker alive; the queue is read again next time
                    log.exception("%s delivery pass failed", self.courier.channel)
                self._wake.wait(self.poll_seconds)

    def _dispatch(self, pool: ThreadPoolExecutor) -> None:
        """Hand due deliveries to free workers; one slow receiver holds only its own worker."""
        with self._lock:
            free = self.concurrency - len(self._flying)
            flying = set(self._flying)
        if free <= 0:
            return
        for row in self._due(flying, free):
            with self._lock:
                self._flying.add(row["delivery_id"])
            pool.submit(self._deliver, row).add_done_callback(self._landed(row["delivery_id"]))

    def _landed(self, delivery_id: str) -> Callable[[Future[str]], None]:
        """What to do when the attempt at `delivery_id` is recorded: free its place, look again."""

        def done(future: Future[str]) -> None:
            with self._lock:
                self._flying.discard(delivery_id)
            if future.exception() is not None:
                log.error(
                    "recording a %s delivery failed",
                    self.courier.channel,
                    exc_info=future.exception(),
                )
            self._wake.set()

        return done

    # --- one delivery ---------------------------------------------------------------------------

    def _due(self, skip: Iterable[str], limit: int) -> list[dict[str, Any]]:
        """Due deliveries (with what to deliver), earliest first, leaving out `skip`."""
        params = {"channel": self.courier.channel, "now": self.clock.now(), "skip": sorted(skip)}
        due = self.store.query("delivery_due", {**params, "limit": limit})
        if not due:
            return []
        ids = [r["delivery_id"] for r in due]
        content = {r["delivery_id"]: r for r in self.store.query(self.courier.query, {"ids": ids})}
        return [{**content.get(r["delivery_id"], {}), **r} for r in due]

    def _deliver(self, row: dict[str, Any]) -> str:
        """Attempt one delivery and record the attempt (with its facts) in one transaction."""
        try:
            attempt = self.courier.attempt(row)
        except Exception as exc:  # a failure of the channel itself: this delivery retries
            attempt = Attempt("deferred", reason(f"{type(exc).__name__}: {exc}"))
        now = self.clock.now()
        tries = int(row["tries"]) + 1
        first = as_utc(row["first_try_at"]) if row["first_try_at"] is not None else now
        status, error, next_at = attempt.status, attempt.error, None
        if attempt.outcome == "pending":
            next_at = self.policy.next_attempt(now, first, tries, attempt.retry_after)
            if next_at is None:
                status = "expired"
                error = reason(
                    f"gave up after {tries} attempt(s) over {int((now - first).total_seconds())} s "
                    f"(horizon {self.policy.horizon_seconds:g} s); last error: {error}"
                )
        batch = FactBatch()
        batch.add(
            "delivery_attempts",
            (
                row["delivery_id"],
                self.courier.channel,
                row["map_id"],
                row["element_id"],
                row["contact_id"],
                int(row["last_attempt"]) + 1,
                status,
                Attempt(status).outcome,
                error,
                now,
                next_at,
            ),
        )
        if attempt.on_delivery is not None and Attempt(status).outcome == "delivered":
            for table, rows in attempt.on_delivery(now).items():
                batch.extend(table, rows)
        self.store.append(batch)
        return status


class DeliveryWorkers:
    """Every channel's worker: started, woken and stopped together."""

    def __init__(self, workers: Iterable[DeliveryWorker]) -> None:
        self.workers = {w.courier.channel: w for w in workers}

    def deliver_due(self) -> Counter[str]:
        """One pass of every worker; counts by status."""
        done: Counter[str] = Counter()
        for worker in self.workers.values():
            done.update(worker.deliver_due())
        return done

    def start(self) -> None:
        for worker in self.workers.values():
            worker.start()

    def wake(self) -> None:
        for worker in self.workers.values():
            worker.wake()

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()
