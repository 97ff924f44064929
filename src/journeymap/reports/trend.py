"""Cohort trends: one figure of a report, for the contacts who first entered in each week or
month, each period's figure computed by the report itself over that period's cohort."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from journeymap import dates
from journeymap.reports.base import compute_report, run_report
from journeymap.reports.context import ReportContext, load_map
from journeymap.reports.params import ReportParams
from journeymap.reports.result import ReportResult
from journeymap.reports.rules import ReportInvalid
from journeymap.store.protocol import Store

Period = Literal["week", "month"]

MAX_PERIODS = 160
"""The most periods one trend computes (three years of weeks); a narrower range asks for fewer."""


@dataclass(frozen=True)
class TrendRow:
    """One period: its name, its days (inclusive, in the report's time zone), cohort and value."""

    period: str
    date_from: date
    date_to: date
    cohort_size: int
    value: Any

    def as_dict(self) -> dict[str, Any]:
        value = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {
            "period": self.period,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "cohort_size": self.cohort_size,
            "value": value,
        }


@dataclass(frozen=True)
class Trend:
    """A figure by period of first entry, and the same figure over the whole cohort."""

    map_id: str
    report: str
    figure: str
    element: str | None
    connector: str | None
    period: Period
    overall: Any
    rows: list[TrendRow]
    filters: dict[str, Any]
    options: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape (docs/reports.md, "Trends")."""
        overall = float(self.overall) if isinstance(self.overall, Decimal) else self.overall
        return {
            "map_id": self.map_id,
            "report": self.report,
            "figure": self.figure,
            "element": self.element,
            "connector": self.connector,
            "period": self.period,
            "filters": self.filters,
            "options": self.options,
            "overall": overall,
            "rows": [r.as_dict() for r in self.rows],
        }

    def to_csv(self) -> str:
        """One row per period: period, from, to, cohort_size, value (money exact in cents)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["period", "from", "to", "cohort_size", "value"])
        for r in self.rows:
            value = "" if r.value is None else r.value
            writer.writerow(
                [r.period, r.date_from.isoformat(), r.date_to.isoformat(), r.cohort_size, value]
            )
        return out.getvalue()


def _value(
    result: ReportResult, figure: str, element: str | None, connector: str | None
) -> tuple[bool, Any]:
    """(whether the report shows the figure there, its value)."""
    if element is not None:
        data = result.element(element).figures(money_as_number=False)
    elif connector is not None:
        data = result.connector(connector).figures(money_as_number=False)
    else:
        data = {"cohort_size": result.cohort_size, **result.totals}
    return figure in data, data.get(figure)


def _start(day: date, by: Period) -> date:
    return day - timedelta(days=day.weekday()) if by == "week" else day.replace(day=1)


def _next(start: date, by: Period) -> date:
    if by == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _name(start: date, by: Period) -> str:
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m}"


def periods(first: date, last: date, by: Period) -> list[tuple[date, date]]:
    """The weeks (Monday to Sunday) or months from the one holding `first` to the one holding
    `last`, as inclusive days."""
    out = []
    start = _start(first, by)
    while start <= last:
        end = _next(start, by)
        out.append((start, end - timedelta(days=1)))
        start = end
    return out


def _local_day(at: datetime, tz: str) -> date:
    return at.astimezone(dates.zone(tz)).date()


def trend(
    store: Store,
    report: str,
    params: ReportParams,
    *,
    figure: str,
    period: str,
    element: str | None = None,
    connector: str | None = None,
    now: datetime,
) -> Trend:
    """The figure of `report` on the element, the connector or the map, by week or month."""
    if period not in ("week", "month"):
        raise ReportInvalid("bad_parameter", "period", f"{period!r} is not week or month")
    unit: Period = "week" if period == "week" else "month"
    if element is not None and connector is not None:
        raise ReportInvalid("unexpected_connector", "connector", "give an element or a connector")
    whole = run_report(store, report, params, now)
    if element is not None and element not in {e.id for e in whole.elements}:
        raise ReportInvalid("unknown_element", "element", f"map has no element {element!r}")
    if connector is not None and connector not in {c.id for c in whole.connectors}:
        raise ReportInvalid("unknown_connector", "connector", f"map has no connector {connector!r}")
    shown, overall = _value(whole, figure, element, connector)
    if not shown:
        where = element or connector or "the map as a whole"
        raise ReportInvalid(
            "unknown_figure", "figure", f"report {report!r} shows no figure {figure!r} on {where}"
        )
    ctx = ReportContext(store, load_map(store, params.map_id), params, now)
    span = ctx.rows("entry_span")[0]  # the map, rules and UTM keys hold for every period too
    rows: list[TrendRow] = []
    if span["first_at"] is not None:
        first = _local_day(span["first_at"], params.tz)
        last = _local_day(span["last_at"], params.tz)
        found = periods(first, last, unit)
        if len(found) > MAX_PERIODS:
            raise ReportInvalid(
                "too_many_periods",
                "period",
                f"{len(found)} {unit}s of first entries; at most {MAX_PERIODS}: narrow the dates",
            )
        for start, end in found:
            lo = max(start, params.date_from) if params.date_from else start
            hi = min(end, params.date_to) if params.date_to else end
            part = params.model_copy(update={"date_from": lo, "date_to": hi})
            result = compute_report(replace(ctx, params=part, resolved=ctx.keys), report)
            _, value = _value(result, figure, element, connector)
            rows.append(TrendRow(_name(start, unit), lo, hi, result.cohort_size, value))
    return Trend(
        map_id=params.map_id,
        report=report,
        figure=figure,
        element=element,
        connector=connector,
        period=unit,
        overall=overall,
        rows=rows,
        filters=whole.filters,
        options=whole.options,
    )
