"""`journeymap dead-letters`: accepted events the engine refused when applying them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

import journeymap
from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly


@app.command("dead-letters")
@friendly
def dead_letters(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, help="How many to show, newest first.")] = 50,
) -> None:
    """List the events the engine refused after intake accepted them, with the reason."""
    with journeymap.open(db) as jm:
        rows = jm.store.query("intake_dead_letters", {"limit": limit, "offset": 0})
        total = int(jm.store.scalar("intake_dead_letter_count") or 0)
    table = Table(title=f"{total:,} dead letters", title_justify="left")
    for name in ("log position", "event", "kind", "contact", "reason", "kept at"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            f"{r['pos']:,}",
            str(r["event_index"]),
            r["kind"],
            r["contact_id"] or "",
            r["reason"],
            r["occurred_at"].isoformat(timespec="seconds"),
        )
    console.print(table)
