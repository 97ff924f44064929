"""`journeymap simulate`: seeded contacts drive the real engine over simulated days."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

import journeymap
from journeymap.cli.app import DEFAULT_DB, DbOption, app, console
from journeymap.cli.errors import friendly
from journeymap.clock import ManualClock, SystemClock
from journeymap.errors import NotFound
from journeymap.model.map import AutomationMap
from journeymap.sim import Progress as SimProgress
from journeymap.sim import SimResult, Simulation

ContactsOption = Annotated[int, typer.Option("--contacts", min=0, help="Contacts to simulate.")]
DaysOption = Annotated[int, typer.Option("--days", min=1, help="Days the simulation covers.")]
SeedOption = Annotated[
    int, typer.Option("--seed", help="Seed: the same seed gives the same facts.")
]
StartOption = Annotated[
    datetime | None,
    typer.Option(
        "--start",
        formats=["%Y-%m-%d"],
        help="First simulated day (UTC); default: DAYS days before today.",
        show_default=False,
    ),
]


def start_of(start: datetime | None, days: int) -> datetime:
    """The simulated start: the given day, or midnight UTC `days` days before today."""
    if start is not None:
        return start.replace(tzinfo=UTC)
    today: date = SystemClock().now().date()
    return datetime.combine(today - timedelta(days=days), time(0), tzinfo=UTC)


def run_simulation(
    jm: journeymap.Journeymap,
    clock: ManualClock,
    maps: Sequence[AutomationMap],
    *,
    contacts: int,
    days: int,
    seed: int,
    start: datetime,
) -> SimResult:
    """Simulate with a progress bar; every fact goes through the engine of `jm`."""
    with _bar(contacts, days) as bar:
        task = bar.task_ids[0]

        def show(p: SimProgress) -> None:
            bar.update(task, completed=int(p.day), contacts=p.contacts)

        sim = Simulation(
            jm.engine,
            clock,
            maps,
            contacts=contacts,
            days=days,
            seed=seed,
            start=start,
            prefix=f"s{seed}-",
            progress=show,
        )
        return sim.run()


@contextmanager
def _bar(contacts: int, days: int) -> Iterator[Progress]:
    bar = Progress(
        TextColumn("[bold]simulating"),
        BarColumn(),
        TextColumn("day {task.completed:>3.0f}/{task.total:.0f}"),
        TextColumn("{task.fields[contacts]:,}/{task.fields[everyone]:,} contacts"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,  # gone once done: the printed result is the same however long it took
    )
    with bar:
        bar.add_task("simulate", total=days, contacts=0, everyone=contacts)
        yield bar


def print_result(result: SimResult) -> None:
    """What the simulation did, as a small table."""
    table = Table(title="Simulation", show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = (
        ("contacts", result.contacts),
        ("events applied", result.events),
        ("anonymous page visits", result.anonymous_visits),
        ("emails sent", result.emails_sent),
        ("scheduler ticks", result.ticks),
    )
    for name, value in rows:
        table.add_row(name, f"{value:,}")
    table.add_row("simulated up to", result.end.isoformat())
    console.print(table)


@app.command("simulate")
@friendly
def simulate(
    db: DbOption = DEFAULT_DB,
    map_ids: Annotated[
        list[str] | None,
        typer.Option("--map", help="Map to aim contacts at (repeatable); default: every map."),
    ] = None,
    contacts: ContactsOption = 1000,
    days: DaysOption = 30,
    seed: SeedOption = 7,
    start: StartOption = None,
) -> None:
    """Simulate contacts arriving, browsing, converting and buying, through the real engine."""
    begin = start_of(start, days)
    clock = ManualClock(begin)
    with journeymap.open(db, clock=clock) as jm:
        maps = [jm.map(m) for m in map_ids] if map_ids else jm.engine.registry.latest()
        if not maps:
            raise NotFound(f"no maps in {db!r}; add one with `journeymap map add`")
        result = run_simulation(
            jm, clock, maps, contacts=contacts, days=days, seed=seed, start=begin
        )
    print_result(result)
