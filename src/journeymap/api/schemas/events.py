"""Event bodies, one model per kind, and how each becomes an engine Event."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from journeymap.api.schemas.common import Amount, Fields, Id, Name, Tags, Text, Time, Url, Utm
from journeymap.engine import Event


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: Id | None = Field(
        None, description="Client event id: an event whose id was seen before is skipped."
    )
    occurred_at: Time | None = Field(None, description="When it happened; default: now.")
    utm: Utm = Field(default_factory=Utm)

    def _event(self, kind: str, contact_id: str | None, now: datetime, **kw: object) -> Event:
        return Event(
            kind,
            contact_id,
            self.occurred_at or now,
            utm=self.utm.values(),
            event_id=self.event_id,
            **kw,  # type: ignore[arg-type]
        )


class _Contact(_Base):
    contact_id: Id


class PageVisited(_Base):
    """A page view by a known contact or an anonymous visitor."""

    kind: Literal["page_visited"]
    url: Url
    contact_id: Id | None = None
    visitor_id: Id | None = None

    @model_validator(mode="after")
    def _someone(self) -> PageVisited:
        if self.contact_id is None and self.visitor_id is None:
            raise PydanticCustomError(
                "missing_identity",
                "a page visit needs 'visitor_id' or 'contact_id'",
                {"field": "visitor_id"},
            )
        return self

    def to_event(self, now: datetime) -> Event:
        return self._event(
            self.kind, self.contact_id, now, url=self.url, visitor_id=self.visitor_id
        )


class FormSubmitted(_Contact):
    """A form sent by a contact; its fields and tags are set on the contact."""

    kind: Literal["form_submitted"]
    form: Name
    fields: Fields = {}
    tags: Tags = []

    def to_event(self, now: datetime) -> Event:
        return self._event(
            self.kind,
            self.contact_id,
            now,
            form=self.form,
            fields=self.fields,
            tags=tuple(self.tags),
        )


class TagChanged(_Contact):
    """A tag added to or removed from a contact."""

    kind: Literal["tag_added", "tag_removed"]
    tag: Name

    def to_event(self, now: datetime) -> Event:
        return self._event(self.kind, self.contact_id, now, tag=self.tag)


class FieldUpdated(_Contact):
    """A contact field set to a value."""

    kind: Literal["field_updated"]
    field: Name
    value: Text

    def to_event(self, now: datetime) -> Event:
        return self._event(self.kind, self.contact_id, now, field=self.field, value=self.value)


class Purchase(_Contact):
    """A purchase of a product for an amount."""

    kind: Literal["purchase"]
    amount: Amount
    product: Text | None = None

    def to_event(self, now: datetime) -> Event:
        return self._event(
            self.kind, self.contact_id, now, amount=self.amount, product=self.product
        )


class Refund(_Contact):
    """Money given back: recorded as a purchase of the negative amount."""

    kind: Literal["refund"]
    amount: Amount
    product: Text | None = None

    def to_event(self, now: datetime) -> Event:
        return self._event(
            "purchase", self.contact_id, now, amount=-self.amount, product=self.product
        )


class EmailEvent(_Contact):
    """An email opened, clicked or unsubscribed from, reported by another mail system."""

    kind: Literal["email_opened", "email_clicked", "email_unsubscribed"]
    map_id: Id | None = None
    element_id: Id | None = None
    url: Url | None = None

    def to_event(self, now: datetime) -> Event:
        return self._event(
            self.kind,
            self.contact_id,
            now,
            map_id=self.map_id,
            element_id=self.element_id,
            url=self.url,
        )


class AddedManually(_Contact):
    """A contact put on a map by hand (fires the map's `added_manually` triggers)."""

    kind: Literal["added_manually"]
    map_id: Id

    def to_event(self, now: datetime) -> Event:
        return self._event(self.kind, self.contact_id, now, map_id=self.map_id)


class Custom(_Contact):
    """Any other event: it sets the fields and tags it carries; no map listens for its name."""

    kind: Literal["custom"]
    name: Name
    fields: Fields = {}
    tags: Tags = []

    def to_event(self, now: datetime) -> Event:
        return self._event(
            self.kind,
            self.contact_id,
            now,
            value=self.name,
            fields=self.fields,
            tags=tuple(self.tags),
        )


AnyEvent = (
    PageVisited
    | FormSubmitted
    | TagChanged
    | FieldUpdated
    | Purchase
    | Refund
    | EmailEvent
    | AddedManually
    | Custom
)
EventIn = Annotated[AnyEvent, Field(discriminator="kind")]

EVENT_KINDS: frozenset[str] = frozenset(
    kind for model in get_args(AnyEvent) for kind in get_args(model.model_fields["kind"].annotation)
)
"""Every `kind` an event body may have."""


class EventBatch(BaseModel):
    """Events applied in order, all or none."""

    model_config = ConfigDict(extra="forbid")

    events: list[EventIn] = Field(min_length=1)


class Accepted(BaseModel):
    """What an intake call did: events taken, events skipped as seen before, and (when the call
    waited for them) whether they are applied and which ones the engine refused."""

    accepted: int = Field(description="Events durably logged for the applier.")
    duplicates: int = Field(description="Events skipped: their event_id was seen before.")
    applied: bool = Field(
        False, description="Whether the events are applied (only with `wait=applied`)."
    )
    dead_letters: list[int] = Field(
        default_factory=list,
        description="Indexes of events the engine refused when applying them (kept as dead "
        "letters, see GET /api/dead-letters); only with `wait=applied`.",
    )
