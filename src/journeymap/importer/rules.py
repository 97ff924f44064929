"""Per kind: the rules a row must keep, in the order they are reported, and what each one says.

Each kind's check query (import_check_<kind>.sql) finds, in one pass over the typed rows, the first
row breaking each rule, in a column named for the rule. The first row breaking any rule is
reported; within a row, the first rule in the order below. Every kind begins with the rules of
every file: a JSON Lines line that is no object, a value that does not convert to its column's
type (values.py says why), a required value left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from journeymap.importer.maps import MapIndex
from journeymap.store.facts import EMAIL_EVENTS, UTM_FIELDS


def shown(value: Any) -> str:
    """A value as a message quotes it, cut to 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Found:
    """The first row breaking a rule: its typed values, and what the messages need to know."""

    row: dict[str, Any]
    maps: MapIndex
    default_map: str | None

    def value(self, name: str) -> Any:
        """A typed value as a message shows it (times in ISO 8601)."""
        v = self.row[name]
        return v.isoformat() if hasattr(v, "isoformat") else v

    @property
    def map_id(self) -> str:
        """The row's map (the `--map` default when the row has none)."""
        return str(self.row["map_id"] or self.default_map)


@dataclass(frozen=True)
class Rule:
    """A row rule: the check query's column naming its first breaking row, the column reported
    (None: the row names it, as for a value that does not convert) and the reason."""

    name: str
    column: str | None
    reason: Callable[[Found], str]


COMMON: tuple[Rule, ...] = (
    Rule("row_problem", None, lambda _f: ""),  # a JSON line that is no object, or repeats a key
    Rule("bad_value", None, lambda _f: ""),  # the value and its column: values.py
    Rule("missing_value", None, lambda _f: "missing value"),
)
"""The rules every kind checks first, in this order."""


def _not_on_map(column: str, what: str = "an element") -> Rule:
    return Rule(
        f"{column.removesuffix('_id')}_unknown",
        column,
        lambda f: f"{f.value(column)!r} is not {what} of {f.maps.describe(f.map_id)}",
    )


def _before(later: str, earlier: str) -> Rule:
    return Rule(
        f"{later.removesuffix('_at')}_before_{earlier.removesuffix('_at')}",
        later,
        lambda f: f"{later} {f.value(later)} is before {earlier} {f.value(earlier)}",
    )


_UNKNOWN_MAP = Rule("map_unknown", "map_id", lambda f: f"unknown map {f.map_id!r}")

RULES: dict[str, tuple[Rule, ...]] = {
    "visits": (
        Rule("map_missing", "map_id", lambda _f: "missing value (or give --map)"),
        _UNKNOWN_MAP,
        _not_on_map("element_id"),
        _before("left_at", "entered_at"),
        _not_on_map("from_element_id"),
        Rule(
            "achieved_off_goal",
            "achieved_at",
            lambda f: f"given on element {f.value('element_id')!r}, which is not a goal",
        ),
        _before("achieved_at", "entered_at"),
        Rule(
            "achieved_after_left",
            "achieved_at",
            lambda f: f"achieved_at {f.value('achieved_at')} is after left_at {f.value('left_at')}",
        ),
        Rule("duration_negative", "duration_s", lambda _f: "negative duration"),
        Rule(
            "duration_disagrees",
            "duration_s",
            lambda f: f"{f.value('duration_s')} s disagrees with left_at - entered_at",
        ),
        Rule(
            "duration_too_long",
            "duration_s",
            lambda f: f"{f.value('duration_s')} s after entered_at is after the year 2999",
        ),
    ),
    "purchases": (),
    "email_events": (
        Rule(
            "event_unknown",
            "event",
            lambda f: f"unknown event {f.value('event')!r}; one of {', '.join(EMAIL_EVENTS)}",
        ),
        _UNKNOWN_MAP,
        Rule("element_needs_map", "map_id", lambda _f: "missing value: element_id needs map_id"),
        _not_on_map("element_id"),
    ),
    "page_visits": (
        Rule(
            "visitor_missing",
            "visitor_id",
            lambda _f: "missing value: a page visit needs visitor_id or contact_id",
        ),
    ),
    "marketing_costs": (
        Rule(
            "utm_field_unknown",
            "utm_field",
            lambda f: f"unknown UTM field {f.value('utm_field')!r}; one of {', '.join(UTM_FIELDS)}",
        ),
        _before("period_end", "period_start"),
        Rule("cost_negative", "amount", lambda _f: "a cost cannot be negative"),
    ),
    "contacts": (),
}
"""Kind name to its own rules, checked after COMMON, in this order."""
