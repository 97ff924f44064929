"""The engine shell: keeps contacts' state, runs the step function and persists moves in batches."""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime

from journeymap.clock import Clock, as_utc
from journeymap.engine.cache import ContactCache
from journeymap.engine.compiled import CompiledMap
from journeymap.engine.events import Event, Tick
from journeymap.engine.intake import (
    check_addresses,
    new_profile,
    record_facts,
    update_profile,
)
from journeymap.engine.map_errors import (
    CASCADE_LIMIT,
    STEP_FAILED,
    UNKNOWN_MAP,
    EffectFailed,
    MapError,
    Undo,
    reason_of,
)
from journeymap.engine.rebuild import imported, read_back
from journeymap.engine.registry import MapRegistry
from journeymap.engine.state import MapState, Position, Profile
from journeymap.engine.statestore import Due, StateStore
from journeymap.engine.step import Effect, Outcome, Seq, remove_from_map, step
from journeymap.errors import EventRejected, MapInvalid, NotFound, Problem
from journeymap.model.elements import Action, AddToMap, RemoveFromMap
from journeymap.model.map import AutomationMap
from journeymap.model.values import value_text
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

DEFAULT_CASCADE_LIMIT = 8
"""How many rounds of action-caused events (tag added, added to map, ...) one event may set off
by default; an event the next round would cause is recorded as a map error, not applied."""

_Queue = deque[tuple[Event, int]]

log = logging.getLogger(__name__)

CACHE_CONTACTS = 100_000
"""Contacts the engine keeps in memory between flushes by default; the rest stay on disk."""

EffectListener = Callable[[Effect, Profile, FactBatch], None]
"""Called for every action that runs, with the batch its facts go into (same transaction)."""


