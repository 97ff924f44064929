"""`journeymap map errors`: what maps could not do for contacts, counted per element and listed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

import journeymap
from journeymap.cli.app import DEFAULT_DB, DbOption, console, map_app
from journeymap.cli.errors import friendly
from journeymap.cli.remote import ApiOption, Remote, TokenOption


def _when(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{moment:%Y-%m-%d %H:%M:%S}"


@map_app.command("errors")
@friendly
def map_errors(
    db: DbOption = DEFAULT_DB,
    map_id: Annotated[
        str | None, typer.Option("--map", help="Only this map's errors.", show_default=False)
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=1000, help="How many to list, newest first.")
    ] = 50,
    api: ApiOption = None,
    token: TokenOption = None,
) -> None:
    """Count map errors per map, element and code, then list the newest with their reasons."""
    if api is not None:
        params: dict[str, Any] = {"limit": limit, **({"map": map_id} if map_id else {})}
        body = Remote(api, token).json("GET", "/api/map-errors", params)
        counts, rows = body["counts"], body["errors"]
    else:
        with journeymap.open(db, create=False) as jm:
            counts, rows = jm.map_error_counts(map_id), jm.map_errors(map_id, limit=limit)
    total = sum(int(c["errors"]) for c in counts)
    if not total:
        console.print("No map errors.", highlight=False)
        return
    per = Table(
        "Map", "Element", "Code", "Errors", title=f"{total:,} map errors", title_justify="left"
    )
    per.add_column("Latest (UTC)", no_wrap=True)
    for c in counts:
        per.add_row(
            escape(c["map_id"]),
            escape(c["element_id"] or ""),
            c["code"],
            f"{int(c['errors']):,}",
            _when(c["latest"]),
        )
    console.print(per)
    newest = Table("When (UTC)", "Map", "Element", "Contact", "Event", "Code", "Reason")
    for r in rows:
        newest.add_row(
            _when(r["occurred_at"]),
            escape(r["map_id"]),
            escape(r["element_id"] or ""),
            escape(r["contact_id"]),
            r["event"],
            r["code"],
            escape(r["reason"]),
        )
    console.print(newest)
