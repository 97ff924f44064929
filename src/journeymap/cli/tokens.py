"""`journeymap token create`: make an API token; only its hash is stored."""

from __future__ import annotations

from typing import Annotated

import typer

import journeymap
from journeymap.api.tokens import Scope, create_token
from journeymap.cli.app import DEFAULT_DB, DbOption, app, err_console
from journeymap.cli.errors import friendly

token_app = typer.Typer(no_args_is_help=True, help="Make API tokens.")
app.add_typer(token_app, name="token")


@token_app.command("create")
@friendly
def create(
    scope: Annotated[Scope, typer.Option("--scope", help="read, or write (which also reads).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Make a token and print it; it is shown once and stored only as a hash."""
    with journeymap.open(db) as jm:
        token = create_token(jm.store, jm.clock, scope)
    typer.echo(token)
    err_console.print(f"A {scope.value} token; keep it, it is not shown again.", highlight=False)
