"""`journeymap store copy|init`: move a store to another engine; lay out a ClickHouse cluster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from journeymap.cli.app import app, console, err_console
from journeymap.cli.errors import friendly
from journeymap.store import open_store
from journeymap.store.clickhouse import cluster as layout
from journeymap.store.copy import BATCH_ROWS, Copied, copy_store, plan

store_app = typer.Typer(
    no_args_is_help=True, help="Copy a store to another engine; set up a ClickHouse cluster."
)
app.add_typer(store_app, name="store")


class _RowSpeed(TransferSpeedColumn):
    """Rows per second (rich's transfer speed counts bytes)."""

    def render(self, task: object) -> str:  # type: ignore[override]
        speed = getattr(task, "finished_speed", None) or getattr(task, "speed", None)
        return "" if speed is None else f"{speed:,.0f} rows/s"


@contextmanager
def _bar(rows: dict[str, int], shown: bool) -> Iterator[Progress | None]:
    """One task per table, and one for the whole store."""
    if not shown:
        yield None
        return
    bar = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RowSpeed(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
    )
    with bar:
        bar.add_task("all tables", total=sum(rows.values()))
        for table, n in rows.items():
            bar.add_task(table, total=n, visible=False)
        yield bar


@store_app.command("copy")
@friendly
def copy(
    source: Annotated[
        str,
        typer.Option(
            "--from",
            help="The store to copy: FILE.duckdb, duckdb://FILE, chdb://DIR, clickhouse://...",
            show_default=False,
        ),
    ],
    target: Annotated[
        str,
        typer.Option(
            "--to", help="A new or empty store of any engine (same forms).", show_default=False
        ),
    ],
    batch_rows: Annotated[
        int, typer.Option("--batch-rows", min=1_000, help="Rows per Arrow batch.")
    ] = BATCH_ROWS,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
    ] = True,
) -> None:
    """Copy every table of a store (facts, maps, contacts, tokens, channels, intake positions)
    into a new store, then rebuild its report summaries; a failed copy leaves the target empty."""
    with ExitStack() as stack:
        src = open_store(source, create=False)
        stack.callback(src.close)
        dst = open_store(target)
        stack.callback(dst.close)
        rows = plan(src, dst)
        with _bar(rows, progress and bool(rows)) as bar:
            tasks: dict[str, TaskID] = {}
            if bar is not None:
                tasks = {bar.tasks[i].description: bar.tasks[i].id for i in range(len(bar.tasks))}

            def advance(table: str, n: int) -> None:
                if bar is not None:
                    bar.update(tasks[table], advance=n, visible=True)
                    bar.update(tasks["all tables"], advance=n)

            done = copy_store(src, dst, batch_rows=batch_rows, progress=advance)
    _say(done, source, target)


def _say(done: Copied, source: str, target: str) -> None:
    rate = done.total / done.seconds if done.seconds else 0.0
    console.print(
        f"copied {done.total:,} rows in {len(done.rows)} tables from {source} to {target} "
        f"in {done.seconds:.1f} s ({rate:,.0f} rows/s)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for table, n in done.rows.items():
        console.print(f"  {table:<18} {n:>12,}", markup=False, highlight=False)


@store_app.command("init")
@friendly
def init(
    store: Annotated[
        str,
        typer.Option(
            "--store",
            help="The store: clickhouse://USER:PASSWORD@HOST:PORT/DATABASE (any one server of "
            "the cluster), chdb://DIR, or a DuckDB file.",
        ),
    ] = "journeymap.duckdb",
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Lay the store out on this ClickHouse cluster (as named in remote_servers).",
            show_default=False,
        ),
    ] = None,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the cluster's DDL; connect to nothing.")
    ] = False,
) -> None:
    """Make a store's tables; with --cluster, replicated tables sharded by contact id on every
    server of a ClickHouse cluster, and Distributed tables in front of them (docs/scale-out.md)."""
    if cluster is None:
        if print_only:
            raise typer.BadParameter("--print prints a cluster's DDL: give --cluster NAME")
        open_store(store).close()
        console.print(f"{store}: the store's tables are there", markup=False, highlight=False)
        return
    if print_only:
        typer.echo(";\n\n".join(layout.cluster_ddl(cluster, layout.database_of(store))) + ";")
        return
    ran = layout.apply(store, cluster, lambda head: err_console.print(head, markup=False))
    console.print(
        f"{store}: laid out on cluster {cluster} ({ran} statements)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
