"""`journeymap trend`: one figure of a report by week or month of first entry (cohort trend)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

import typer
from rich import box
from rich.table import Table

from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly
from journeymap.cli.filters import (
    AfterArrivalOpt,
    AttributionOpt,
    CampaignOpt,
    ContentOpt,
    ControlOpt,
    FromOpt,
    GoalOpt,
    GraceOpt,
    HalfLifeOpt,
    LastTouchOpt,
    MapOpt,
    MediumOpt,
    SourceOpt,
    StallOpt,
    StepOpt,
    TermOpt,
    ToOpt,
    TzOpt,
    opt,
    report_options,
    utm_filter,
)
from journeymap.cli.remote import ApiOption, Remote, TokenOption
from journeymap.clock import SystemClock
from journeymap.reports import REPORTS, make_params
from journeymap.reports.trend import trend
from journeymap.store import open_store


class Format(StrEnum):
    """How `trend` prints the table."""

    table = "table"
    json = "json"
    csv = "csv"


class Period(StrEnum):
    week = "week"
    month = "month"


@app.command("trend")
@friendly
def trend_command(
    map_id: MapOpt,
    report: Annotated[str, opt("--report", f"One of: {', '.join(REPORTS)}.")],
    figure: Annotated[str, opt("--figure", "The figure, as the report's JSON names it.")],
    element: Annotated[str | None, opt("--element", "The element it is on.")] = None,
    connector: Annotated[str | None, opt("--connector", "The connector it is on.")] = None,
    period: Annotated[Period, typer.Option("--period", help="week or month.")] = Period.week,
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
    control: ControlOpt = None,
    attribution: AttributionOpt = "last",
    half_life_days: HalfLifeOpt = 7.0,
    grace_days: GraceOpt = 1.0,
    stall_days: StallOpt = 14.0,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    db: DbOption = DEFAULT_DB,
    api: ApiOption = None,
    token: TokenOption = None,
) -> None:
    """Print one figure of a report per week or month of first entry (docs/reports.md)."""
    utm = utm_filter(utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    options = report_options(attribution, half_life_days, grace_days, stall_days)
    if api is not None:
        remote = Remote(api, token)
        path = f"/api/maps/{quote(map_id, safe='')}/reports/{quote(report, safe='')}/trend"
        query = {
            "figure": figure,
            "period": period.value,
            "element": element,
            "connector": connector,
            "goal": goal,
            "from": date_from,
            "to": date_to,
            "tz": tz,
            **{f"utm_{f}": v for f, v in utm.items()},
            "last_touch": last_touch,
            "steps": step or None,
            "after_arrival": after_arrival,
            "control": control,
            **options,
        }
        if fmt is Format.csv:
            typer.echo(remote.text("GET", path, {**query, "format": "csv"}), nl=False)
            return
        data = remote.json("GET", path, query)
    else:
        params = make_params(
            map_id,
            goal=goal,
            date_range=(date_from, date_to),
            tz=tz,
            utm=utm,
            last_touch=last_touch,
            steps=step or None,
            after_arrival=after_arrival,
            control=control,
            **options,
        )
        store = open_store(db, create=False)
        try:
            found = trend(
                store,
                report,
                params,
                figure=figure,
                period=period.value,
                element=element,
                connector=connector,
                now=SystemClock().now(),
            )
        finally:
            store.close()
        if fmt is Format.csv:
            typer.echo(found.to_csv(), nl=False)
            return
        data = found.as_dict()
    if fmt is Format.json:
        typer.echo(json.dumps(data, indent=2))
        return
    where = data["element"] or data["connector"] or "the map"
    table = Table(
        title=f"{data['figure']} on {where} by {data['period']} of first entry",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for header in ("period", "from", "to", "cohort", data["figure"]):
        table.add_column(header, justify="right" if header != "period" else "left")
    for r in data["rows"]:
        value = "-" if r["value"] is None else str(r["value"])
        table.add_row(r["period"], r["from"], r["to"], f"{r['cohort_size']:,}", value)
    console.print(table)
    console.print(f"All periods together: {data['overall']}", markup=False, highlight=False)
