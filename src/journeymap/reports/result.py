"""Typed report output: figures per element and connector, and the JSON shape of a report."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def figures(self, *, money_as_number: bool = True) -> dict[str, Any]:
        """The figures this report set (others do not apply); money as a number or as Decimal."""
        data = self.model_dump(exclude_unset=True)
        return {k: _plain(v) for k, v in data.items()} if money_as_number else data


class ElementStats(_Row):
    """Figures on one element; a field is set only when it applies to the report and element."""

    id: str
    kind: str
    were_here: int = 0
    here_now: int = 0
    visits: int = 0
    sent: int | None = None
    opened: int | None = None
    clicked: int | None = None
    unsubscribed: int | None = None
    open_rate: float | None = None
    click_rate: float | None = None
    unsubscribe_rate: float | None = None
    queued: int | None = None
    delivered: int | None = None
    pending: int | None = None
    failed: int | None = None
    last_error: str | None = None
    page_visits: int | None = None
    unique_visitors: int | None = None
    achieved: int | None = None
    conversion_rate: float | None = None
    funnel_step: int | None = None
    funnel_count: int | None = None
    funnel_rate_prev: float | None = None
    funnel_rate_start: float | None = None
    entered_directly: int | None = None
    amount_spent: Decimal | None = None
    average_spent: Decimal | None = None
    to_goal: int | None = None
    to_goal_rate: float | None = None
    conversion_point: int | None = None
    conversion_point_share: float | None = None
    conversion_credit: str | None = None
    """Exact credit under the report's attribution model: "3" or "7/2" (lowest terms)."""
    conversion_time_mean_s: float | None = None
    conversion_time_median_s: float | None = None
    conversion_time_p90_s: float | None = None
    conversion_time_n: int | None = None
    # split-test figures, on split elements
    split_contacts: int | None = None
    split_crossed: int | None = None
    split_control: str | None = None
    split_winner: str | None = None
    split_verdict: str | None = None
    split_verdict_text: str | None = None
    # time-to-goal figures
    time_to_goal_n: int | None = None
    time_to_goal_converted: int | None = None
    time_to_goal_censored: int | None = None
    time_to_goal_median_s: float | None = None
    time_to_goal_median_low_s: float | None = None
    time_to_goal_median_high_s: float | None = None
    converted_by_1d: float | None = None
    converted_by_7d: float | None = None
    converted_by_30d: float | None = None
    converted_by_90d: float | None = None
    # bottleneck figures
    dwell_n: int | None = None
    dwell_median_s: float | None = None
    dwell_p90_s: float | None = None
    dwell_configured_s: float | None = None
    dwell_over_s: float | None = None
    stuck: int | None = None
    bottleneck_rank: int | None = None

    @property
    def visitors(self) -> int:
        """Distinct contacts who visited: were here + here now."""
        return self.were_here + self.here_now


class ConnectorStats(_Row):
    """Contacts who moved along one connector, and their share of those who left its source."""

    id: str
    from_: str
    to: str
    contacts: int = 0
    share: float | None = None
    # split-test figures, on connectors leaving a split
    branch_contacts: int | None = None
    branch_achievers: int | None = None
    branch_rate: float | None = None
    branch_rate_low: float | None = None
    branch_rate_high: float | None = None
    branch_lift: float | None = None
    branch_lift_rel: float | None = None
    branch_p_value: float | None = None
    branch_test: str | None = None
    branch_prob_best: float | None = None
    # bottleneck figures
    drop_off: int | None = None
    drop_off_rate: float | None = None
    drop_off_rank: int | None = None

    def figures(self, *, money_as_number: bool = True) -> dict[str, Any]:
        data = super().figures(money_as_number=money_as_number)
        return {"id": data.pop("id"), "from": data.pop("from_"), **data}


class ReportResult(BaseModel):
    """One report over one map and cohort."""

    model_config = ConfigDict(extra="forbid")

    map_id: str
    report: str
    goal: str | None
    filters: dict[str, Any]
    options: dict[str, Any] = {}
    cohort_size: int
    computed_at: datetime
    totals: dict[str, Any] = {}
    elements: list[ElementStats]
    connectors: list[ConnectorStats]

    def element(self, element_id: str) -> ElementStats:
        return next(e for e in self.elements if e.id == element_id)

    def connector(self, connector_id: str) -> ConnectorStats:
        return next(c for c in self.connectors if c.id == connector_id)

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape (docs/reports.md)."""
        return {
            "map_id": self.map_id,
            "report": self.report,
            "goal": self.goal,
            "filters": self.filters,
            "options": self.options,
            "cohort_size": self.cohort_size,
            "computed_at": self.computed_at.isoformat(),
            **{k: _plain(v) for k, v in self.totals.items()},
            "elements": [e.figures() for e in self.elements],
            "connectors": [c.figures() for c in self.connectors],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent)


def _plain(value: Any) -> Any:
    """Money (Decimal) as a JSON number; everything else as it is."""
    return float(value) if isinstance(value, Decimal) else value


def ratio(part: int | Decimal, whole: int | Decimal | None) -> float | None:
    """part ÷ whole as a fraction, or None when there is nothing to divide by."""
    if not whole:
        return None
    return float(part) / float(whole)
