"""`journeymap serve`: the HTTP API with the engine live behind it."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError

from journeymap.api import Settings
from journeymap.api.connection import LimitedHeaders
from journeymap.api.front import Front
from journeymap.cli.app import app, console
from journeymap.cli.back_process import Back
from journeymap.cli.errors import friendly

_NAMES = ", ".join(Settings.model_fields)


def settings_from(
    db: str | None, host: str | None, port: int | None, assignments: list[str]
) -> Settings:
    """Settings from the environment (JOURNEYMAP_*), overridden by the command line."""
    given: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in Settings.model_fields:
            raise typer.BadParameter(f"{item!r}: expected NAME=VALUE with NAME one of {_NAMES}")
        given[name] = value
    flags: dict[str, object] = {"db": db, "host": host, "port": port}
    given.update({name: value for name, value in flags.items() if value is not None})
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise typer.BadParameter(problems) from None


def _exit(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@app.command("serve")
@friendly
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            "--store",
            help="The store: a DuckDB file, or a store URL such as chdb://DIR.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default 127.0.0.1).", show_default=False)
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default 8000).", show_default=False)
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option("--set", help=f"NAME=VALUE for any setting: {_NAMES}.", show_default=False),
    ] = None,
) -> None:
    """Run the HTTP API (see docs/api.md); settings also come from JOURNEYMAP_* variables."""
    settings = settings_from(db, host, port, assignments or [])
    # uvicorn shuts down gracefully on SIGTERM, then raises it again: exit cleanly instead, so
    # the back below is stopped
    signal.signal(signal.SIGTERM, _exit)
    with Back.started(settings) as back:
        console.print(
            f"journeymap serving {settings.db} on http://{settings.host}:{settings.port}",
            highlight=False,
        )
        front = Front(settings, back.log_path, back.socket_path)
        uvicorn.run(
            front,
            host=settings.host,
            port=settings.port,
            access_log=settings.access_log,
            http=LimitedHeaders.configured(
                settings.header_timeout_seconds, settings.max_header_bytes
            ),
            timeout_keep_alive=settings.keep_alive_seconds,
        )
