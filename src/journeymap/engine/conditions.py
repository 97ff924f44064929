"""Evaluating a condition element's rule against a contact."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from journeymap.engine.state import Profile
from journeymap.model.elements import Rule

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _number(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


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
    if have is None:
        return rule.op == "ne"
    if rule.op == "contains":
        return str(rule.value) in have
    # numbers compare as numbers when both sides are numeric, otherwise as text
    a, b = _number(have), _number(rule.value)
    if a is not None and b is not None:
        return _COMPARE[rule.op](a, b)
    return _COMPARE[rule.op](have, str(rule.value))
