"""What a report is asked for, and its cohort (docs/metrics.md, "The cohort")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from reference.facts import UTM, Facts

NONE = "(none)"


@dataclass(frozen=True)
class Ask:
    """A report's map, goal, filters and options, as the library takes them."""

    map_id: str
    goal: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    tz: str = "UTC"
    utm: dict[str, str] = field(default_factory=dict)
    last_touch: bool = False
    steps: tuple[str, ...] | None = None
    after_arrival: bool = False
    by: str | None = None
    attribution: str = "last"
    half_life_days: Fraction = Fraction(7)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Local midnight of the first day, and local midnight after the last, as UTC times."""
        zone = ZoneInfo(self.tz)
        start = end = None
        if self.date_from is not None:
            start = datetime.combine(self.date_from, time(0), tzinfo=zone).astimezone(UTC)
        if self.date_to is not None:
            after = self.date_to + timedelta(days=1)
            end = datetime.combine(after, time(0), tzinfo=zone).astimezone(UTC)
        return start, end

    def in_range(self, at: datetime) -> bool:
        start, end = self.bounds()
        return (start is None or at >= start) and (end is None or at < end)


def shown(value: str | None) -> str:
    """A UTM value as filters and ROI rows name it: a missing or empty one is "(none)"."""
    return value if value else NONE


def cohort(facts: Facts, ask: Ask) -> dict[str, datetime]:
    """Cohort contacts and their first entry into the map."""
    first: dict[str, datetime] = {}
    for m in facts.moves:
        earlier = m.contact not in first or m.at < first[m.contact]
        if m.map_id == ask.map_id and m.kind == "enter" and earlier:
            first[m.contact] = m.at
    out = {}
    for contact, entered in first.items():
        if not ask.in_range(entered):
            continue
        row = facts.contacts.get(contact)
        utm = (row.last if ask.last_touch else row.first) if row else dict.fromkeys(UTM)
        if all(shown(utm.get(f)) == want for f, want in ask.utm.items()):
            out[contact] = entered
    return out
