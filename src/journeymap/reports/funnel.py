"""Funnel Conversion: contacts who took each step after the one before, from trigger to goals."""

from __future__ import annotations

from collections import deque
from typing import Any

from journeymap.model.map import AutomationMap
from journeymap.model.validation import successors
from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.result import ConnectorStats, ElementStats, ratio
from journeymap.reports.rules import MAX_FUNNEL_STEPS, FunnelSteps


def default_steps(m: AutomationMap) -> tuple[str, ...]:
    """The map's first trigger, then the goals reachable from it in path (breadth-first) order."""
    trigger = next((e.id for e in m.elements if e.kind == "trigger"), None)
    if trigger is None:
        return ()
    steps = [trigger]
    seen = {trigger}
    todo = deque([trigger])
    while todo and len(steps) < MAX_FUNNEL_STEPS:
        for nxt in successors(m, todo.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
                if m.element_by_id[nxt].kind == "goal" and len(steps) < MAX_FUNNEL_STEPS:
                    steps.append(nxt)
    return tuple(steps)


@register
class FunnelConversion(Report):
    name = "funnel-conversion"
    title = "Funnel Conversion"
    rules = (FunnelSteps(),)

    def steps(self, ctx: ReportContext) -> tuple[str, ...]:
        return ctx.params.steps or default_steps(ctx.map)

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {"steps": list(self.steps(ctx))}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        steps = self.steps(ctx)
        if not steps:
            return {}
        goals = [s for s in steps if ctx.map.element_by_id[s].kind == "goal"]
        (row,) = ctx.rows("funnel", steps=list(steps), goal_steps=goals)
        by_id = {e.id: e for e in elements}
        first = int(row["reached_1"])
        prev = first
        for k, step in enumerate(steps, start=1):
            stats = by_id[step]
            count = int(row[f"reached_{k}"])
            stats.funnel_step = k
            stats.funnel_count = count
            stats.funnel_rate_prev = ratio(count, prev) if k > 1 else None
            stats.funnel_rate_start = ratio(count, first)
            stats.entered_directly = int(row[f"direct_{k}"]) if k > 1 else None
            prev = count
        return {}
