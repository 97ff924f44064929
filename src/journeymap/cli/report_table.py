"""`stats --format table`: a report as a person reads it, in words, within 80 columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from journeymap.model.map import AutomationMap
from journeymap.model.names import element_name
from journeymap.reports import REPORTS, ReportResult
from journeymap.reports.roi import COST_BASES

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
GOAL_REPORTS = frozenset({"split-test", "time-to-goal"})
"""Reports besides the goal-* ones that are about one goal (the header names it)."""
NONE = "-"
"""What a figure with no value (nothing to divide by) is written as."""


def count(value: Any) -> str:
    return NONE if value is None else f"{int(value):,}"


def percent(value: Any, digits: int = 1) -> str:
    if value is None:
        return NONE
    return f"{_round(float(value) * 100, digits):,}%"


def plain(value: Any) -> str:
    return NONE if value is None else str(value)


def rank(value: Any) -> str:
    return "" if value is None else f"#{value}"


def signed_percent(value: Any) -> str:
    """ROI: +1,453% or -100%, whole percent."""
    if value is None:
        return NONE
    text = percent(value, 0)
    return text if text.startswith("-") or text == "0%" else f"+{text}"


def _round(value: float, digits: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def duration(seconds: Any) -> str:
    """Like the page: 42 s, 3.5 min, 2.0 h, 6.5 d."""
    if seconds is None:
        return NONE
    s = abs(float(seconds))
    for limit, unit, size, digits in ((60, "s", 1, 0), (3600, "min", 60, 1), (86400, "h", 3600, 1)):
        if s < limit:
            return f"{_round(seconds / size, digits)} {unit}"
    return f"{_round(seconds / 86400, 1)} d"


@dataclass(frozen=True)
class Money:
    """Money in one currency: $1,234.50, or EUR-less codes written before the amount."""

    currency: str

    def __call__(self, value: Any) -> str:
        if value is None:
            return NONE
        amount = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        sign = "-" if amount < 0 else ""
        symbol = SYMBOLS.get(self.currency, f"{self.currency} ")
        return f"{sign}{symbol}{abs(amount):,}"


@dataclass(frozen=True)
class Column:
    """One column: its header, the figure it shows, how it is written, and a rate beside it."""

    header: str
    figure: str
    write: Callable[[Any], str] = count
    rate: str | None = None


@dataclass(frozen=True)
class Section:
    """One table of elements: which elements it lists and its columns."""

    title: str
    columns: tuple[Column, ...]
    only: Callable[[dict[str, Any]], bool] = lambda e: True


def _sections(report: str, money: Money, goal: str | None) -> list[Section]:
    """The tables of elements each report prints (the figures the page draws on them)."""
    by_report: dict[str, list[Section]] = {
        "contact-flow": [
            Section("Elements", (Column("were here", "were_here"), Column("here now", "here_now"))),
            Section(
                "Emails",
                (
                    Column("sent", "sent"),
                    Column("queued", "queued"),
                    Column("failed", "failed"),
                    Column("opened", "opened", rate="open_rate"),
                    Column("clicked", "clicked", rate="click_rate"),
                    Column("unsubscribed", "unsubscribed", rate="unsubscribe_rate"),
                ),
                lambda e: e.get("sent") is not None,
            ),
            Section(
                "Webhooks and notifications",
                (
                    Column("delivered", "delivered"),
                    Column("pending", "pending"),
                    Column("failed", "failed"),
                ),
                lambda e: e.get("delivered") is not None,
            ),
            Section(
                "Page-visit triggers",
                (
                    Column("page visits", "page_visits"),
                    Column("unique visitors", "unique_visitors"),
                ),
                lambda e: e.get("page_visits") is not None,
            ),
        ],
        "funnel-conversion": [
            Section(
                "Funnel steps",
                (
                    Column("step", "funnel_step"),
                    Column("reached", "funnel_count"),
                    Column("of step before", "funnel_rate_prev", percent),
                    Column("of step 1", "funnel_rate_start", percent),
                    Column("entered directly", "entered_directly"),
                ),
                lambda e: e.get("funnel_step") is not None,
            )
        ],
        "lifetime-value": [
            Section(
                "Elements",
                (Column("spent", "amount_spent", money), Column("average", "average_spent", money)),
            )
        ],
        "goal-conversion-rate": [
            Section(
                "Goals",
                (
                    Column("achieved", "achieved"),
                    Column("conversion rate", "conversion_rate", percent),
                ),
                lambda e: e["kind"] == "goal",
            ),
            *(
                [
                    Section(
                        "Went on to the goal",
                        (Column("reached goal", "to_goal", rate="to_goal_rate"),),
                        lambda e: e["id"] != goal,
                    )
                ]
                if goal
                else []
            ),
        ],
        "goal-conversion-point": [
            Section(
                "Where the goal was achieved",
                (
                    Column("converted here", "conversion_point"),
                    Column("credit", "conversion_credit", plain, rate="conversion_point_share"),
                ),
            )
        ],
        "bottlenecks": [
            Section(
                "Time spent on each element (completed stays)",
                (
                    Column("stays", "dwell_n"),
                    Column("median", "dwell_median_s", duration),
                    Column("90% within", "dwell_p90_s", duration),
                    Column("configured", "dwell_configured_s", duration),
                    Column("stuck", "stuck"),
                    Column("worst", "bottleneck_rank", rank),
                ),
            )
        ],
        "goal-conversion-time": [
            Section(
                "Time to the goal",
                (
                    Column("mean", "conversion_time_mean_s", duration),
                    Column("median", "conversion_time_median_s", duration),
                    Column("90% within", "conversion_time_p90_s", duration),
                    Column("timed", "conversion_time_n"),
                ),
            )
        ],
        "time-to-goal": [
            Section(
                "Time to the goal, contacts still on the way included (Kaplan-Meier)",
                (
                    Column("followed", "time_to_goal_n"),
                    Column("converted", "time_to_goal_converted"),
                    Column("median", "time_to_goal_median_s", duration),
                    Column("95% CI low", "time_to_goal_median_low_s", duration),
                    Column("high", "time_to_goal_median_high_s", duration),
                ),
            ),
            Section(
                "Share converted within",
                (
                    Column("1 day", "converted_by_1d", percent),
                    Column("7 days", "converted_by_7d", percent),
                    Column("30 days", "converted_by_30d", percent),
                    Column("90 days", "converted_by_90d", percent),
                ),
            ),
        ],
    }
    return by_report.get(report, [])


def _cell(column: Column, row: dict[str, Any]) -> str:
    text = column.write(row.get(column.figure))
    if column.rate is not None:
        text += f" ({percent(row.get(column.rate))})"
    return text


def _table(title: str, first: str, headers: list[str]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(first, overflow="fold", ratio=1, min_width=14)
    for header in headers:
        table.add_column(header, justify="right", overflow="fold")
    return table


def header_lines(result: ReportResult, m: AutomationMap) -> list[str]:
    """The map, report, goal and cohort filters in words."""
    names = {e.id: element_name(e) for e in m.elements}
    title = REPORTS[result.report].title if result.report in REPORTS else result.report
    version = f"version {m.version}"
    called = f"{m.name} ({m.id}, {version})" if m.name else f"{m.id} ({version})"
    lines = [f"Map: {called}", f"Report: {title}"]
    if result.goal and (result.report.startswith("goal-") or result.report in GOAL_REPORTS):
        lines[-1] += f", goal: {names.get(result.goal, result.goal)} ({result.goal})"
    if result.report == "funnel-conversion" and result.options.get("steps"):
        steps = " → ".join(names.get(s, s) for s in result.options["steps"])
        lines.append(f"Steps: {steps}")
    f = result.filters
    span = (
        f"first entry from {f['from'] or 'the start'} to {f['to'] or 'today'} ({f['tz']})"
        if f.get("from") or f.get("to")
        else "first entry at any time"
    )
    touch = "last" if f.get("last_touch") else "first"
    utm = ", ".join(f"{k} = {v}" for k, v in f.get("utm", {}).items())
    lines.append(f"Cohort: {span}" + (f"; {touch}-touch UTM {utm}" if utm else ""))
    at = result.computed_at
    stamp = f"{at:%Y-%m-%d %H:%M} UTC" if isinstance(at, datetime) else str(at)
    lines.append(f"{result.cohort_size:,} contacts in the cohort; computed {stamp}")
    return lines


def print_report(
    console: Console, result: ReportResult, m: AutomationMap, currency: str = "USD"
) -> None:
    """The report as tables in words: header, element tables, connectors, ROI rows."""
    money = Money(currency)
    names = {e.id: element_name(e) for e in m.elements}
    data = result.as_dict()
    for line in header_lines(result, m):
        console.print(line, markup=False, highlight=False)
    elements = data["elements"]
    for section in _sections(result.report, money, result.goal):
        rows = [e for e in elements if section.only(e)]
        if not rows:
            continue
        if result.report == "funnel-conversion":
            rows.sort(key=lambda e: e["funnel_step"])
        table = _table(section.title, "element", [c.header for c in section.columns])
        for row in rows:
            table.add_row(
                names.get(row["id"], row["id"]), *(_cell(c, row) for c in section.columns)
            )
        console.print(table)
    if result.report == "goal-conversion-point":
        console.print(
            f"Entered at the goal: {count(data.get('entered_at_goal'))} "
            f"({percent(data.get('entered_at_goal_share'))} of "
            f"{count(data.get('goal_achievers'))} achievers)",
            markup=False,
            highlight=False,
        )
    if result.report != "roi" and data["connectors"]:
        with_share = any(c.get("share") is not None for c in data["connectors"])
        drops = result.report == "bottlenecks"
        extra = ["dropped off", "worst"] if drops else []
        table = _table(
            "Connectors", "from → to", ["contacts", *(["share"] if with_share else []), *extra]
        )
        for c in data["connectors"]:
            share = [percent(c.get("share"))] if with_share else []
            dropped = (
                [
                    f"{count(c.get('drop_off'))} ({percent(c.get('drop_off_rate'))})",
                    rank(c.get("drop_off_rank")),
                ]
                if drops
                else []
            )
            table.add_row(
                f"{names.get(c['from'], c['from'])} → {names.get(c['to'], c['to'])}",
                count(c["contacts"]),
                *share,
                *dropped,
            )
        console.print(table)
    if "rows" in data:
        _print_roi(console, data, money)


def _print_roi(console: Console, data: dict[str, Any], money: Money) -> None:
    fields = list(dict.fromkeys(r["utm_field"] for r in data["rows"]))
    for field in fields:
        table = _table(
            f"Marketing ROI by UTM {field}",
            "value",
            ["contacts", "achieved", "revenue", "cost", "ROI"],
        )
        for r in data["rows"]:
            if r["utm_field"] == field:
                table.add_row(
                    r["utm_value"],
                    count(r["contacts"]),
                    count(r["achievers"]),
                    money(r["revenue"]),
                    money(r["cost"]),
                    signed_percent(r["roi"]),
                )
        console.print(table)
    basis = data.get("cost_basis")
    if basis in COST_BASES:
        console.print(f"Cost: {COST_BASES[basis]}.", markup=False, highlight=False)
