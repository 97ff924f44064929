"""The contacts the engine holds in memory: a bounded, most-recently-used cache over the state
file, with what changed since the last flush."""

from __future__ import annotations

import heapq
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from journeymap.engine.state import MapState, Profile
from journeymap.engine.statestore import Due, StateStore

DUE_PAGE = 10_000
"""Due waits read from the state file at a time."""


@dataclass(slots=True)
class Held:
    """One contact in memory: its profile (None until it exists) and its state on each map."""

    profile: Profile | None
    maps: dict[str, MapState] = field(default_factory=dict)


class ContactCache:
    """Contacts loaded on demand; changed ones are kept until written, the rest evicted."""

    def __init__(self, file: StateStore, capacity: int) -> None:
        self.file = file
        self.capacity = capacity
        self._held: OrderedDict[str, Held] = OrderedDict()
        self.dirty_profiles: set[str] = set()
        self.dirty_states: set[tuple[str, str]] = set()
        self.event_ids: set[str] = set()
        """Client event ids applied since the last flush."""
        self._waits: list[Due] = []
        """Waits scheduled since the last flush, and those due by `ticked` held for a later
        tick (the state file has the rest)."""
        self._stored_next: tuple[datetime | None] | None = None
        """The state file's next due wait after `ticked`, while neither has changed."""
        self.ticked: datetime | None = None
        """The latest tick's time: the state file's waits due by then were all handed to a tick
        (released, moved on, held in `_waits` or kept by a failed step until a restart)."""

    def __len__(self) -> int:
        return len(self._held)

    # --- contacts -------------------------------------------------------------------------------

    def held(self, contact_id: str) -> Held:
        """The contact, from memory or from the state file (a profile of None: not known)."""
        held = self._held.get(contact_id)
        if held is None:
            profile, maps = self.file.load(contact_id)
            held = self._held[contact_id] = Held(profile, maps)
        else:
            self._held.move_to_end(contact_id)
        return held

    def exists(self, contact_id: str) -> bool:
        held = self._held.get(contact_id)
        if held is not None:
            return held.profile is not None
        return self.file.exists(contact_id)

    def created(self, profile: Profile) -> None:
        """A contact first seen now."""
        self.held(profile.contact_id).profile = profile
        self.dirty_profiles.add(profile.contact_id)

    def state(self, contact_id: str, map_id: str, *, changing: bool = True) -> MapState:
        """The contact's state on a map; `changing` marks it to be written at the next flush."""
        maps = self.held(contact_id).maps
        state = maps.get(map_id)
        if state is None:
            state = maps[map_id] = MapState()
        if changing:
            self.dirty_states.add((contact_id, map_id))
        return state

    # --- waits ----------------------------------------------------------------------------------

    def schedule(self, due: Due) -> None:
        heapq.heappush(self._waits, due)

    def next_due(self) -> datetime | None:
        memo = self._stored_next
        if memo is None:
            memo = self._stored_next = (self.file.next_due(self.ticked),)
        stored = memo[0]
        pending = self._waits[0][0] if self._waits else None
        if stored is None or pending is None:
            return stored or pending
        return min(stored, pending)

    def due(self, now: datetime) -> list[Due]:
        """Every wait due at or before `now` not handed to a tick yet (some may have moved on
        since), in order."""
        found: set[Due] = set()
        while self._waits and self._waits[0][0] <= now:
            found.add(heapq.heappop(self._waits))
        after: Due | None = None
        while True:
            page = self.file.due(now, self.ticked, after, DUE_PAGE)
            found.update(page)
            if len(page) < DUE_PAGE:
                break
            after = page[-1]
        if self.ticked is None or now > self.ticked:
            self.ticked = now
            self._stored_next = None
        return sorted(found)

    # --- writing --------------------------------------------------------------------------------

    def pending_profiles(self) -> list[Profile]:
        """The changed profiles, for the store's contacts table."""
        out = []
        for contact_id in self.dirty_profiles:
            profile = self._held[contact_id].profile
            if profile is not None:
                out.append(profile)
        return out

    def save(self, marks: dict[str, int]) -> None:
        """Write what changed since the last flush, then let go of what is over capacity."""
        states = [(c, m, self._held[c].maps[m]) for c, m in self.dirty_states if c in self._held]
        self.file.save(self.pending_profiles(), states, marks)
        self._stored_next = None
        self.dirty_profiles.clear()
        self.dirty_states.clear()
        self.event_ids.clear()
        # the state file has them now, but it is read only after the latest tick
        ticked = self.ticked
        self._waits = [] if ticked is None else [d for d in self._waits if d[0] <= ticked]
        heapq.heapify(self._waits)
        self.trim()

    def trim(self) -> None:
        """Let go of the least recently used contacts over capacity (none is changed unsaved:
        called after a write, or when nothing changed)."""
        while len(self._held) > self.capacity:
            self._held.popitem(last=False)

    def forget(self) -> None:
        """Drop everything held in memory (after the state file was rebuilt)."""
        self._held.clear()
        self.dirty_profiles.clear()
        self.dirty_states.clear()
        self.event_ids.clear()
        self._waits.clear()
        self.ticked = None
        self._stored_next = None
