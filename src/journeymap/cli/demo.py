"""`journeymap demo`: a fresh store with the prebuilt maps and a year of simulated contacts."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.table import Table

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.live import intake_path
from journeymap.api.tokens import Scope, create_token
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
from journeymap.engine.statestore import StateStore
from journeymap.errors import JourneymapError
from journeymap.model.map import AutomationMap
from journeymap.sim.spend import plan_spend
from journeymap.store import local_home

DEMO_TEMPLATES: tuple[str, ...] = ("lifetime-value", "lifecycle")
"""The prebuilt maps the demo store holds; simulated contacts are shared out between them."""


def build_demo(
    db: str, *, contacts: int, days: int, seed: int, start: datetime | None
) -> list[str]:
    """Replace `db` with a fresh store holding the demo maps and simulated facts; the map ids."""
    discard(db)
    begin = start_of(start, days)
    clock = ManualClock(begin)
    with journeymap.open(db, clock=clock) as jm:
        maps = [jm.add_template(name) for name in DEMO_TEMPLATES]
        result = run_simulation(
            jm, clock, maps, contacts=contacts, days=days, seed=seed, start=begin
        )
        for cost in plan_spend(contacts=contacts, days=days, start=begin, seed=seed):
            jm.add_marketing_cost(
                cost.utm_field, cost.utm_value, cost.period_start, cost.period_end, cost.amount
            )
        print_result(result)
        for m in maps:
            console.print(map_table(jm, m))
    return [m.id for m in maps]


def discard(db: str) -> None:
    """Delete the local store `db` names with the files kept beside it (DuckDB's WAL, the engine
    state, the intake log); a store on a server is refused rather than emptied."""
    home = local_home(db)
    if home is None:
        if "://" in db:
            raise JourneymapError(
                f"{db.partition('://')[0]}://: a store on a server; the demo replaces its store "
                "whole, so it builds one on this machine: give a DuckDB file or chdb://DIRECTORY "
                "(`journeymap simulate` adds to any store)",
                code="demo_needs_local_store",
            )
        return  # a store in memory starts empty
    if Path(home).is_dir():
        shutil.rmtree(home)
    beside = [f"{home}.wal"]
    for sqlite_file in (StateStore.path_beside(home), intake_path(home, None)):
        beside += [sqlite_file, f"{sqlite_file}-wal", f"{sqlite_file}-shm"]
    for path in (home, *beside):
        Path(path).unlink(missing_ok=True)


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
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Then serve Performance Mode on it.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port of the page (on 127.0.0.1).")] = 8000,
) -> None:
    """Build a demo store from scratch: both prebuilt maps and a year of simulated contacts."""
    build_demo(db, contacts=contacts, days=days, seed=seed, start=start)
    if serve:
        serve_demo(db, port)


def serve_demo(db: str, port: int) -> None:
    """Make a token, print the page's address with it, and serve the page until Ctrl-C."""
    settings = Settings(db=db, host="127.0.0.1", port=port)
    with journeymap.open(db) as jm:
        token = create_token(jm.store, jm.clock, Scope.write)
        console.print(
            f"\nPerformance Mode: open {settings.base_url()} and sign in with this token:\n"
            f"  {token}\n(Ctrl-C stops the server.)",
            highlight=False,
            soft_wrap=True,
        )
        uvicorn.run(create_app(jm, settings), host=settings.host, port=port, log_level="warning")
