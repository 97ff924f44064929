"""`journeymap contacts` lists the contacts behind one figure of a report, or exports them all."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly
from journeymap.reports import make_params
from journeymap.reports.drilldown import ContactList, export_csv, list_contacts, plan
from journeymap.reports.drilldown_figures import FIGURES
from journeymap.store import open_store

DEFAULT_LIMIT = 100
"""Rows per page in table and JSON output when --limit is not given."""


class Format(StrEnum):
    """How `contacts` prints the list."""

    table = "table"
    csv = "csv"
    json = "json"


def _opt(flag: str, text: str) -> Any:
    return typer.Option(flag, help=text, show_default=False)


@app.command("contacts")
@friendly
def contacts(
    map_id: Annotated[str, _opt("--map", "Id of the map.")],
    figure: Annotated[str, _opt("--figure", f"Figure as reports name it: {', '.join(FIGURES)}.")],
    element: Annotated[str | None, _opt("--element", "Element the figure is on.")] = None,
    connector: Annotated[str | None, _opt("--connector", "Connector the figure is on.")] = None,
    goal: Annotated[str | None, _opt("--goal", "Selected goal element id.")] = None,
    date_from: Annotated[str | None, _opt("--from", "First cohort day, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, _opt("--to", "Last cohort day (inclusive).")] = None,
    tz: Annotated[str, typer.Option("--tz", help="Timezone of the cohort days.")] = "UTC",
    utm_source: Annotated[str | None, _opt("--utm-source", "UTM source; (none) = missing.")] = None,
    utm_medium: Annotated[str | None, _opt("--utm-medium", "UTM medium.")] = None,
    utm_campaign: Annotated[str | None, _opt("--utm-campaign", "UTM campaign.")] = None,
    utm_content: Annotated[str | None, _opt("--utm-content", "UTM content.")] = None,
    utm_term: Annotated[str | None, _opt("--utm-term", "UTM term.")] = None,
    last_touch: Annotated[
        bool, typer.Option("--last-touch", help="Filter on last-touch UTM instead of first.")
    ] = False,
    step: Annotated[
        list[str] | None, _opt("--step", "Funnel step (repeat, in order); default: auto.")
    ] = None,
    after_arrival: Annotated[
        bool, typer.Option("--after-arrival", help="Amount spent: only purchases after arrival.")
    ] = False,
    limit: Annotated[
        int | None, _opt("--limit", f"Rows per page (default {DEFAULT_LIMIT}).")
    ] = None,
    offset: Annotated[int | None, _opt("--offset", "Rows to skip (default 0).")] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="table or json: one page; csv: the whole list.")
    ] = Format.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List the contacts behind a report's figure (docs/metrics.md); CSV exports all of them."""
    if fmt is Format.csv and (limit is not None or offset is not None):
        raise typer.BadParameter("csv exports the whole list; --limit and --offset page the rest")
    utm = {
        field: value
        for field, value in (
            ("source", utm_source),
            ("medium", utm_medium),
            ("campaign", utm_campaign),
            ("content", utm_content),
            ("term", utm_term),
        )
        if value is not None
    }
    params = make_params(
        map_id,
        goal=goal,
        date_range=(date_from, date_to),
        tz=tz,
        utm=utm,
        last_touch=last_touch,
        steps=step or None,
        after_arrival=after_arrival,
    )
    store = open_store(db)
    try:
        p = plan(store, params, figure, element=element, connector=connector)
        if fmt is Format.csv:
            export_csv(store, p, sys.stdout)
            return
        page = list_contacts(
            store, p, limit=DEFAULT_LIMIT if limit is None else limit, offset=offset or 0
        )
    finally:
        store.close()
    if fmt is Format.json:
        typer.echo(page.to_json())
    else:
        _print_table(page)


def _print_table(page: ContactList) -> None:
    on = page.element or page.connector or page.map_id
    shown = f"{page.offset + 1}-{page.offset + len(page.rows)}" if page.rows else "none"
    lines = (
        f"{page.figure} on {on}: {page.definition}",
        f"contacts: {page.total} (showing {shown})",
    )
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    rows = [page.row_dict(r) for r in page.rows]
    columns = ["contact_id", "created_at", "first_utm_source", "first_utm_medium"]
    columns += ["first_utm_campaign", page.at_name]
    columns += [page.value_name] if page.value_name else []
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("-" if row.get(c) is None else str(row[c]) for c in columns))
    console.print(table)
