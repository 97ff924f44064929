"""What the engine reacts to: events about a contact, and scheduler ticks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from journeymap.model.elements import EventKind


class Intake(StrEnum):
    """Event kinds the intake accepts: the ones maps listen for, and record-only ones."""

    contact_created = "contact_created"
    contact_updated = "contact_updated"
    tag_added = "tag_added"
    tag_removed = "tag_removed"
    field_updated = "field_updated"
    form_submitted = "form_submitted"
    page_visited = "page_visited"
    purchase = "purchase"
    email_opened = "email_opened"
    email_clicked = "email_clicked"
    email_unsubscribed = "email_unsubscribed"
    added_manually = "added_manually"
    custom = "custom"


LISTENABLE: frozenset[str] = frozenset(k.value for k in EventKind)
"""Intake kinds a trigger or goal can fire on."""


@dataclass(frozen=True, slots=True)
class Event:
    """Something a contact (or an anonymous visitor) did, at a time."""

    kind: str
    contact_id: str | None
    at: datetime
    tag: str | None = None
    field: str | None = None
    value: str | None = None
    form: str | None = None
    url: str | None = None
    visitor_id: str | None = None
    product: str | None = None
    amount: Decimal | None = None
    map_id: str | None = None
    element_id: str | None = None
    utm: dict[str, str] = dataclasses.field(default_factory=dict)
    tags: tuple[str, ...] = ()
    fields: dict[str, str] = dataclasses.field(default_factory=dict)
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Tick:
    """The scheduler's beat: release every wait due at or before `now`."""

    now: datetime
