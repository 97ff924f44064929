"""Goal Conversion Time: how long from first arrival at each element to the selected goal."""

from __future__ import annotations

from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.goal_rate import goal_paths
from journeymap.reports.result import ConnectorStats, ElementStats
from journeymap.reports.rules import GoalGiven

US = 1_000_000
"""Microseconds in a second."""


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
            if r is None:
                stats.conversion_time_n = 0
                stats.conversion_time_mean_s = None
                stats.conversion_time_median_s = None
                stats.conversion_time_p90_s = None
                continue
            # whole microseconds summed in any order give the same total: one division each
            n = int(r["n"])
            stats.conversion_time_n = n
            stats.conversion_time_mean_s = int(r["total_us"]) / (n * US)
            stats.conversion_time_median_s = int(r["median_us_x10"]) / (10 * US)
            stats.conversion_time_p90_s = int(r["p90_us_x10"]) / (10 * US)
        return {}
