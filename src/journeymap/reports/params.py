"""Typed report parameters and the cohort they select, as bound SQL parameters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from journeymap import dates
from journeymap.store.facts import UTM_FIELDS

NONE_VALUE = "(none)"
"""A UTM filter value that matches contacts with no value in that field."""

Attribution = Literal["last", "first", "linear", "time-decay"]
"""How Goal Conversion Point credits an achievement to the elements before it (docs/metrics.md)."""

MAX_DAYS = 3650
"""The longest a report's day setting may be (about ten years)."""


class ReportParams(BaseModel):
    """What a report is asked for: map, goal, cohort filters and report options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    map_id: str
    goal: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    tz: str = "UTC"
    utm: dict[str, str] = {}
    last_touch: bool = False
    steps: tuple[str, ...] | None = None
    after_arrival: bool = False
    by: str | None = None
    control: str | None = None
    attribution: Attribution = "last"
    half_life_days: float = Field(7.0, gt=0, le=MAX_DAYS)
    grace_days: float = Field(1.0, ge=0, le=MAX_DAYS)
    stall_days: float = Field(14.0, gt=0, le=MAX_DAYS)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The date range as UTC instants [start, end): local midnights in `tz`, `to` inclusive."""
        zone = dates.zone(self.tz)
        start = end = None
        if self.date_from is not None:
            start = datetime.combine(self.date_from, time(), zone).astimezone(UTC)
        if self.date_to is not None:
            end = datetime.combine(self.date_to + timedelta(days=1), time(), zone).astimezone(UTC)
        return start, end

    def utm_params(self) -> dict[str, str | None]:
        """One bound parameter per UTM field: the wanted value, or None for no filter."""
        return {f"utm_{f}": self.utm.get(f) for f in UTM_FIELDS}

    def cohort_params(self) -> dict[str, Any]:
        """The bound parameters of the `rs_cohort` macro every report query starts from."""
        start, end = self.bounds()
        return {
            "map_id": self.map_id,
            "from": start,
            "to": end,
            "last_touch": self.last_touch,
            **self.utm_params(),
        }

    def filters(self) -> dict[str, Any]:
        """The cohort filters as they appear in a report's output."""
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "tz": self.tz,
            "utm": dict(self.utm),
            "last_touch": self.last_touch,
        }
