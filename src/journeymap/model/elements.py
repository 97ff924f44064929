"""Element kinds of a map and their settings (docs/maps.md)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from journeymap.model.addresses import ADDRESS_FIELD, address_problem
from journeymap.model.values import SettingValue, ValueType, readable, value_text


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
    value: SettingValue | None = None
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
    html: str = Field(default="", json_schema_extra={"format": "multiline"})
    text: str = Field(default="", json_schema_extra={"format": "multiline"})


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
    value: SettingValue

    @model_validator(mode="after")
    def _address_is_one(self) -> UpdateField:
        problem = address_problem(value_text(self.value)) if self.field == ADDRESS_FIELD else None
        if problem is not None:
            raise ValueError(f"value {value_text(self.value)!r} is not an email address: {problem}")
        return self


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
    """An email about the contact to the team: `to` (else the team address setting)."""

    type: Literal["notify"] = "notify"
    to: str | list[str] = ""
    subject: str = ""
    message: str = ""

    def recipients(self) -> list[str]:
        """The addresses in `to` (a list, or text separated by commas)."""
        given = self.to if isinstance(self.to, list) else self.to.split(",")
        return [a.strip() for a in given if a.strip()]


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
    value: SettingValue | None = None
    type: ValueType | None = Field(
        default=None, description="how `value` compares: text, number or date (default: its form)"
    )

    @model_validator(mode="after")
    def _value_reads_as_its_type(self) -> Rule:
        if self.type is not None and self.value is not None and not readable(self.value, self.type):
            raise ValueError(f"value {value_text(self.value)!r} is not a {self.type}")
        return self


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
