"""`journeymap token create|list|revoke`: API tokens; only their hashes are stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

import typer
from pydantic import TypeAdapter, ValidationError
from rich.markup import escape
from rich.table import Table

import journeymap
from journeymap.api.tokens import Scope, Token, create_token, list_tokens, revoke_token
from journeymap.cli.app import DEFAULT_DB, DbOption, app, console, err_console
from journeymap.cli.errors import friendly
from journeymap.cli.remote import ApiOption, Remote, TokenOption
from journeymap.clock import SystemClock

token_app = typer.Typer(no_args_is_help=True, help="Make, list and revoke API tokens.")
app.add_typer(token_app, name="token")

_DURATION: TypeAdapter[timedelta] = TypeAdapter(timedelta)


def _expiry(expires_in: str | None, expires_at: datetime | None) -> datetime | timedelta | None:
    """The time given, or the span given (counted from when the token is made)."""
    if expires_in is not None and expires_at is not None:
        raise typer.BadParameter("give --expires-in or --expires-at, not both")
    if expires_at is not None:
        return expires_at
    if expires_in is None:
        return None
    try:
        span = _DURATION.validate_python(expires_in)
    except ValidationError:
        raise typer.BadParameter(
            f"--expires-in {expires_in!r} is not an ISO 8601 duration such as P30D or PT12H"
        ) from None
    return span


@token_app.command("create")
@friendly
def create(
    scope: Annotated[Scope, typer.Option("--scope", help="read, or write (which also reads).")],
    name: Annotated[
        str | None, typer.Option("--name", help="What the token is for.", show_default=False)
    ] = None,
    expires_in: Annotated[
        str | None,
        typer.Option(
            "--expires-in", help="Stops working after this long: P30D, PT12H.", show_default=False
        ),
    ] = None,
    expires_at: Annotated[
        datetime | None,
        typer.Option(
            "--expires-at",
            help="Stops working at this time (UTC unless a zone is given).",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"],
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Make a token and print it; it is shown once and stored only as a hash."""
    given = _expiry(expires_in, expires_at)
    with journeymap.open(db) as jm:
        expiry = jm.clock.now() + given if isinstance(given, timedelta) else given
        token = create_token(jm.store, jm.clock, scope, name=name, expires_at=expiry)
    typer.echo(token)
    until = f", until {_minute(expiry)}" if expiry is not None else ""
    err_console.print(
        f"A {scope.value} token{until}; keep it, it is not shown again.", highlight=False
    )


@token_app.command("list")
@friendly
def list_command(
    db: DbOption = DEFAULT_DB, api: ApiOption = None, token: TokenOption = None
) -> None:
    """Every token: its id, scope, name, when it was made, when it expires, its status."""
    if api is not None:
        found = Remote(api, token).json("GET", "/api/tokens")
        tokens = [
            Token.model_validate({k: v for k, v in t.items() if k != "status"}) for t in found
        ]
    else:
        with journeymap.open(db, create=False) as jm:
            tokens = list_tokens(jm.store)
    print_tokens(tokens, SystemClock().now())


def _token(answer: dict[str, Any]) -> Token:
    """A token as the API lists it (its status is worked out again here)."""
    return Token.model_validate({k: v for k, v in answer.items() if k != "status"})


def _minute(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def print_tokens(tokens: list[Token], now: datetime) -> None:
    """Tokens as a table."""
    table = Table("id", "scope", "name", "created", "expires", "status")
    for t in tokens:
        table.add_row(
            t.token_id,
            t.scope.value,
            escape(t.name or ""),
            _minute(t.created_at),
            _minute(t.expires_at) if t.expires_at else "never",
            t.status_at(now),
        )
    console.print(table)


@token_app.command("revoke")
@friendly
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (token list).")],
    db: DbOption = DEFAULT_DB,
    api: ApiOption = None,
    token: TokenOption = None,
) -> None:
    """Revoke a token: it, and every page session signed in with it, stop working at once."""
    if api is not None:  # the running server forgets it for the very next request
        answer = Remote(api, token).json("POST", f"/api/tokens/{quote(token_id, safe='')}/revoke")
        revoked = _token(answer)
    else:
        with journeymap.open(db, create=False) as jm:
            revoked = revoke_token(jm.store, jm.clock, token_id)
    when = revoked.revoked_at.isoformat(timespec="seconds") if revoked.revoked_at else ""
    console.print(f"Token {revoked.token_id} is revoked (since {when}).", highlight=False)
