"""Parameter rules: each checks one thing and names the field or element it concerns."""

from __future__ import annotations

from typing import ClassVar

from journeymap import dates
from journeymap.errors import JourneymapError
from journeymap.model.map import AutomationMap
from journeymap.reports.params import ReportParams
from journeymap.store.facts import UTM_FIELDS


class ReportInvalid(JourneymapError):
    """Report parameters that break a rule; `field` names the parameter."""

    code = "report_invalid"

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", code=code)
        self.field = field


class Rule:
    """One check of the parameters against the map; `check` returns what is wrong, or None."""

    code: ClassVar[str]
    field: ClassVar[str]

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        raise NotImplementedError

    def enforce(self, params: ReportParams, m: AutomationMap) -> None:
        message = self.check(params, m)
        if message is not None:
            raise ReportInvalid(self.code, self.field, message)


class KnownUtmFields(Rule):
    code = "unknown_utm_field"
    field = "utm"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        bad = sorted(set(params.utm) - set(UTM_FIELDS))
        if bad:
            return f"unknown UTM field {bad[0]!r}; fields are {', '.join(UTM_FIELDS)}"
        return None


class KnownTimezone(Rule):
    code = "unknown_timezone"
    field = "tz"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        try:
            dates.zone(params.tz)
        except dates.DateRejected as exc:
            return str(exc)
        return None


class FromNotAfterTo(Rule):
    code = "from_after_to"
    field = "from"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        if params.date_from and params.date_to and params.date_from > params.date_to:
            return f"{params.date_from} is after the end date {params.date_to}"
        return None


class GoalGiven(Rule):
    code = "goal_required"
    field = "goal"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        return None if params.goal else "this report needs a goal"


class GoalExists(Rule):
    code = "unknown_goal"
    field = "goal"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        if params.goal is not None and params.goal not in m.element_by_id:
            return f"map {m.id!r} has no element {params.goal!r}"
        return None


class GoalIsGoal(Rule):
    code = "not_a_goal"
    field = "goal"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        element = m.element_by_id.get(params.goal or "")
        if element is not None and element.kind != "goal":
            return f"element {element.id!r} is a {element.kind}, not a goal"
        return None


COMMON_RULES: tuple[Rule, ...] = (
    KnownUtmFields(),
    KnownTimezone(),
    FromNotAfterTo(),
    GoalExists(),
    GoalIsGoal(),
)
"""Rules every report applies, in order; the first broken one is the error."""
