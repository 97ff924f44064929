"""`journeymap contacts` lists the contacts behind one figure of a report, or exports them all."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

import typer
from rich.markup import escape
from rich.table import Table

from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly
from journeymap.cli.filters import (
    AfterArrivalOpt,
    AttributionOpt,
    CampaignOpt,
    ContentOpt,
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
from journeymap.reports import ReportParams, make_params
from journeymap.reports.drilldown import export_csv, list_contacts, plan
from journeymap.reports.drilldown_figures import FIGURES
from journeymap.store import open_store

DEFAULT_LIMIT = 100
"""Rows per page in table and JSON output when --limit is not given."""


class Format(StrEnum):
    """How `contacts` prints the list."""

    table = "table"
    csv = "csv"
    json = "json"


@app.command("contacts")
@friendly
def contacts(
    map_id: MapOpt,
    figure: Annotated[str, opt("--figure", f"Figure as reports name it: {', '.join(FIGURES)}.")],
    element: Annotated[str | None, opt("--element", "Element the figure is on.")] = None,
    connector: Annotated[str | None, opt("--connector", "Connector the figure is on.")] = None,
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
    attribution: AttributionOpt = "last",
    half_life_days: HalfLifeOpt = 7.0,
    grace_days: GraceOpt = 1.0,
    stall_days: StallOpt = 14.0,
    limit: Annotated[
        int | None, opt("--limit", f"Rows per page (default {DEFAULT_LIMIT}).")
    ] = None,
    offset: Annotated[int | None, opt("--offset", "Rows to skip (default 0).")] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="table or json: one page; csv: the whole list.")
    ] = Format.table,
    db: DbOption = DEFAULT_DB,
    api: ApiOption = None,
    token: TokenOption = None,
) -> None:
    """List the contacts behind a report's figure (docs/metrics.md); CSV exports all of them."""
    if fmt is Format.csv and (limit is not None or offset is not None):
        raise typer.BadParameter("csv exports the whole list; --limit and --offset page the rest")
    utm = utm_filter(utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    options = report_options(attribution, half_life_days, grace_days, stall_days)
    page_size = DEFAULT_LIMIT if limit is None else limit
    if api is not None:
        query = {
            "figure": figure,
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
            **options,
        }
        remote = Remote(api, token)
        path = f"/api/maps/{quote(map_id, safe='')}/contacts"
        if fmt is Format.csv:
            typer.echo(remote.text("GET", path, {**query, "format": "csv"}), nl=False)
            return
        data = remote.json("GET", path, {**query, "limit": page_size, "offset": offset or 0})
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
            **options,
        )
        data = _local(db, params, figure, element, connector, fmt, page_size, offset or 0)
        if data is None:
            return
    if fmt is Format.json:
        typer.echo(json.dumps(data, indent=2))
    else:
        _print_table(data)


def _local(
    db: str,
    params: ReportParams,
    figure: str,
    element: str | None,
    connector: str | None,
    fmt: Format,
    limit: int,
    offset: int,
) -> dict[str, Any] | None:
    """One page from the store file as JSON shows it; None when the CSV export was written."""
    store = open_store(db, create=False)
    try:
        now = SystemClock().now()
        p = plan(store, params, figure, element=element, connector=connector, now=now)
        if fmt is Format.csv:
            export_csv(store, p, sys.stdout)
            return None
        return list_contacts(store, p, limit=limit, offset=offset).as_dict()
    finally:
        store.close()


def _print_table(page: dict[str, Any]) -> None:
    on = page["element"] or page["connector"] or page["map_id"]
    rows: list[dict[str, Any]] = page["rows"]
    shown = f"{page['offset'] + 1}-{page['offset'] + len(rows)}" if rows else "none"
    lines = (
        f"{page['figure']} on {on}: {page['definition']}",
        f"contacts: {page['total']} (showing {shown})",
    )
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    columns = ["contact_id", "created_at", "first_utm_source", "first_utm_medium"]
    columns += ["first_utm_campaign", page["at_name"]]
    columns += [page["value_name"]] if page["value_name"] else []
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("-" if row.get(c) is None else escape(str(row[c])) for c in columns))
    console.print(table)
