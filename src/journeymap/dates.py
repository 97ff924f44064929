"""The days, instants and time zones journeymap accepts: one definition for every edge."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""Every day and instant journeymap stores or filters on falls between these (both included)."""

SPAN = f"{FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"


class DateRejected(ValueError):
    """A day, instant or time zone outside what journeymap accepts; the message says why."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; a folder of zones (`Europe`), a path or an unknown name is refused."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: `Europe` is a folder
        raise DateRejected(f"unknown timezone {name!r}") from None


def day(value: date | str) -> date:
    """A calendar day from a date or YYYY-MM-DD text, between FIRST_DAY and LAST_DAY."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise DateRejected(f"{value!r} is not a YYYY-MM-DD date") from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise DateRejected(f"{value.isoformat()} is not between {SPAN}")
    return value


def instant(value: datetime) -> datetime:
    """A point in time in UTC (naive is UTC), between FIRST_DAY and the end of LAST_DAY."""
    when = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        raise DateRejected(f"{value.isoformat()} is not between {SPAN}") from None
    if not FIRST_DAY <= when.date() <= LAST_DAY:
        raise DateRejected(f"{value.isoformat()} is not between {SPAN}")
    return when
