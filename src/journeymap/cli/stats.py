"""`journeymap stats` prints one report of a map; `journeymap rebuild` recomputes its summaries."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly
from journeymap.cli.filters import (
    AfterArrivalOpt,
    CampaignOpt,
    ContentOpt,
    FromOpt,
    GoalOpt,
    LastTouchOpt,
    MapOpt,
    MediumOpt,
    SourceOpt,
    StepOpt,
    TermOpt,
    ToOpt,
    TzOpt,
    opt,
    utm_filter,
)
from journeymap.clock import SystemClock
from journeymap.reports import REPORTS, ReportResult, make_params, run_report
from journeymap.store import open_store


class Format(StrEnum):
    """How `stats` prints a report."""

    json = "json"
    csv = "csv"
    table = "table"


@app.command("stats")
@friendly
def stats(
    map_id: MapOpt,
    report: Annotated[str, opt("--report", f"One of: {', '.join(REPORTS)}.")],
    goal: GoalOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    tz: TzOpt = "UTC",
    utm_source: SourceOpt = None,
    utm_medium: MediumOpt = None,
    utm_campaign: CampaignOpt = None,
    utm_content: ContentOpt = None,
    utm_term: TermOpt = None,
    last_touch: LastTouchOpt = False,
    step: StepOpt = None,
    after_arrival: AfterArrivalOpt = False,
    by: Annotated[
        str | None, opt("--by", "ROI: UTM field (source, medium, campaign); default: all three.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Print one Performance Mode report of a map (JSON as in docs/reports.md, CSV or a table)."""
    utm = utm_filter(utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    params = make_params(
        map_id,
        goal=goal,
        date_range=(date_from, date_to),
        tz=tz,
        utm=utm,
        last_touch=last_touch,
        steps=step or None,
        after_arrival=after_arrival,
        by=by,
    )
    store = open_store(db)
    try:
        result = run_report(store, report, params, SystemClock().now())
    finally:
        store.close()
    if fmt is Format.json:
        typer.echo(result.to_json())
    elif fmt is Format.csv:
        typer.echo(to_csv(result), nl=False)
    else:
        _print_table(result)


@app.command("rebuild")
@friendly
def rebuild(db: DbOption = DEFAULT_DB) -> None:
    """Recompute every report summary from the recorded facts."""
    store = open_store(db)
    try:
        store.rebuild_summaries()
    finally:
        store.close()
    typer.echo("Rebuilt the report summaries from the facts.")


def to_csv(result: ReportResult) -> str:
    """Elements then connectors, one row each; `record` tells which, figures as columns."""
    rows = [{"record": "element", **e.figures(money_as_number=False)} for e in result.elements]
    rows += [{"record": "connector", **c.figures()} for c in result.connectors]
    rows += [{"record": "row", **r} for r in result.totals.get("rows", [])]  # ROI per UTM value
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _print_table(result: ReportResult) -> None:
    data = result.as_dict()
    head = {k: v for k, v in data.items() if k not in ("elements", "connectors", "rows")}
    for key, value in head.items():
        console.print(f"{key}: {value}", markup=False, highlight=False, soft_wrap=True)
    tables = [("Elements", data["elements"]), ("Connectors", data["connectors"])]
    if "rows" in data:  # ROI per UTM value
        tables.insert(0, ("Rows", data["rows"]))
    for title, rows in tables:
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        table = Table(title=title)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        console.print(table)
