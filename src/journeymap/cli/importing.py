"""`journeymap import`: load history from CSV, JSON Lines or Parquet files (docs/import.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import journeymap
from journeymap.cli.app import DEFAULT_DB, DbOption, app, console, err_console
from journeymap.cli.errors import friendly
from journeymap.errors import ImportRejected, JourneymapError
from journeymap.importer import KINDS, FileResult


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _describe(r: FileResult) -> str:
    if r.skipped:
        return f"{r.file}: skipped, imported before (sha256 {r.sha256[:12]})"
    wrote = ", ".join(f"{n:,} {table}" for table, n in r.written.items() if n) or "nothing new"
    dup = f"; {r.duplicates:,} already present" if r.duplicates else ""
    return f"{r.file}: {r.kind}, {r.rows:,} rows{dup}; wrote {wrote}"


@app.command("import")
@friendly
def import_command(
    files: Annotated[
        list[Path], typer.Argument(help="CSV, JSON Lines or Parquet files.", show_default=False)
    ],
    db: DbOption = DEFAULT_DB,
    map_id: Annotated[
        str | None, typer.Option("--map", help="Map of visits files that have no map_id column.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=f"Kind of every file, instead of telling it from the columns: {', '.join(KINDS)}.",
        ),
    ] = None,
) -> None:
    """Import history; a file with a bad row is rejected whole, a file seen before is skipped."""
    with journeymap.open(db) as jm:
        try:
            result = jm.import_files(files, map_id=map_id, progress=True, kind=kind)
        except ImportRejected as exc:
            for r in exc.imported:
                _say(_describe(r))
            if exc.imported or exc.not_read:
                err_console.print(_stopped(exc), markup=False, highlight=False, soft_wrap=True)
            raise
        except JourneymapError:
            raise
        except Exception as exc:  # the user gets one line, never a traceback
            first = str(exc).strip().split("\n", 1)[0]
            raise JourneymapError(
                f"the import stopped: {type(exc).__name__}: {first}; the file it was importing "
                "was not written (the files before it were)",
                code="import_failed",
            ) from None
    for r in result.files:
        _say(_describe(r))


def _stopped(exc: ImportRejected) -> str:
    """What became of every file when one was rejected (the error itself follows)."""
    before = ", ".join(r.file for r in exc.imported) or "none"
    line = f"{exc.file} rejected, nothing of it written; imported before it: {before}"
    if exc.not_read:
        line += f"; not read: {', '.join(exc.not_read)}"
    return line
