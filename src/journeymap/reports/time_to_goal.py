"""Time to Goal: Kaplan-Meier share converted by time since first arrival, per element."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.drilldown_figures import Bind, Figure, add_figures
from journeymap.reports.result import ConnectorStats, ElementStats
from journeymap.reports.rules import GoalGiven
from journeymap.reports.survival import DAY, kaplan_meier

HORIZONS = {
    "converted_by_1d": 1,
    "converted_by_7d": 7,
    "converted_by_30d": 30,
    "converted_by_90d": 90,
}
"""The share converted is given at these days after first arrival."""


@register
class TimeToGoal(Report):
    name = "time-to-goal"
    title = "Time to Goal"
    rules = (GoalGiven(),)

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        table = ctx.table("time_to_goal", goal=ctx.params.goal, now=ctx.now)
        ids = table.column("element_id").to_numpy(zero_copy_only=False)
        seconds = table.column("seconds").to_numpy(zero_copy_only=False).astype(float)
        converted = table.column("converted").to_numpy(zero_copy_only=False).astype(bool)
        counts = table.column("contacts").to_numpy(zero_copy_only=False).astype(np.int64)
        # rows come ordered by element: each element's rows are one slice
        cut = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(ids)]
        part = {str(ids[a]): slice(a, b) for a, b in itertools.pairwise(cut) if a < b}
        curves: dict[str, list[list[float]]] = {}
        for stats in elements:
            rows = part.get(stats.id, slice(0, 0))
            km = kaplan_meier(seconds[rows], converted[rows], counts[rows])
            curves[stats.id] = [[t, share] for t, share in km.curve()]
            stats.time_to_goal_n = km.n
            stats.time_to_goal_converted = km.converted
            stats.time_to_goal_censored = km.censored
            stats.time_to_goal_median_s = km.median()
            low, high = km.median_interval()
            stats.time_to_goal_median_low_s, stats.time_to_goal_median_high_s = low, high
            for field, days in HORIZONS.items():
                setattr(stats, field, km.converted_by(days * DAY))
        return {"curves": curves}


def _followed(mode: str) -> Bind:
    def bind(ctx: ReportContext, element_id: str | None) -> dict[str, Any]:
        return {"element_id": element_id, "goal": ctx.params.goal, "mode": mode, "now": ctx.now}

    return bind


add_figures(
    (
        Figure(
            "time_to_goal_n",
            "element",
            "time_to_goal",
            "arrived_at",
            "contacts who visited the element, each followed from its first arrival",
            value_name="seconds_followed",
            goal="required",
            bind=_followed("followed"),
        ),
        Figure(
            "time_to_goal_converted",
            "element",
            "time_to_goal",
            "arrived_at",
            "contacts who visited the element and achieved the goal after their first arrival",
            value_name="seconds_followed",
            goal="required",
            bind=_followed("converted"),
        ),
        Figure(
            "time_to_goal_censored",
            "element",
            "time_to_goal",
            "arrived_at",
            "contacts who visited the element and have not achieved the goal since (still on the "
            "way, or left the map)",
            value_name="seconds_followed",
            goal="required",
            bind=_followed("censored"),
        ),
    ),
    dict.fromkeys(
        (
            "time_to_goal_median_s",
            "time_to_goal_median_low_s",
            "time_to_goal_median_high_s",
            *HORIZONS,
        ),
        "an estimate; list `time_to_goal_n` (each contact's seconds followed)",
    ),
)
