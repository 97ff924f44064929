"""Performance Mode's reports: typed parameters, rules, SQL per store engine, typed rows."""

from journeymap.reports import (
    bottlenecks,
    contact_flow,
    funnel,
    goal_point,
    goal_rate,
    goal_time,
    lifetime_value,
    roi,
    split_test,
    time_to_goal,
)
from journeymap.reports.base import REPORTS, Report, make_params, run_report
from journeymap.reports.params import NONE_VALUE, ReportParams
from journeymap.reports.result import ConnectorStats, ElementStats, ReportResult
from journeymap.reports.rules import ReportInvalid

__all__ = [
    "NONE_VALUE",
    "REPORTS",
    "ConnectorStats",
    "ElementStats",
    "Report",
    "ReportInvalid",
    "ReportParams",
    "ReportResult",
    "bottlenecks",
    "contact_flow",
    "funnel",
    "goal_point",
    "goal_rate",
    "goal_time",
    "lifetime_value",
    "make_params",
    "roi",
    "run_report",
    "split_test",
    "time_to_goal",
]
