"""When a wait releases a contact that arrived at a given time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from journeymap.model.elements import WEEKDAYS, Wait


def due_time(wait: Wait, arrived_at: datetime) -> datetime:
    """The moment the wait lets go of a contact that arrived at `arrived_at` (UTC)."""
    tz = ZoneInfo(wait.timezone)
    if wait.duration is not None:
        return arrived_at + wait.duration
    if wait.until is not None:
        until = wait.until if wait.until.tzinfo else wait.until.replace(tzinfo=tz)
        return max(until.astimezone(UTC), arrived_at)
    local = arrived_at.astimezone(tz)
    wanted = WEEKDAYS.index(wait.weekday) if wait.weekday is not None else None
    if wait.time_of_day is None and wanted == local.weekday():
        return arrived_at
    at = wait.time_of_day or time(0, 0)
    for days in range(8):
        day = local.date() + timedelta(days=days)
        if wanted is not None and day.weekday() != wanted:
            continue
        # compared in UTC, both folds: a local time may occur twice on the day clocks go back
        for fold in (0, 1):
            candidate = datetime.combine(day, at, tzinfo=tz).replace(fold=fold).astimezone(UTC)
            if candidate >= arrived_at:
                return candidate
    raise AssertionError("a weekday or time of day always recurs within eight days")
