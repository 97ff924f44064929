"""`journeymap stats` prints one report of a map; `journeymap rebuild` recomputes its summaries."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

import typer
from rich.markup import escape

from journeymap.cli.app import DEFAULT_DB, DbOption, app, console, err_console
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
from journeymap.cli.remote import ApiOption, Remote, TokenOption, remote_map, remote_report
from journeymap.cli.report_insights import PRINTERS
from journeymap.cli.report_table import print_report
from journeymap.clock import SystemClock
from journeymap.errors import JourneymapError
from journeymap.model.map import AutomationMap
from journeymap.model.names import element_name
from journeymap.reports import REPORTS, make_params, run_report
from journeymap.reports.context import load_map
from journeymap.reports.export import report_csv
from journeymap.store import open_store

FLAGS = {
    "map_id": "--map",
    "goal": "--goal",
    "from": "--from",
    "to": "--to",
    "tz": "--tz",
    "utm": "--utm-source ... --utm-term",
    "steps": "--step",
    "by": "--by",
    "report": "--report",
    "control": "--control",
    "attribution": "--attribution",
    "half_life_days": "--half-life-days",
    "grace_days": "--grace-days",
    "stall_days": "--stall-days",
}
"""The flag that sets each report parameter, so an error names what the user typed."""


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
    attribution: AttributionOpt = "last",
    half_life_days: HalfLifeOpt = 7.0,
    grace_days: GraceOpt = 1.0,
    stall_days: StallOpt = 14.0,
    by: Annotated[
        str | None, opt("--by", "ROI: UTM field (source, medium, campaign); default: all three.")
    ] = None,
    control: ControlOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            envvar="JOURNEYMAP_CURRENCY",
            help="ISO 4217 code the table writes money in (the server's `currency` setting).",
        ),
    ] = "USD",
    db: DbOption = DEFAULT_DB,
    api: ApiOption = None,
    token: TokenOption = None,
) -> None:
    """Print one Performance Mode report of a map (JSON as in docs/reports.md, CSV or a table)."""
    if report not in REPORTS:
        _fail("unknown_report", "--report", f"no report {report!r}; one of {', '.join(REPORTS)}")
    utm = utm_filter(utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    options = report_options(attribution, half_life_days, grace_days, stall_days)
    if api is not None:  # the running server holds the store: ask it
        remote = Remote(api, token)
        m = remote_map(remote, map_id)
        path = f"/api/maps/{quote(map_id, safe='')}/reports/{quote(report, safe='')}"
        query = {
            "goal": goal,
            "from": date_from,
            "to": date_to,
            "tz": tz,
            **{f"utm_{f}": v for f, v in utm.items()},
            "last_touch": last_touch,
            "steps": step or None,
            "after_arrival": after_arrival,
            **options,
            "by": by,
            "control": control,
        }
        if fmt is Format.csv:
            typer.echo(remote.text("GET", path, {**query, "format": "csv"}), nl=False)
            return
        result = remote_report(remote.json("GET", path, query))
    else:
        store = open_store(db, create=False)
        try:
            m = _map(store, map_id)
            try:
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
                    by=by,
                    control=control,
                )
                result = run_report(store, report, params, SystemClock().now())
            except JourneymapError as exc:
                field = getattr(exc, "field", None)
                if exc.code == "goal_required":
                    _fail(exc.code, "--goal", f"{report} is about one goal.\n{_goal_list(m)}")
                if field in FLAGS:
                    _fail(exc.code, FLAGS[field], exc.message.removeprefix(f"{field}: "))
                raise
        finally:
            store.close()
    if fmt is Format.json:
        typer.echo(result.to_json())
    elif fmt is Format.csv:
        typer.echo(report_csv(result), nl=False)
    else:
        print_report(console, result, m, currency)
        if report in PRINTERS:
            PRINTERS[report](console, result.as_dict(), {e.id: element_name(e) for e in m.elements})
        if report == "goal-conversion-rate" and not goal:
            console.print(
                "Add --goal ID for the rate to one goal from every element.\n" + _goal_list(m),
                markup=False,
                highlight=False,
            )


@app.command("rebuild")
@friendly
def rebuild(db: DbOption = DEFAULT_DB) -> None:
    """Recompute every report summary from the recorded facts."""
    store = open_store(db, create=False)
    try:
        store.rebuild_summaries()
    finally:
        store.close()
    typer.echo("Rebuilt the report summaries from the facts.")


def _map(store: object, map_id: str) -> AutomationMap:
    """The map, or an error naming --map."""
    try:
        return load_map(store, map_id)  # type: ignore[arg-type]
    except JourneymapError as exc:
        _fail(exc.code, "--map", f"no map {map_id!r}; `journeymap map list` shows the maps")
        raise  # unreachable: _fail exits


def _goal_list(m: AutomationMap) -> str:
    goals = [e for e in m.elements if e.kind == "goal"]
    if not goals:
        return f"Map {m.id!r} has no goals."
    width = max(len(g.id) for g in goals)
    return "The map's goals:\n" + "\n".join(f"  {g.id:<{width}}  {element_name(g)}" for g in goals)


def _fail(code: str, flag: str, message: str) -> None:
    """An error that names the flag to change; exit 1."""
    message = re.sub(r"\ba ([aeiou])", r"an \1", message)  # "is a action" reads "is an action"
    err_console.print(
        f"[red]error[/red] {escape(f'[{code}] {flag}: {message}')}", highlight=False, soft_wrap=True
    )
    raise typer.Exit(1)
