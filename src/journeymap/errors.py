"""Domain errors: each carries a stable code and a message naming the element, row or field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: errors import nothing of ours at run time
    from journeymap.importer.result import FileResult


class JourneymapError(Exception):
    """Base of every error journeymap raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable code, the element or connector it concerns, and why."""

    code: str
    message: str
    element_id: str | None = None
    connector_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class MapInvalid(JourneymapError):
    """A map broke one or more validation rules; it is never stored."""

    code = "map_invalid"

    def __init__(self, map_id: str, problems: list[Problem]) -> None:
        self.map_id = map_id
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"map {map_id!r} is invalid:\n{lines}")


class NotFound(JourneymapError):
    """A map, element, contact or report that does not exist."""

    code = "not_found"


class ImportRejected(JourneymapError):
    """An import file with a bad row; nothing of it was written."""

    code = "import_rejected"

    def __init__(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = reason
        self.imported: tuple[FileResult, ...] = ()
        """The files of the same call handled before this one (imported, or skipped as seen)."""
        self.not_read: tuple[str, ...] = ()
        """The files of the same call after this one, which were not read."""
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")


class EventRejected(JourneymapError):
    """An event that cannot be applied; names the field."""

    code = "event_rejected"


class StoreInUse(JourneymapError):
    """Another process has the store open; names it, and what to do."""

    code = "store_in_use"

    def __init__(self, path: str, pid: int | None, command: str | None) -> None:
        self.path = path
        self.pid = pid
        self.command = command
        who = f"process {pid}" if pid is not None else "another process"
        if command:
            who += f" ({command})"
        super().__init__(
            f"the store {path} is in use by {who}; stop it first, or ask the running server: "
            "read commands take --api http://127.0.0.1:8000 --token TOKEN"
        )


class NoStore(JourneymapError):
    """A command that reads a store was pointed at a path where there is none."""

    code = "no_store"

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no store at {path}")
