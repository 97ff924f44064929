"""`journeymap demo`: a fresh store with the prebuilt maps and a year of simulated contacts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.table import Table

import journeymap
from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly
from journeymap.cli.simulate import (
    ContactsOption,
    DaysOption,
    SeedOption,
    StartOption,
    print_result,
    run_simulation,
    start_of,
)
from journeymap.clock import ManualClock
from journeymap.model.map import AutomationMap

DEMO_TEMPLATES: tuple[str, ...] = ("lifetime-value", "lifecycle")
"""The prebuilt maps the demo store holds; simulated contacts are shared out between them."""


def build_demo(
    db: str, *, contacts: int, days: int, seed: int, start: datetime | None
) -> list[str]:
    """Replace `db` with a fresh store holding the demo maps and simulated facts; the map ids."""
    for stale in (Path(db), Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    begin = start_of(start, days)
    clock = ManualClock(begin)
    with journeymap.open(db, clock=clock) as jm:
        maps = [jm.add_template(name) for name in DEMO_TEMPLATES]
        result = run_simulation(
            jm, clock, maps, contacts=contacts, days=days, seed=seed, start=begin
        )
        print_result(result)
        for m in maps:
            console.print(map_table(jm, m))
    return [m.id for m in maps]


def map_table(jm: journeymap.Journeymap, m: AutomationMap) -> Table:
    """Every element of a map with the contacts there now and the contacts who were there."""
    counts = {r["element_id"]: r for r in jm.store.query("here_now_by_element", {"map_id": m.id})}
    table = Table(title=f"{m.name or m.id} ({m.id})")
    table.add_column("element")
    table.add_column("name")
    table.add_column("kind")
    table.add_column("here now", justify="right")
    table.add_column("were here", justify="right")
    for e in m.elements:
        row = counts.get(e.id, {})
        here, were = int(row.get("here_now", 0)), int(row.get("were_here", 0))
        table.add_row(e.id, e.name, e.kind, f"{here:,}", f"{were:,}")
    return table


@app.command("demo")
@friendly
def demo(
    db: DbOption = DEFAULT_DB,
    contacts: ContactsOption = 20_000,
    days: DaysOption = 365,
    seed: SeedOption = 7,
    start: StartOption = None,
) -> None:
    """Build a demo store from scratch: both prebuilt maps and a year of simulated contacts."""
    build_demo(db, contacts=contacts, days=days, seed=seed, start=start)
