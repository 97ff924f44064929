"""Goal Conversion Point: where contacts were when they first achieved the selected goal."""

from __future__ import annotations

from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.result import ConnectorStats, ElementStats, ratio
from journeymap.reports.rules import GoalGiven


@register
class GoalConversionPoint(Report):
    name = "goal-conversion-point"
    title = "Goal Conversion Point"
    rules = (GoalGiven(),)

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        rows = {
            r["element_id"]: int(r["contacts"])
            for r in ctx.rows("conversion_point", goal=ctx.params.goal)
        }
        achievers = sum(rows.values())
        for stats in elements:
            count = rows.get(stats.id, 0)
            stats.conversion_point = count
            stats.conversion_point_share = ratio(count, achievers)
        entered = rows.get(None, 0)
        return {
            "goal_achievers": achievers,
            "entered_at_goal": entered,
            "entered_at_goal_share": ratio(entered, achievers),
        }