class Engine:
    """Applies events and ticks to every active map and writes what happened to the store."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        flush_every: int = 50_000,
        cascade_limit: int = DEFAULT_CASCADE_LIMIT,
        state: StateStore | None = None,
        cache_contacts: int = CACHE_CONTACTS,
    ) -> None:
        if cascade_limit < 0:
            raise ValueError(f"cascade_limit must be 0 or more (got {cascade_limit})")
        self.store = store
        self.clock = clock
        self.flush_every = flush_every
        self.cascade_limit = cascade_limit
        self.registry = MapRegistry(store)
        self.maps: dict[str, CompiledMap] = {
            m.id: CompiledMap.build(m) for m in self.registry.latest()
        }
        self.state = state if state is not None else StateStore(":memory:")
        self.cache = ContactCache(self.state, cache_contacts)
        self._batch = FactBatch()
        self.deliveries_written = 0
        """Deliveries (emails, webhooks) this engine has queued in the store, for the outbox."""
        self.listeners: list[EffectListener] = []
        self.errors: list[MapError] = []
        """The map errors of the latest apply or tick (recorded in the store as well)."""
        self._undo: Undo | None = None
        mark = store.scalar("engine_mark")
        self._mark = -1 if mark is None else int(mark)
        if self._mark < 0 or self.state.meta("flush") != self._mark:
            self.rebuild_state()
        elif imported(store):  # only the contacts an import wrote since the last start
            self._read_back(stale=True)
        self.seq = Seq(int(store.scalar("max_seq") or 0))

    # --- maps -----------------------------------------------------------------------------------

    def add_map(self, m: AutomationMap) -> AutomationMap:
        """Validate and store a map as its next version; the engine runs it from now on."""
        self.flush()
        self._check_map_refs(m)
        stored = self.registry.save(m, self.clock.now())
        self.maps[stored.id] = CompiledMap.build(stored)
        return stored

    # --- intake ---------------------------------------------------------------------------------

    def apply(self, event: Event, *, deduped: bool = False) -> list[MapError]:
        """Apply one event at its time: record it, move the contact on every map; returns the
        map errors it caused (each is recorded too).

        `deduped`: the caller (the intake log) already skipped event ids seen before.
        """
        if event.contact_id is None and event.kind != "page_visited":
            # rejected before its id is marked seen, so a corrected retry is not dropped
            raise EventRejected(f"event {event.kind!r} needs field 'contact_id'")
        if event.kind == "added_manually" and event.map_id not in self.maps:
            raise EventRejected(
                f"event 'added_manually': field 'map_id' names no running map "
                f"({event.map_id!r} is unknown or archived)"
            )
        check_addresses(event)
        if event.at.tzinfo is None or event.at.utcoffset():
            event = dataclasses.replace(event, at=as_utc(event.at))
        if event.event_id is not None:
            if not deduped and (
                event.event_id in self.cache.event_ids
                or self.store.scalar("event_seen", {"event_id": event.event_id})
            ):
                return []
            self.cache.event_ids.add(event.event_id)
            self._batch.add("ingested_events", (event.event_id, event.at))
        record_facts(event, self._batch)
        if event.contact_id is None:
            return []  # an anonymous page visit: recorded, moves nobody
        self.errors = []
        profile, created = self._profile(event)
        before = None if created else profile.snapshot()
        implied = update_profile(profile, event)
        if before is None or profile.snapshot() != before:  # an unchanged row is not written again
            self.cache.dirty_profiles.add(profile.contact_id)
        queue: _Queue = deque()
        if created and event.kind != "contact_created":
            # a contact first seen in any event is created by it: its triggers fire first
            queue.append((Event("contact_created", profile.contact_id, event.at), 0))
        if event.kind != "contact_created" or created:
            queue.append((event, 0))
        queue.extend((e, 1) for e in implied)
        self._run_cascade(profile, queue)
        if len(self._batch) >= self.flush_every:
            self.flush()
        return self.errors

    def apply_many(self, events: list[Event]) -> list[MapError]:
        """Apply events in order, as `apply` does one by one, asking the store once for the
        event ids it already holds rather than once per event."""
        pending = self.cache.event_ids
        ids = [e.event_id for e in events if e.event_id and e.event_id not in pending]
        # a local set: a flush midway clears the cache's ids of what it wrote
        seen = set(pending)
        if ids:
            stored = self.store.query("events_seen", {"ids": list(dict.fromkeys(ids))})
            seen.update(r["event_id"] for r in stored)
        errors: list[MapError] = []
        for event in events:
            if event.event_id in seen:
                continue  # seen before, in the store or earlier in these events
            errors.extend(self.apply(event, deduped=True))
            if event.event_id is not None:
                seen.add(event.event_id)
        return errors

    def tick(self, now: datetime | None = None) -> int:
        """Release every wait due at or before `now`; returns how many contacts moved on."""
        at = as_utc(now) if now is not None else self.clock.now()
        self.errors = []
        released = 0
        # a loop back to a wait passed at once holds the contact there until the next tick
        for due in self.cache.due(at):
            _due, _seq, contact_id, map_id, _element = due
            cmap = self.maps.get(map_id)
            if cmap is not None and self._sitting(due) is not None:
                profile = self._load_profile(contact_id)
                queue: _Queue = deque()
                out = self._guarded(cmap, profile, "tick", at, 0, queue, Tick(at))
                if out is not None:  # else recorded as a map error; the contact stays
                    self._run_cascade(profile, queue)
                    released += bool(out.transitions)
            pos = self._sitting(due)
            if pos is not None and pos.arrived_at >= at:
                self.cache.schedule(due)  # held this very moment: for the next tick
            if len(self._batch) >= self.flush_every:
                self.flush()
        return released

    def knows(self, contact_id: str) -> bool:
        """Whether the contact exists (in the store or created since the last flush)."""
        return self.cache.exists(contact_id)

    def next_due(self) -> datetime | None:
        """When the earliest pending wait falls due (possibly one that moved on since)."""
        return self.cache.next_due()

    def flush(self) -> None:
        """Write every buffered fact in one transaction, then the changed contacts' state."""
        cache = self.cache
        if not len(self._batch) and not cache.dirty_profiles and not cache.dirty_states:
            cache.trim()  # contacts only read (a tick finding a wait moved on) are let go too
            return
        for profile in cache.pending_profiles():
            self._batch.add("contacts", profile.row())
        mark = self._mark + 1
        self._batch.add("engine_marks", ("flush", mark))
        self.deliveries_written += len(self._batch.rows.get("deliveries", ()))
        self.store.append(self._batch)
        self._batch = FactBatch()
        self._mark = mark
        # the state file follows the facts once they are committed (the applier flushes inside
        # its own transaction); between the two a crash leaves the marks apart: a rebuild
        self.store.after_commit(lambda: self._save_state(mark))

    def _save_state(self, mark: int) -> None:
        try:
            self.cache.save({"flush": mark})
        except Exception:
            # the facts are committed: the changes stay held for the next flush to write, and
            # a start before that finds the marks apart and rebuilds the file from the facts
            log.exception("writing the engine's state file failed")

    # --- internals ------------------------------------------------------------------------------

    def _run_cascade(self, profile: Profile, queue: _Queue) -> None:
        """Apply queued events (and the events their actions cause) to every map, in order."""
        while queue:
            ev, depth = queue.popleft()
            for cmap in list(self.maps.values()):
                if ev.kind in cmap.triggers_by_event or ev.kind in cmap.goals_by_event:
                    self._guarded(cmap, profile, ev.kind, ev.at, depth, queue, ev)

    def _guarded(
        self,
        cmap: CompiledMap,
        profile: Profile,
        event: str,
        at: datetime,
        depth: int,
        queue: _Queue,
        signal: Event | Tick,
    ) -> Outcome | None:
        """One map's step and its actions, all or nothing: when anything in them raises, the
        contact's state on the map is put back, the failure is recorded as a map error and
        the event goes on to the other maps. None when it failed."""
        state = self._state(profile.contact_id, cmap.id)
        undo = self._undo = Undo(profile)
        undo.keep(state)
        main, self._batch = self._batch, FactBatch()
        errors_before = len(self.errors)
        follow: _Queue = deque()
        try:
            out = step(cmap, state, profile, signal, self.seq)
            self._collect(out, profile, depth, follow)
        except Exception as exc:  # any failure of one map is that map's alone
            undo.restore()
            del self.errors[errors_before:]
            self._batch = main
            element = exc.element_id if isinstance(exc, EffectFailed) else None
            reason = reason_of(exc)
            self._error(cmap.id, element, profile.contact_id, event, STEP_FAILED, reason, at)
            return None
        finally:
            self._undo = None
        done, self._batch = self._batch, main
        for table, rows in done.rows.items():
            main.extend(table, rows)
        for row in done.rows.get("waits", ()):
            contact_id, map_id, element_id, _entry, arrived_seq, due = row
            self.cache.schedule((due, arrived_seq, contact_id, map_id, element_id))
        queue.extend(follow)
        return out

    def _collect(self, out: Outcome, profile: Profile, depth: int, queue: _Queue) -> None:
        batch = self._batch
        batch.extend("transitions", out.transitions)
        batch.extend("entries", out.entries)
        batch.extend("achievements", out.achievements)
        batch.extend("waits", out.waits)
        if out.transitions or out.effects:
            self.cache.dirty_profiles.add(profile.contact_id)
        for eff in out.effects:
            try:
                self._carry_out(eff, profile, depth, queue)
            except Exception as exc:
                raise EffectFailed(eff.element_id) from exc

    def _carry_out(self, eff: Effect, profile: Profile, depth: int, queue: _Queue) -> None:
        """What an action does beyond the map: deliveries (the listeners: email, webhooks,
        notifications), follow-up events, other maps."""
        for listener in self.listeners:
            listener(eff, profile, self._batch)
        spec = eff.spec
        follow: Event | None = None
        if spec.type in ("add_tag", "remove_tag") and eff.changed:
            kind = "tag_added" if spec.type == "add_tag" else "tag_removed"
            follow = Event(kind, eff.contact_id, eff.at, tag=spec.tag)
        elif spec.type == "update_field" and eff.changed:
            value = value_text(spec.value)
            follow = Event("field_updated", eff.contact_id, eff.at, field=spec.field, value=value)
        elif spec.type in ("add_to_map", "remove_from_map"):
            target = self.maps.get(spec.map_id)
            if target is None:
                reason = f"{spec.type} names map {spec.map_id!r}, which is unknown or archived"
                where = (eff.map_id, eff.element_id, eff.contact_id, spec.type)
                self._error(*where, UNKNOWN_MAP, reason, eff.at)
            elif spec.type == "add_to_map":
                follow = Event("added_manually", eff.contact_id, eff.at, map_id=spec.map_id)
            else:
                state = self._state(eff.contact_id, target.id)
                if self._undo is not None:
                    self._undo.keep(state)
                out = remove_from_map(target, state, profile, eff.at, self.seq)
                self._collect(out, profile, depth, queue)
        if follow is None:
            return
        if depth < self.cascade_limit:
            queue.append((follow, depth + 1))
            return
        reason = (
            f"{follow.kind} not applied: the event had already set off {self.cascade_limit} "
            f"rounds of action-caused events (the cascade limit)"
        )
        self._error(
            eff.map_id, eff.element_id, eff.contact_id, follow.kind, CASCADE_LIMIT, reason, eff.at
        )

    def _error(
        self,
        map_id: str,
        element_id: str | None,
        contact_id: str,
        event: str,
        code: str,
        reason: str,
        at: datetime,
    ) -> None:
        error = MapError(map_id, element_id, contact_id, event, code, reason, at)
        self.errors.append(error)
        self._batch.add("map_errors", error.row())

    def _check_map_refs(self, m: AutomationMap) -> None:
        """An action may name only a map that runs (stored and not archived), or its own."""
        problems = [
            Problem(
                UNKNOWN_MAP,
                f"action {e.id!r}: {e.action.type} names map {e.action.map_id!r}, which is "
                f"unknown or archived",
                element_id=e.id,
            )
            for e in m.elements
            if isinstance(e, Action)
            and isinstance(e.action, AddToMap | RemoveFromMap)
            and e.action.map_id not in self.maps
            and e.action.map_id != m.id
        ]
        if problems:
            raise MapInvalid(m.id, problems)

    def _state(self, contact_id: str, map_id: str) -> MapState:
        return self.cache.state(contact_id, map_id)

    def _profile(self, event: Event) -> tuple[Profile, bool]:
        contact_id = str(event.contact_id)
        held = self.cache.held(contact_id)
        if held.profile is not None:
            return held.profile, False
        profile = new_profile(event, contact_id)
        self.cache.created(profile)
        return profile, True

    def _sitting(self, due: Due) -> Position | None:
        """The contact's position at the wait, if it still sits there since the arrival the due
        wait names."""
        _due, arrived_seq, contact_id, map_id, element_id = due
        pos = self.cache.state(contact_id, map_id, changing=False).positions.get(element_id)
        return pos if pos is not None and pos.arrived_seq == arrived_seq else None

    def _load_profile(self, contact_id: str) -> Profile:
        profile = self.cache.held(contact_id).profile
        if profile is None:
            raise NotFound(f"no contact {contact_id!r}")
        return profile

    def rebuild_state(self) -> None:
        """Derive the state file from the store's facts (after facts were written around the
        engine, or a crash between the two writes of a flush)."""
        self._read_back(stale=False)

    def _read_back(self, *, stale: bool) -> None:
        """Take the facts into the state file: all of them, or only the imported contacts'."""
        self.cache.forget()
        mark = self._mark + 1
        read_back(self.store, self.state, self.maps, mark, stale=stale)
        self.cache.forget()  # nothing read from the file while it was written is kept
        self._mark = mark

    def state_of(self, contact_id: str, map_id: str) -> MapState:
        """The contact's live state on a map (for tests and the library)."""
        return self.cache.state(contact_id, map_id, changing=False)
