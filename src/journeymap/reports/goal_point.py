"""Goal Conversion Point: where contacts were when they first achieved the selected goal, and the
credit for it under an attribution model (last, first, linear or time-decay)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from fractions import Fraction
from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.drilldown_figures import FIGURES, Figure, add_figures
from journeymap.reports.result import ConnectorStats, ElementStats, ratio
from journeymap.reports.rules import GoalGiven
from journeymap.reports.survival import DAY

MICROSECONDS = 1_000_000


def half_life_us(ctx: ReportContext) -> int:
    """The time-decay half-life in whole microseconds."""
    return max(round(ctx.params.half_life_days * DAY * MICROSECONDS), 1)


def credits(ctx: ReportContext) -> tuple[dict[str | None, Fraction], dict[str | None, int]]:
    """Exact credit and credited contacts by element (None: entered at the goal)."""
    credit: dict[str | None, Fraction] = defaultdict(Fraction)
    contacts: dict[str | None, int] = defaultdict(int)
    if ctx.params.attribution == "last":  # the summaries hold it: one element per achiever
        for r in ctx.rows("conversion_point", goal=ctx.params.goal):
            credit[r["element_id"]] += int(r["contacts"])
            contacts[r["element_id"]] += int(r["contacts"])
        return credit, contacts
    rows = ctx.rows(
        "attribution",
        goal=ctx.params.goal,
        model=ctx.params.attribution,
        half_us=half_life_us(ctx),
    )
    # An achiever's credit on an element is 2^-r / sum(2^-x for x in rs) = 2^(top - r) / whole,
    # with top = max(rs) and whole = sum(2^(top - x)): whole integers. The numerators are summed
    # per element and whole, so that only one fraction per distinct whole is made.
    sums: dict[str | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    wholes: dict[tuple[int, ...], tuple[int, int]] = {}
    for r in rows:
        n = int(r["contacts"])
        rs = tuple(r["rs"])
        if rs not in wholes:
            top = max(rs)
            wholes[rs] = (top, sum(1 << (top - x) for x in rs))
        top, whole = wholes[rs]
        sums[r["element_id"]][whole] += n << (top - r["r"])
        contacts[r["element_id"]] += n
    for element, parts in sums.items():
        credit[element] = sum((Fraction(num, whole) for whole, num in parts.items()), Fraction(0))
    return credit, contacts


def fraction_text(value: Fraction) -> str:
    """An exact credit as text: "3", or "7/2" in lowest terms."""
    return str(value)


@register
class GoalConversionPoint(Report):
    name = "goal-conversion-point"
    title = "Goal Conversion Point"
    rules = (GoalGiven(),)

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {
            "attribution": ctx.params.attribution,
            "half_life_days": ctx.params.half_life_days,
        }

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        credit, contacts = credits(ctx)
        achievers = sum(credit.values(), Fraction(0))
        for stats in elements:
            share = credit.get(stats.id, Fraction(0))
            stats.conversion_point = contacts.get(stats.id, 0)
            stats.conversion_credit = fraction_text(share)
            stats.conversion_point_share = float(share / achievers) if achievers else None
        entered = int(credit.get(None, 0))
        return {
            "goal_achievers": int(achievers),
            "entered_at_goal": entered,
            "entered_at_goal_share": ratio(entered, int(achievers)),
        }


def _credited(ctx: ReportContext, element_id: str | None) -> dict[str, Any]:
    return {
        "element_id": element_id,
        "goal": ctx.params.goal,
        "model": ctx.params.attribution,
        "half_us": half_life_us(ctx),
    }


def _by_attribution(ctx: ReportContext, last: Figure) -> Figure:
    """Last touch lists the achievers who were on the element; another model those it credits."""
    if ctx.params.attribution == "last":
        return last
    return replace(
        last,
        query="attribution",
        describe=f"achievers of the goal whose first achievement {ctx.params.attribution} "
        "attribution credits to the element, with their credit",
        value_name="credit",
        bind=_credited,
        coded=True,
    )


add_figures(
    (replace(FIGURES["conversion_point"], swap=_by_attribution),),
    {"conversion_credit": "a sum of credits; list `conversion_point` (each with its credit)"},
)
