"""Goal Conversion Rate: achievers of each goal over the cohort, and from each element."""

from __future__ import annotations

from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.result import ConnectorStats, ElementStats, ratio


def add_goal_rates(ctx: ReportContext, elements: list[ElementStats]) -> None:
    """Achievers and conversion rate (over the cohort) on every goal."""
    rows = ctx.by_element("goals", key="goal_id")
    for stats in elements:
        if stats.kind == "goal":
            achieved = int(rows[stats.id]["achieved"]) if stats.id in rows else 0
            stats.achieved = achieved
            stats.conversion_rate = ratio(achieved, ctx.cohort_size)


def goal_paths(ctx: ReportContext) -> dict[str, dict[str, Any]]:
    """Per element: contacts who visited it and later achieved the selected goal, with times."""
    return ctx.by_element("goal_paths", goal=ctx.params.goal)


@register
class GoalConversionRate(Report):
    name = "goal-conversion-rate"
    title = "Goal Conversion Rate"

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        add_goal_rates(ctx, elements)
        if ctx.params.goal is None:
            return {}
        paths = goal_paths(ctx)
        for stats in elements:
            n = int(paths[stats.id]["n"]) if stats.id in paths else 0
            stats.to_goal = n
            stats.to_goal_rate = ratio(n, stats.visitors)
        return {}
