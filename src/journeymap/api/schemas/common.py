"""Pieces several bodies share: ids, times, UTM parameters."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from journeymap import dates
from journeymap.model.limits import ID, MAX_FIELDS, MAX_TAGS, NAME, URL, VALUE, TextKind
from journeymap.store.facts import UTM_FIELDS


def _text(kind: TextKind) -> Any:
    """A string field that holds `kind` of text (docs/api.md lists the kinds)."""
    return Field(min_length=kind.min_length, max_length=kind.max_length, pattern=kind.pattern)


Id = Annotated[str, _text(ID)]
"""A contact, visitor, map, element or client event id."""

Name = Annotated[str, _text(NAME)]
"""A tag, field, form or custom event name."""

Url = Annotated[str, _text(URL)]
"""A visited or clicked URL."""

Text = Annotated[str, _text(VALUE)]
"""A free text value (field value, product, UTM value)."""

Tags = Annotated[list[Name], Field(max_length=MAX_TAGS)]
"""Tags an event adds to its contact."""

Fields = Annotated[dict[Name, Text], Field(max_length=MAX_FIELDS)]
"""Fields an event sets on its contact."""


def _iso_time(value: Any) -> Any:
    """Only ISO 8601 text: a number is refused rather than guessed as seconds or milliseconds."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "time_not_iso", "a time is ISO 8601 text, such as 2026-01-05T09:00:00Z"
        )
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "time_not_iso",
            "{value!r} is not an ISO 8601 time, such as 2026-01-05T09:00:00Z",
            {"value": value},
        ) from None
    try:
        return dates.instant(when)
    except dates.DateRejected as exc:
        raise PydanticCustomError("time_out_of_range", str(exc)) from None


Time = Annotated[datetime, BeforeValidator(_iso_time)]
"""A point in time as ISO 8601 text; without a zone it is UTC; between 1970 and 2999."""


class Utm(BaseModel):
    """UTM parameters of a visit or contact; a missing one is null."""

    model_config = ConfigDict(extra="forbid")

    source: Text | None = None
    medium: Text | None = None
    campaign: Text | None = None
    content: Text | None = None
    term: Text | None = None

    def values(self) -> dict[str, str]:
        """The given parameters, by UTM field name."""
        return {f: v for f in UTM_FIELDS if (v := getattr(self, f))}


Day = Annotated[
    str,
    Field(max_length=10, json_schema_extra={"format": "date"}, examples=["2026-01-31"]),
]
"""A calendar day as YYYY-MM-DD text; the library checks it, so a bad one is `bad_date`."""

_MAX_MONEY = Decimal("99999999999999.99")
_MONEY_TEXT = {
    True: r"^([1-9][0-9]{0,13}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$",
    False: r"^(0|[1-9][0-9]{0,13})(\.[0-9]{1,2})?$",
}


def _money_schema(positive: bool) -> dict[str, Any]:
    low = {"exclusiveMinimum": 0} if positive else {"minimum": 0}
    number = {"type": "number", **low, "maximum": float(_MAX_MONEY), "multipleOf": 0.01}
    return {"anyOf": [number, {"type": "string", "pattern": _MONEY_TEXT[positive]}]}


def _money_input(positive: bool) -> BeforeValidator:
    """Text must look like the schema's pattern; a number is checked by the field's bounds."""
    pattern = re.compile(_MONEY_TEXT[positive])

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise PydanticCustomError("bad_amount", "an amount is a number or text like 49.90")
        if isinstance(value, str) and pattern.fullmatch(value) is None:
            raise PydanticCustomError(
                "bad_amount",
                "{value} is not an amount such as 49.90 (at most two decimals)",
                {"value": repr(value)},
            )
        return value

    return BeforeValidator(check)


Amount = Annotated[
    Decimal,
    _money_input(True),
    Field(gt=0, le=_MAX_MONEY, max_digits=16, decimal_places=2),
    WithJsonSchema(_money_schema(True)),
]
"""A positive amount of money, at most two decimals: a number, or text like "49.90"."""

Cost = Annotated[
    Decimal,
    _money_input(False),
    Field(ge=0, le=_MAX_MONEY, max_digits=16, decimal_places=2),
    WithJsonSchema(_money_schema(False)),
]
"""An amount of money that may be zero."""

UtmField = StrEnum("UtmField", {f: f for f in UTM_FIELDS})  # type: ignore[misc]
"""A UTM field name: source, medium, campaign, content or term."""

UtmValue = Annotated[str, Field(min_length=1, max_length=VALUE.max_length, pattern=VALUE.pattern)]
"""A UTM value a cost or filter names (never empty)."""
