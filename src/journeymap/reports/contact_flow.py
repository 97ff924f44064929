"""Contact Flow: where contacts are and were, email and delivery stats, page visitors, traffic."""

from __future__ import annotations

from typing import Any

from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.flow import add_delivery_stats, add_email_stats, add_page_visits
from journeymap.reports.result import ConnectorStats, ElementStats


@register
class ContactFlow(Report):
    name = "contact-flow"
    title = "Contact Flow"

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        add_email_stats(ctx, elements)
        add_delivery_stats(ctx, elements)
        add_page_visits(ctx, elements)
        return {}
