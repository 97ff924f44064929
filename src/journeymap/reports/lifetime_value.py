"""Lifetime Value: what the contacts who visited each element spent, in total and on average."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.result import ConnectorStats, ElementStats

CENT = Decimal("0.01")


def average(amount: Decimal, contacts: int) -> Decimal | None:
    """amount ÷ contacts in whole cents, rounded half to even once; None for no contacts."""
    if not contacts:
        return None
    return Decimal(round(Fraction(int(amount * 100), contacts))) * CENT


@register
class LifetimeValue(Report):
    name = "lifetime-value"
    title = "Lifetime Value"

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {"after_arrival": ctx.params.after_arrival}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        query = "spend_after_arrival" if ctx.params.after_arrival else "spend"
        rows = ctx.by_element(query)
        for stats in elements:
            r = rows.get(stats.id)
            amount = (
                Decimal(r["amount_spent"]) if r and r["amount_spent"] is not None else Decimal(0)
            )
            stats.amount_spent = amount.quantize(CENT)
            stats.average_spent = average(amount, stats.visitors)
        return {}
