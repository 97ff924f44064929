"""Query parameters the report and drill-down calls share: the cohort filters of docs/reports.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query

from journeymap.dates import FIRST_DAY, LAST_DAY
from journeymap.store.facts import UTM_FIELDS

_DAYS = f"YYYY-MM-DD, {FIRST_DAY} to {LAST_DAY}"

# Days stay text here: the library reads them, so a bad day gets the same `bad_date` error from
# the library, the CLI and this API.
DayFrom = Annotated[
    str | None,
    Query(
        alias="from",
        max_length=10,
        json_schema_extra={"format": "date"},
        description=f"First day of the cohort's first entry ({_DAYS}).",
    ),
]
DayTo = Annotated[
    str | None,
    Query(
        alias="to",
        max_length=10,
        json_schema_extra={"format": "date"},
        description=f"Last day of the cohort's first entry, included ({_DAYS}).",
    ),
]
Tz = Annotated[str, Query(max_length=64, description="IANA time zone of the days.")]
Goal = Annotated[str | None, Query(max_length=200, description="Selected goal id.")]
Utm = Annotated[str | None, Query(max_length=500)]
LastTouch = Annotated[bool, Query(description="Filter on last-touch UTM instead.")]
Steps = Annotated[
    list[str] | None, Query(description="Funnel steps (trigger and goal ids), in order.")
]
AfterArrival = Annotated[
    bool, Query(description="Lifetime value: only purchases after first arrival.")
]

Attribution = Annotated[
    str,
    Query(
        max_length=20,
        description="Goal conversion point: last, first, linear or time-decay credit.",
    ),
]
HalfLife = Annotated[
    float, Query(description="Time-decay attribution: days over which credit halves.")
]
Grace = Annotated[
    float, Query(description="Bottlenecks: days past the configured wait before stuck.")
]
Stall = Annotated[
    float, Query(description="Bottlenecks: days without a move that count as a drop-off.")
]


@dataclass(frozen=True)
class Cohort:
    """The cohort filters of one call, as the library's keyword arguments."""

    goal: str | None
    date_from: str | None
    date_to: str | None
    tz: str
    utm: dict[str, str]
    last_touch: bool
    steps: list[str] | None
    after_arrival: bool
    attribution: str = "last"
    half_life_days: float = 7.0
    grace_days: float = 1.0
    stall_days: float = 14.0

    def kwargs(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "date_range": (self.date_from, self.date_to),
            "tz": self.tz,
            "utm": self.utm,
            "last_touch": self.last_touch,
            "steps": self.steps,
            "after_arrival": self.after_arrival,
            "attribution": self.attribution,
            "half_life_days": self.half_life_days,
            "grace_days": self.grace_days,
            "stall_days": self.stall_days,
        }


def cohort(
    goal: Goal = None,
    date_from: DayFrom = None,
    date_to: DayTo = None,
    tz: Tz = "UTC",
    utm_source: Utm = None,
    utm_medium: Utm = None,
    utm_campaign: Utm = None,
    utm_content: Utm = None,
    utm_term: Utm = None,
    last_touch: LastTouch = False,
    steps: Steps = None,
    after_arrival: AfterArrival = False,
    attribution: Attribution = "last",
    half_life_days: HalfLife = 7.0,
    grace_days: Grace = 1.0,
    stall_days: Stall = 14.0,
) -> Cohort:
    """The filters from the query string (a FastAPI dependency)."""
    given = (utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    utm = {f: v for f, v in zip(UTM_FIELDS, given, strict=True) if v is not None}
    return Cohort(
        goal,
        date_from,
        date_to,
        tz,
        utm,
        last_touch,
        steps,
        after_arrival,
        attribution,
        half_life_days,
        grace_days,
        stall_days,
    )
