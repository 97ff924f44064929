"""Contact bodies: the upsert request and the stored contact."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from journeymap.api.schemas.common import Fields, Id, Tags, Time, Utm
from journeymap.clock import as_utc
from journeymap.engine import Event
from journeymap.store.facts import UTM_FIELDS


class ContactIn(BaseModel):
    """Create a contact or update one: UTM of this touch, tags to add, fields to set."""

    model_config = ConfigDict(extra="forbid")

    utm: Utm = Field(default_factory=Utm)
    tags: Tags = []
    fields: Fields = {}
    event_id: Id | None = Field(
        None, description="Client event id: a request whose id was seen before changes nothing."
    )
    occurred_at: Time | None = Field(None, description="When it happened; default: now.")

    def to_event(self, contact_id: str, now: datetime) -> Event:
        return Event(
            "contact_created",
            contact_id,
            self.occurred_at or now,
            utm=self.utm.values(),
            tags=tuple(self.tags),
            fields=dict(self.fields),
            event_id=self.event_id,
        )


class ContactOut(BaseModel):
    """A contact as stored: first- and last-touch UTM, tags and fields."""

    contact_id: str
    created_at: datetime
    first_utm: Utm
    last_utm: Utm
    tags: list[str]
    fields: dict[str, str]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ContactOut:
        return cls(
            contact_id=row["contact_id"],
            created_at=as_utc(row["created_at"]),
            first_utm=Utm(**{f: row[f"first_utm_{f}"] for f in UTM_FIELDS}),
            last_utm=Utm(**{f: row[f"last_utm_{f}"] for f in UTM_FIELDS}),
            tags=list(row["tags"] or []),
            fields=json.loads(row["fields"] or "{}"),
        )
