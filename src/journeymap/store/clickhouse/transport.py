"""How the ClickHouse store reaches ClickHouse: chDB in this process, or a server over HTTP.

Both go through a clickhouse-connect client (its `chdb` and `http` interfaces), so the SQL, the
bound parameters and the Arrow blocks take one path; only how the client is made differs."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, Protocol
from urllib.parse import unquote, urlsplit

import pyarrow as pa

from journeymap.errors import JourneymapError, NoStore

DATABASE = "journeymap"
"""The database that holds a store's tables when its URL names none."""

PASSWORD_ENV = "JOURNEYMAP_CLICKHOUSE_PASSWORD"  # noqa: S105 - a variable name, no secret
"""The server's password when the store URL carries none."""


class Transport(Protocol):
    """One ClickHouse connection: run a statement, read Arrow, insert Arrow."""

    where: str
    """What the store names when it says where it is (a directory or a server's address)."""

    home: str | None
    """The directory the data is in on this machine (chDB); None for a server."""

    exclusive: bool
    """Whether only this process writes the data (chDB holds its directory: another process
    cannot open it), so what this process has not written since a read is unchanged."""

    def command(self, sql: str) -> None:
        """Run one statement that returns no rows."""

    def read(self, sql: str, params: Mapping[str, Any]) -> pa.Table:
        """Run one query with `{name:Type}` parameters bound by ClickHouse; rows as Arrow."""

    def insert(self, table: str, block: pa.Table) -> None:
        """Append an Arrow block to a table (its columns named as the table's)."""

    def stream(self, sql: str, rows: int) -> Iterator[pa.RecordBatch]:
        """Run one query and yield its rows as Arrow batches of about `rows` rows, for results
        too large to hold at once."""

    def close(self) -> None:
        """Release the connection."""


class ClientTransport:
    """ClickHouse through a clickhouse-connect client, one call at a time."""

    def __init__(
        self,
        client: Any,
        where: str,
        home: str | None = None,
        release: Callable[[], None] | None = None,
        *,
        exclusive: bool = False,
    ) -> None:
        self._client = client
        self.where = where
        self.home = home
        self.exclusive = exclusive
        self._release = release
        self._lock = threading.RLock()

    def command(self, sql: str) -> None:
        with self._lock:
            self._client.command(sql)

    def read(self, sql: str, params: Mapping[str, Any]) -> pa.Table:
        with self._lock:
            table: pa.Table = self._client.query_arrow(sql, parameters=dict(params))
        return table

    def insert(self, table: str, block: pa.Table) -> None:
        with self._lock:
            self._client.insert_arrow(table, block)

    def stream(self, sql: str, rows: int) -> Iterator[pa.RecordBatch]:
        with (
            self._lock,
            self._client.query_arrow_stream(sql, settings={"max_block_size": rows}) as batches,
        ):
            yield from batches

    def close(self) -> None:
        with self._lock:
            self._client.close()
            if self._release is not None:
                self._release()


def _client(database: str, **kwargs: Any) -> Any:
    """A client on `database`, made first if missing."""
    import clickhouse_connect  # noqa: PLC0415 - the clickhouse extra is needed only here

    plain = clickhouse_connect.get_client(**kwargs)
    try:
        plain.command(f"CREATE DATABASE IF NOT EXISTS `{database}`")
        # made before the first is closed: chDB stops its engine when its last client closes
        return clickhouse_connect.get_client(database=database, **kwargs)
    finally:
        plain.close()


class _ChdbDirectories:
    """chDB runs one embedded ClickHouse per process, on one directory at a time."""

    lock: ClassVar[threading.Lock] = threading.Lock()
    open: ClassVar[dict[str, int]] = {}
    """Directories with an open store in this process, and how many stores each has."""

    @classmethod
    def take(cls, directory: str) -> None:
        with cls.lock:
            others = [d for d in cls.open if d != directory]
            if others:
                raise JourneymapError(
                    f"chdb://{directory}: this process has chdb://{others[0]} open, and chDB "
                    "runs on one directory per process; close that store first",
                    code="store_in_use",
                )
            cls.open[directory] = cls.open.get(directory, 0) + 1

    @classmethod
    def give_back(cls, directory: str) -> None:
        with cls.lock:
            left = cls.open.get(directory, 1) - 1
            if left:
                cls.open[directory] = left
            else:
                cls.open.pop(directory, None)


def chdb(directory: str, *, create: bool) -> ClientTransport:
    """ClickHouse inside this process (chDB), its data in `directory`."""
    path = Path(directory).resolve()
    if not create and not path.is_dir():
        raise NoStore(f"chdb://{directory}")
    where = str(path)
    _ChdbDirectories.take(where)
    try:
        path.mkdir(parents=True, exist_ok=True)
        client = _client(DATABASE, dsn=f"chdb://{where}")
    except BaseException:
        _ChdbDirectories.give_back(where)
        raise
    return ClientTransport(
        client, where, where, lambda: _ChdbDirectories.give_back(where), exclusive=True
    )


def server(url: str) -> ClientTransport:
    """A ClickHouse server over HTTP: clickhouse://USER:PASSWORD@HOST:PORT/DATABASE (https with
    clickhouses://); the password may come from $JOURNEYMAP_CLICKHOUSE_PASSWORD instead."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise JourneymapError(f"{url}: name the server's host", code="bad_store_url")
    database = parts.path.strip("/") or DATABASE
    secure = parts.scheme == "clickhouses"
    port = parts.port or (8443 if secure else 8123)
    shown = f"{parts.scheme}://{parts.hostname}:{port}"
    from clickhouse_connect.driver.exceptions import ClickHouseError  # noqa: PLC0415 - the extra

    try:
        client = _client(
            database,
            host=parts.hostname,
            port=port,
            username=unquote(parts.username or "default"),
            password=unquote(parts.password or os.environ.get(PASSWORD_ENV, "")),
            secure=secure,
        )
    except ClickHouseError as exc:
        # unreachable, refused credentials, or a server too old for the client's first queries
        raise JourneymapError(
            f"{shown}: cannot open the ClickHouse store: {_first_line(exc)}",
            code="store_unreachable",
        ) from None
    return ClientTransport(client, f"{shown}/{database}")


def _first_line(exc: BaseException) -> str:
    """The client's own message, without the retry and traceback noise after its first line."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
