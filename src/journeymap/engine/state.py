"""Per-contact state the step function reads and updates: the profile and positions on a map."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from journeymap.store.facts import UTM_FIELDS


@dataclass(slots=True)
class Profile:
    """A contact's attributes that conditions read and actions change."""

    contact_id: str
    created_at: datetime
    tags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)
    utm_first: dict[str, str] = field(default_factory=dict)
    utm_last: dict[str, str] = field(default_factory=dict)

    def snapshot(self) -> tuple[object, ...]:
        """What the contacts row is made of, cheaper to take and compare than the row: equal
        snapshots make equal rows."""
        return (
            self.created_at,
            set(self.tags),
            dict(self.fields),
            dict(self.utm_first),
            dict(self.utm_last),
        )

    def row(self) -> tuple[object, ...]:
        """The contacts-table row for this profile."""
        return (
            self.contact_id,
            self.created_at,
            *(self.utm_first.get(f) for f in UTM_FIELDS),
            *(self.utm_last.get(f) for f in UTM_FIELDS),
            sorted(self.tags),
            json.dumps(self.fields, sort_keys=True),
        )


@dataclass(slots=True)
class Position:
    """A contact sitting on an element: since when, from where, and until when for a wait."""

    element_id: str
    entry_id: int
    arrived_seq: int
    arrived_at: datetime
    came_from: str | None
    due_at: datetime | None = None
    achieved: bool = False


@dataclass(slots=True)
class MapState:
    """A contact's positions on one map (a set: one per element at most) and its entry count."""

    positions: dict[str, Position] = field(default_factory=dict)
    entries: int = 0

    @property
    def on_map(self) -> bool:
        return bool(self.positions)
