"""Element kinds of a map and their settings (DESIGN.md section 1)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventKind(StrEnum):
    """What can fire a trigger or achieve a goal."""

    contact_created = "contact_created"
    tag_added = "tag_added"
    tag_removed = "tag_removed"
    field_updated = "field_updated"
    form_submitted = "form_submitted"
    page_visited = "page_visited"
    purchase = "purchase"
    email_opened = "email_opened"
    email_clicked = "email_clicked"
    added_manually = "added_manually"


class EventMatch(_Strict):
    """The event a trigger or goal listens for, with its optional narrowing settings."""

    on: EventKind
    tag: str | None = None
    field: str | None = None
    value: str | None = None
    form: str | None = None
    url_pattern: str | None = Field(
        default=None, description="glob matched against the visited URL, e.g. */pricing*"
    )
    product: str | None = None
    email: str | None = Field(
        default=None, description="id of the send-email element whose message was opened/clicked"
    )


class Reentry(StrEnum):
    """When a trigger lets a contact in again."""

    always = "always"
    not_while_on_map = "not_while_on_map"
    once = "once"


class _ElementBase(_Strict):
    id: str = Field(min_length=1, max_length=200)
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


class Trigger(_ElementBase):
    kind: Literal["trigger"] = "trigger"
    event: EventMatch
    reentry: Reentry = Reentry.not_while_on_map


class Goal(_ElementBase):
    kind: Literal["goal"] = "goal"
    event: EventMatch


class EmailMessage(_Strict):
    """A message template; `{{field}}` placeholders are filled from contact fields."""

    subject: str
    html: str = ""
    text: str = ""


class SendEmail(_Strict):
    type: Literal["send_email"] = "send_email"
    message: EmailMessage


class AddTag(_Strict):
    type: Literal["add_tag"] = "add_tag"
    tag: str


class RemoveTag(_Strict):
    type: Literal["remove_tag"] = "remove_tag"
    tag: str


class UpdateField(_Strict):
    type: Literal["update_field"] = "update_field"
    field: str
    value: str


class AddToMap(_Strict):
    type: Literal["add_to_map"] = "add_to_map"
    map_id: str


class RemoveFromMap(_Strict):
    type: Literal["remove_from_map"] = "remove_from_map"
    map_id: str


class Webhook(_Strict):
    type: Literal["webhook"] = "webhook"
    url: str


class Notify(_Strict):
    type: Literal["notify"] = "notify"
    to: str
    message: str = ""


ActionSpec = Annotated[
    SendEmail | AddTag | RemoveTag | UpdateField | AddToMap | RemoveFromMap | Webhook | Notify,
    Field(discriminator="type"),
]


class Action(_ElementBase):
    kind: Literal["action"] = "action"
    action: ActionSpec


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class Wait(_ElementBase):
    """Holds a contact for a duration, until a date, or until a weekday and/or time of day."""

    kind: Literal["wait"] = "wait"
    duration: timedelta | None = None
    until: datetime | None = None
    weekday: Weekday | None = None
    time_of_day: time | None = None
    timezone: str = "UTC"


class Rule(_Strict):
    """A condition rule: on a tag, a contact field, or a UTM value (first or last touch)."""

    tag: str | None = None
    field: str | None = None
    utm: Literal["source", "medium", "campaign", "content", "term"] | None = None
    touch: Literal["first", "last"] = "first"
    op: Literal["has", "not_has", "eq", "ne", "gt", "gte", "lt", "lte", "contains", "exists"] = "eq"
    value: str | float | None = None


class Condition(_ElementBase):
    kind: Literal["condition"] = "condition"
    rule: Rule


class Split(_ElementBase):
    """Weighted random paths; weights live on the outgoing connectors."""

    kind: Literal["split"] = "split"


class Fork(_ElementBase):
    kind: Literal["fork"] = "fork"


class Goto(_ElementBase):
    kind: Literal["goto"] = "goto"
    target: str


class End(_ElementBase):
    kind: Literal["end"] = "end"
    exit: bool = False


Element = Annotated[
    Trigger | Goal | Action | Wait | Condition | Split | Fork | Goto | End,
    Field(discriminator="kind"),
]

ELEMENT_KINDS: tuple[str, ...] = (
    "trigger",
    "goal",
    "action",
    "wait",
    "condition",
    "split",
    "fork",
    "goto",
    "end",
)
