"""How the ClickHouse store reaches ClickHouse: chDB in this process, or a server over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pyarrow as pa

from journeymap.errors import JourneymapError, NoStore

DATABASE = "journeymap"
"""The database that holds a chDB store's tables."""


class Transport(Protocol):
    """One ClickHouse connection: run a statement, read Arrow, insert Arrow."""

    where: str
    """What the store names when it says where it is (a directory or a server's address)."""

    def command(self, sql: str) -> None:
        """Run one statement that returns no rows."""

    def read(self, sql: str, params: Mapping[str, Any]) -> pa.Table:
        """Run one query with `{name:Type}` parameters bound by the server; rows as Arrow."""

    def insert(self, table: str, block: pa.Table) -> None:
        """Append an Arrow block to a table (its columns named as the table's)."""

    def close(self) -> None:
        """Release the connection."""


def param_text(value: Any) -> str:
    """A parameter value as ClickHouse parses a bound `{name:Type}` value (escaped text)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(raw, escaped)
    return text


def _literal(value: Any) -> str:
    """An element of an array parameter, as a ClickHouse literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float | Decimal):
        return param_text(value)
    text = param_text(value) if isinstance(value, datetime | date) else str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class ChdbTransport:
    """ClickHouse inside this process (chDB), its data in one directory.

    chDB runs one embedded server per process, on one directory at a time: a second store on
    another directory is refused while the first is open."""

    _lock: ClassVar[threading.RLock] = threading.RLock()
    _open: ClassVar[dict[str, int]] = {}
    """Directories with an open store in this process, and how many stores each has."""

    def __init__(self, directory: str, *, create: bool) -> None:
        import chdb  # noqa: PLC0415 - the clickhouse extra is needed only for this engine

        path = Path(directory).resolve()
        if not create and not path.is_dir():
            raise NoStore(f"chdb://{directory}")
        self.where = str(path)
        with self._lock:
            others = [d for d in self._open if d != self.where]
            if others:
                raise JourneymapError(
                    f"chdb://{self.where}: this process has chdb://{others[0]} open, and chDB "
                    "runs on one directory per process; close that store first",
                    code="store_in_use",
                )
            path.mkdir(parents=True, exist_ok=True)
            connect: Any = chdb.connect  # chDB's connect() carries no annotations
            self._con = connect(self.where)
            self._con.query(f"CREATE DATABASE IF NOT EXISTS {DATABASE}")
            self._con.query(f"USE {DATABASE}")
            self._open[self.where] = self._open.get(self.where, 0) + 1

    def command(self, sql: str) -> None:
        with self._lock:
            self._con.query(sql, "Null")

    def read(self, sql: str, params: Mapping[str, Any]) -> pa.Table:
        bound = {k: param_text(v) for k, v in params.items()}
        with self._lock:
            table: pa.Table = self._con.query(sql, "ArrowTable", params=bound)
        return table

    def insert(self, table: str, block: pa.Table) -> None:
        names = ", ".join(block.column_names)
        with self._lock:  # chDB reads `block` by its name from this frame
            self._con.query(f"INSERT INTO {table} ({names}) SELECT {names} FROM Python(block)")

    def close(self) -> None:
        with self._lock:
            self._con.close()
            left = self._open.get(self.where, 1) - 1
            if left:
                self._open[self.where] = left
            else:
                self._open.pop(self.where, None)
