"""Domain errors become a one-line message and exit code 1 instead of a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.markup import escape

from journeymap.cli.app import err_console
from journeymap.errors import JourneymapError

P = ParamSpec("P")
R = TypeVar("R")


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so a JourneymapError prints its code and message and exits 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except JourneymapError as exc:
            # escape: the message starts with "[code]", which rich would read as markup
            err_console.print(
                f"[red]error[/red] {escape(str(exc))}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(1) from None

    return wrapper
