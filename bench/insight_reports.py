"""The insight reports in the reports bench: what each case runs, its raw-fact SQL and the check
that both give the same figures (split test, time to goal, attribution, bottlenecks, trends)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from journeymap.model.loading import parse_map
from journeymap.reports import make_params, run_report
from journeymap.reports.bottlenecks import configured_us
from journeymap.reports.goal_point import half_life_us
from journeymap.reports.trend import Trend, trend
from journeymap.store import Store

GOAL = "e30"
"""The goal every insight case asks about."""

TREND_ELEMENT = "e01"
"""The element whose contacts on to the goal the trend cases follow, period by period."""

MICRO = 1e-6
"""Tolerance for figures the baseline computes in floating point (shares, seconds)."""


@dataclass(frozen=True)
class Case:
    """One timed insight case: a report (or a trend of one) with its options."""

    report: str
    options: dict[str, Any] = field(default_factory=dict)
    period: str | None = None
    """A trend by this period of `to_goal` on TREND_ELEMENT (goal-conversion-rate) when set."""


CASES: dict[str, Case] = {
    "split-test": Case("split-test"),
    "time-to-goal": Case("time-to-goal"),
    "point first": Case("goal-conversion-point", {"attribution": "first"}),
    "point linear": Case("goal-conversion-point", {"attribution": "linear"}),
    "point time-decay": Case("goal-conversion-point", {"attribution": "time-decay"}),
    "bottlenecks": Case("bottlenecks"),
    "trend by month": Case("goal-conversion-rate", period="month"),
    "trend by week": Case("goal-conversion-rate", period="week"),
}
"""Every insight case by the name the bench prints (and `JM_BENCH_ONLY` selects)."""


def runner(
    store: Store, map_id: str, case: Case, filters: dict[str, Any], now: datetime
) -> Callable[[], Any]:
    """The product call of a case under a filter."""
    goal = None if case.report == "bottlenecks" else GOAL
    params = make_params(map_id, goal=goal, **filters, **case.options)
    if case.period is None:
        return lambda: run_report(store, case.report, params, now)
    return lambda: trend(
        store,
        case.report,
        params,
        figure="to_goal",
        period=case.period,
        element=TREND_ELEMENT,
        now=now,
    )


def baseline(
    store: Store,
    bench_map: dict[str, Any],
    case: Case,
    cohort: dict[str, Any],
    tz: str,
    now: datetime,
) -> list[dict[str, Any]]:
    """The case's figures by straightforward SQL over the raw facts (the cohort's parameters)."""
    if case.report == "split-test":
        return store.query("report_baseline_split_test", {**cohort, "goal": GOAL, "split": "e25"})
    if case.report == "time-to-goal":
        return store.query("report_baseline_time_to_goal", {**cohort, "goal": GOAL, "now": now})
    if case.report == "goal-conversion-point":
        half = half_life_us(_HalfLife(make_params("m", **case.options)))
        model = case.options["attribution"]
        query = {**cohort, "goal": GOAL, "model": model, "half_us": half}
        return store.query("report_baseline_attribution", query)
    if case.report == "bottlenecks":
        m = parse_map(bench_map)
        return store.query(
            "report_baseline_bottlenecks",
            {
                **cohort,
                "now": now,
                "grace_us": 86_400_000_000,
                "stall_us": 14 * 86_400_000_000,
                "ends": [e.id for e in m.elements if e.kind == "end"],
                "ids": [e.id for e in m.elements],
                "conf_us": [configured_us(e) for e in m.elements],
            },
        )
    return store.query(
        "report_baseline_trend",
        {**cohort, "goal": GOAL, "element": TREND_ELEMENT, "period": case.period, "tz": tz},
    )


@dataclass(frozen=True)
class _HalfLife:
    """Just enough of a report context for half_life_us."""

    params: Any


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= MICRO * max(1.0, abs(a), abs(b))


def _agree_split(r: Any, rows: list[dict[str, Any]]) -> bool:
    by = {row["connector_id"]: row for row in rows}
    branches = [c for c in r.connectors if c.from_ == "e25"]
    return bool(branches) and all(
        (c.branch_contacts, c.branch_achievers) == (by[c.id]["contacts"], by[c.id]["achievers"])
        for c in branches
    )


def _agree_time_to_goal(r: Any, rows: list[dict[str, Any]]) -> bool:
    by = {row["element_id"]: row for row in rows}
    for e in r.elements:
        row = by.get(e.id, {"n": 0, "converted": 0, "by_30d": None})
        if (e.time_to_goal_n, e.time_to_goal_converted) != (row["n"], row["converted"]):
            return False
        if not _close(e.converted_by_30d, row["by_30d"]):
            return False
    return True


def _agree_point(r: Any, rows: list[dict[str, Any]]) -> bool:
    by = {row["element_id"]: row for row in rows}
    for e in r.elements:
        row = by.get(e.id, {"credit": 0.0, "contacts": 0})
        credit = float(Fraction(e.conversion_credit))
        if e.conversion_point != row["contacts"] or not _close(credit, row["credit"]):
            return False
    entered = by.get(None, {"credit": 0.0})["credit"]
    return bool(r.totals["entered_at_goal"] == round(entered))


def _agree_bottlenecks(r: Any, rows: list[dict[str, Any]]) -> bool:
    el = {row["id"]: row for row in rows if row["target"] == "element"}
    for e in r.elements:
        row = el.get(e.id, {"dwell_n": 0, "stuck": 0, "median_us": None, "p90_us": None})
        if (e.dwell_n, e.stuck) != (row["dwell_n"], row["stuck"]):
            return False
        for mine, theirs in ((e.dwell_median_s, row["median_us"]), (e.dwell_p90_s, row["p90_us"])):
            if not _close(mine, None if theirs is None else theirs / 1e6):
                return False
    drops = {row["id"]: row["drop_off"] for row in rows if row["target"] == "connector"}
    return all(c.drop_off == drops.get(c.id, 0) for c in r.connectors if c.drop_off is not None)


def _week_or_month(start: date, period: str) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m}"


def _agree_trend(t: Trend, rows: list[dict[str, Any]]) -> bool:
    want = {_week_or_month(row["start"], t.period): row["n"] for row in rows}
    got = {row.period: row.value for row in t.rows}
    return (
        bool(rows)
        and all(got.get(k) == v for k, v in want.items())
        and all(v == 0 for k, v in got.items() if k not in want)
    )


AGREE: dict[str, Callable[[Any, list[dict[str, Any]]], bool]] = {
    "split-test": _agree_split,
    "time-to-goal": _agree_time_to_goal,
    "goal-conversion-point": _agree_point,
    "bottlenecks": _agree_bottlenecks,
    "goal-conversion-rate": _agree_trend,
}
"""Per case report, whether the product's result and the baseline's rows give the same figures."""
