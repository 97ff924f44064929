"""Evaluating a condition element's rule, and typed comparison of setting values with fields."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from journeymap.engine.state import Profile
from journeymap.model.elements import Rule
from journeymap.model.values import (
    ValueType,
    at_midnight,
    read_date,
    read_number,
    type_of,
    value_text,
)

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def evaluate(rule: Rule, profile: Profile) -> bool:
    """Whether the contact satisfies the rule (the condition's `yes` branch)."""
    if rule.tag is not None:
        has = rule.tag in profile.tags
        return has if rule.op == "has" else not has
    if rule.field is not None:
        have = profile.fields.get(rule.field)
    else:
        utm = profile.utm_first if rule.touch == "first" else profile.utm_last
        have = utm.get(str(rule.utm))
    if rule.op == "exists":
        return have not in (None, "")
    if have is None or rule.value is None:
        return rule.op == "ne"
    if rule.op == "contains":
        return value_text(rule.value) in have
    return compare(rule.op, have, rule.value, type_of(rule.value, rule.type))


def same_value(want: str | float, have: str | None) -> bool:
    """Whether a field's text equals a setting value, compared as the value's type."""
    return have is not None and compare("eq", have, want, type_of(want))


def compare(op: str, have: str, want: str | float, as_type: ValueType) -> bool:
    """`have op want`, both read as `as_type`; a field that does not read so is only `ne`."""
    text = value_text(want)
    if as_type == "text":
        return _COMPARE[op](have, text)
    pair = (read_number(have), read_number(text)) if as_type == "number" else _dates(have, text)
    if pair[0] is None or pair[1] is None:
        return op == "ne"
    return _COMPARE[op](*pair)


def _dates(have: str, want: str) -> tuple[date | datetime | None, date | datetime | None]:
    """Both sides as dates when the value is a date alone (the field's date as written), else
    both as moments (a date alone is its midnight in UTC)."""
    a, b = read_date(have), read_date(want)
    if a is None or b is None:
        return a, b
    if not isinstance(b, datetime):
        return (a.date() if isinstance(a, datetime) else a), b
    return (a if isinstance(a, datetime) else at_midnight(a)), b
