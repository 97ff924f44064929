"""Setting values (a condition's `value`, `update_field`, `field_updated`): text, number or date.

A value is written as text, a number (quoted or not) or an ISO 8601 date. Its type decides how
it compares with a contact's field; fields themselves are text.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator

ValueType = Literal["text", "number", "date"]
VALUE_TYPES: tuple[ValueType, ...] = ("text", "number", "date")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)


def _checked(value: object) -> object:
    """Refuse what is neither text nor a finite number (a YAML `true` is not a field value)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("a value is text, a number or a date; write true or false in quotes")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a number value must be finite")
    return value


SettingValue = Annotated[str | int | float, BeforeValidator(_checked)]
"""A setting value as written in the map file: text, or a number written without quotes."""


def value_text(value: str | float) -> str:
    """The text of a value, as a field holds it: 10 and 10.0 are "10", 2.5 is "2.5"."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def read_number(text: str) -> Decimal | None:
    """A decimal number written as `12`, `-3.5`, `1e3` (surrounding blanks ignored), or None."""
    text = text.strip()
    return Decimal(text) if _NUMBER.fullmatch(text) else None


def read_date(text: str) -> date | datetime | None:
    """An ISO 8601 date (`2026-03-01`) or date-time (a time without an offset is UTC), or None."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def type_of(value: str | float, declared: ValueType | None = None) -> ValueType:
    """The declared type, else a number when the value reads as one, a date, else text."""
    if declared is not None:
        return declared
    if not isinstance(value, str) or read_number(value) is not None:
        return "number"
    return "date" if read_date(value) is not None else "text"


def readable(value: str | float, as_type: ValueType) -> bool:
    """Whether a value can be read as the type."""
    text = value_text(value)
    if as_type == "number":
        return read_number(text) is not None
    if as_type == "date":
        return read_date(text) is not None
    return True


def at_midnight(day: date) -> datetime:
    """A date alone, as a moment: its midnight in UTC."""
    return datetime.combine(day, time(0), tzinfo=UTC)
