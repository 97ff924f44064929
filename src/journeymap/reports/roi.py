"""Marketing ROI: per first-touch UTM value, the contacts it brought, their revenue, its cost.

Cost under a UTM filter (first or last touch): a value's cost is spent on every contact it
brought, so the filtered cohort is charged its share, cost x (cohort contacts with the value /
all contacts the value brought in the date range), in cents rounded half up; a value with no
contacts in the cohort has no row. Without a UTM filter the share is whole and every value with a
cost is listed, including those that brought nobody (ROI -100 %).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from journeymap.model.map import AutomationMap
from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.params import ReportParams
from journeymap.reports.result import ConnectorStats, ElementStats
from journeymap.reports.rules import Rule
from journeymap.store.facts import UTM_FIELDS

DEFAULT_BY: tuple[str, ...] = ("source", "medium", "campaign")
"""The UTM fields ROI is given for when the report is not asked for one."""

CENT = Decimal("0.01")


def roi_fields(params: ReportParams) -> tuple[str, ...]:
    """The UTM fields the ROI rows are grouped by."""
    return (params.by,) if params.by else DEFAULT_BY


COST_BASES = {
    "whole": "each value's whole cost for the dates chosen",
    "cohort_share": "each value's cost times the share of its contacts in the filtered cohort",
}
"""What the cost column holds, by `cost_basis`; the page and `stats` print the sentence."""


def cohort_share(cost: Decimal, contacts: int, all_contacts: int) -> Decimal:
    """The cohort's part of a cost: cost x contacts / all_contacts, rounded half up to cents."""
    if not all_contacts:
        return Decimal(0).quantize(CENT)
    return (cost * contacts / all_contacts).quantize(CENT, ROUND_HALF_UP)


def roi_value(revenue: Decimal, cost: Decimal) -> float | None:
    """(revenue - cost) / cost, or None when nothing was spent."""
    if not cost:
        return None
    return float((revenue - cost) / cost)


class KnownByField(Rule):
    code = "unknown_utm_field"
    field = "by"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        if params.by is not None and params.by not in UTM_FIELDS:
            return f"unknown UTM field {params.by!r}; fields are {', '.join(UTM_FIELDS)}"
        return None


@register
class MarketingRoi(Report):
    name = "roi"
    title = "Marketing ROI"
    rules = (KnownByField(),)

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {"by": list(roi_fields(ctx.params))}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        found = ctx.rows(
            "roi",
            by=list(roi_fields(ctx.params)),
            goal=ctx.params.goal,
            cost_from=ctx.params.date_from,
            cost_to=ctx.params.date_to,
            **ctx.params.utm_params(),
        )
        filtered = bool(ctx.params.utm)
        rows = []
        for r in found:
            contacts = int(r["contacts"])
            if filtered and not contacts:
                continue  # a value that brought nobody into this cohort spent nothing on it
            revenue = Decimal(r["revenue"]).quantize(CENT, ROUND_HALF_UP)
            cost = (Decimal(int(r["cost_cents"])) * CENT).quantize(CENT)
            if filtered:
                cost = cohort_share(cost, contacts, int(r["all_contacts"]))
            rows.append(
                {
                    "utm_field": r["utm_field"],
                    "utm_value": r["utm_value"],
                    "contacts": contacts,
                    "achievers": int(r["achievers"]),
                    "revenue": float(revenue),
                    "cost": float(cost),
                    "roi": roi_value(revenue, cost),
                }
            )
        basis = "cohort_share" if filtered else "whole"
        return {"cost_basis": basis, "cost_note": COST_BASES[basis], "rows": rows}
