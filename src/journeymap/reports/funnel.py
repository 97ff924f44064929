"""Funnel Conversion: contacts who took each step after the one before, from triggers to goals."""

from __future__ import annotations

from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.funnel_steps import FunnelSteps, funnel_steps, step_numbers
from journeymap.reports.result import ConnectorStats, ElementStats, ratio


def funnel_params(ctx: ReportContext) -> dict[str, Any]:
    """The bound parameters of the funnel's steps (rs_funnel_of), shared with the drill-down."""
    steps = funnel_steps(ctx.map, ctx.params)
    goals = [s for s in steps if ctx.map.element_by_id[s].kind == "goal"]
    return {
        "step_names": list(steps),
        "step_numbers": list(step_numbers(ctx.map, steps)),
        "goal_steps": goals,
    }


@register
class FunnelConversion(Report):
    name = "funnel-conversion"
    title = "Funnel Conversion"
    rules = (FunnelSteps(),)

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {"steps": list(funnel_steps(ctx.map, ctx.params))}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        bound = funnel_params(ctx)
        if not bound["step_names"]:
            return {"funnel": []}
        counts: dict[tuple[str, str], int] = {}
        for r in ctx.rows("funnel", **bound):
            counts[r["element_id"], r["took"]] = int(r["contacts"])
        members: dict[int, list[str]] = {}
        for name, k in zip(bound["step_names"], bound["step_numbers"], strict=True):
            members.setdefault(k, []).append(name)
        reached = {
            k: sum(counts.get((e, "reached"), 0) for e in names) for k, names in members.items()
        }
        start = reached[1]
        by_id = {e.id: e for e in elements}
        steps = []
        for k, names in members.items():
            before = reached.get(k - 1)
            for name in names:
                stats = by_id[name]
                count = counts.get((name, "reached"), 0)
                stats.funnel_step = k
                stats.funnel_count = count
                stats.funnel_rate_prev = ratio(count, before) if k > 1 else None
                stats.funnel_rate_start = ratio(count, start)
                stats.entered_directly = counts.get((name, "direct"), 0) if k > 1 else None
            direct = sum(counts.get((e, "direct"), 0) for e in names) if k > 1 else None
            steps.append(
                {
                    "step": k,
                    "elements": names,
                    "count": reached[k],
                    "rate_prev": ratio(reached[k], before) if k > 1 else None,
                    "rate_start": ratio(reached[k], start),
                    "entered_directly": direct,
                }
            )
        return {"funnel": steps}
