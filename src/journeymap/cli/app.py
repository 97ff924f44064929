"""The typer application and the options every command shares."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    no_args_is_help=True,
    help="journeymap: marketing automation with Performance Mode.",
    pretty_exceptions_enable=False,
)
map_app = typer.Typer(no_args_is_help=True, help="Add, list, show and validate automation maps.")
app.add_typer(map_app, name="map")

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        "--store",
        help="The store (created when missing): a DuckDB file, or a store URL such as "
        "chdb://DIR or clickhouse://USER:PASSWORD@HOST:8123/DATABASE.",
    ),
]
DEFAULT_DB = "journeymap.duckdb"
