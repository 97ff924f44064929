"""Goal Conversion Time: how long from first arrival at each element to the selected goal."""

from __future__ import annotations

from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.goal_rate import goal_paths
from journeymap.reports.result import ConnectorStats, ElementStats
from journeymap.reports.rules import GoalGiven


@register
class GoalConversionTime(Report):
    name = "goal-conversion-time"
    title = "Goal Conversion Time"
    rules = (GoalGiven(),)

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        paths = goal_paths(ctx)
        for stats in elements:
            r = paths.get(stats.id)
            stats.conversion_time_n = int(r["n"]) if r else 0
            stats.conversion_time_mean_s = float(r["mean_s"]) if r else None
            stats.conversion_time_median_s = float(r["median_s"]) if r else None
            stats.conversion_time_p90_s = float(r["p90_s"]) if r else None
        return {}
