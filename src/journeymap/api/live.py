"""The library behind the server: one lock serialises the engine; intake commits in groups."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from journeymap.api.group_commit import Apply, Group, GroupCommit
from journeymap.api.settings import Settings
from journeymap.api.tokens import TokenBook
from journeymap.email import DeliveryWorker
from journeymap.engine import Event
from journeymap.library import Journeymap

log = logging.getLogger(__name__)
T = TypeVar("T")


class Live:
    """A running installation: the library, its engine lock, group commit, scheduler and outbox."""

    def __init__(self, jm: Journeymap, settings: Settings) -> None:
        self.jm = jm
        self.settings = settings
        self.lock = threading.Lock()
        secret = settings.tracking_secret
        # the library queues every message; the server only says where its links point
        self.urls = jm.configure_tracking(
            public_url=settings.base_url(), secret=secret.get_secret_value() if secret else None
        )
        self.signer = self.urls.signer
        self.channel = jm.email
        jm.set_cascade_limit(settings.cascade_limit)
        self.tokens = TokenBook(jm.store)
        self.outbox = DeliveryWorker(
            jm.store,
            jm.clock,
            settings.smtp(),
            retry_base_seconds=settings.email_retry_base_seconds,
            retry_max_seconds=settings.email_retry_max_seconds,
            poll_seconds=settings.email_poll_seconds,
        )
        self.intake = GroupCommit(jm, self.lock, self._rebuild)
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def write(self, fn: Callable[[Journeymap], T], *, engine_state: bool = True) -> T:
        """Run `fn` on the library under the engine lock; everything it wrote is committed.

        If `fn` fails after touching engine state (`engine_state`), the engine is rebuilt from
        the store, so what it had half-applied is dropped rather than flushed later.
        """
        with self.lock:
            try:
                result = fn(self.jm)
            except BaseException:
                if engine_state:
                    self._rebuild()
                raise
        self.outbox.wake()
        return result

    def commit(self, apply: Apply[T]) -> T:
        """Apply a request (engine only, no flush) in the next group; returns after its commit."""
        try:
            return self.intake.run(apply)
        finally:
            self.outbox.wake()

    def track(self, events: list[Event]) -> tuple[int, int]:
        """Apply events in order and commit them; returns (applied, skipped as seen before)."""

        def run(jm: Journeymap, group: Group) -> tuple[int, int]:
            ids = [e.event_id for e in events if e.event_id is not None]
            seen = group.event_ids.intersection(ids)
            if ids:
                seen.update(r["event_id"] for r in jm.store.query("events_seen", {"ids": ids}))
            fresh: list[Event] = []
            for e in events:
                if e.event_id is None or e.event_id not in seen:
                    fresh.append(e)
                if e.event_id is not None:
                    seen.add(e.event_id)
            for e in events:
                jm.engine.apply(e)
            group.event_ids.update(ids)
            group.contacts.update(e.contact_id for e in fresh if e.contact_id is not None)
            return len(fresh), len(events) - len(fresh)

        return self.commit(run)

    def upsert_contact(self, event: Event) -> bool:
        """Apply a contact's create-or-update event and commit it; whether the contact existed."""
        contact_id = str(event.contact_id)

        def run(jm: Journeymap, group: Group) -> bool:
            existed = contact_id in group.contacts or bool(
                jm.store.query("contact", {"contact_id": contact_id})
            )
            jm.engine.apply(event)
            group.contacts.add(contact_id)
            return existed

        return self.commit(run)

    def tick(self) -> int:
        """Release the waits that fell due; returns how many contacts moved on."""
        return self.write(lambda jm: jm.tick())

    # --- background threads ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the scheduler and the outbox worker."""
        self._stop.clear()
        self._ticker = threading.Thread(target=self._tick_loop, name="journeymap-tick", daemon=True)
        self._ticker.start()
        self.outbox.start()

    def stop(self) -> None:
        """Stop both threads and wait for them."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        self.outbox.stop()

    def _tick_loop(self) -> None:
        while not self._stop.wait(self.settings.tick_seconds):
            try:
                self.tick()
            except Exception:  # the next beat tries again from the rebuilt engine
                log.exception("scheduler tick failed")

    # --- internals ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        self.jm.restart_engine()
