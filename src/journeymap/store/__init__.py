"""The fact store: one small protocol, with DuckDB as the default engine and ClickHouse to scale."""

from collections.abc import Callable
from pathlib import Path

from journeymap.errors import JourneymapError
from journeymap.store.clickhouse import transport
from journeymap.store.clickhouse.store import ClickHouseStore
from journeymap.store.duckdb.store import DuckDBStore
from journeymap.store.facts import TABLES, FactBatch
from journeymap.store.protocol import Store


def _chdb(rest: str, create: bool) -> Store:
    if not rest:
        raise JourneymapError("chdb://: name the store's directory", code="bad_store_url")
    return ClickHouseStore(transport.chdb(rest, create=create))


def _server(scheme: str) -> Callable[[str, bool], Store]:
    return lambda rest, create: ClickHouseStore(transport.server(f"{scheme}://{rest}"))


ENGINES: dict[str, Callable[[str, bool], Store]] = {
    "duckdb": lambda rest, create: DuckDBStore(rest, create=create),
    "chdb": _chdb,
    "clickhouse": _server("clickhouse"),
    "clickhouses": _server("clickhouses"),
}
"""Store URL schemes and how each opens its store from the rest of the URL: `duckdb://FILE`
(or just FILE), `chdb://DIRECTORY` (ClickHouse in this process),
`clickhouse://USER:PASSWORD@HOST:PORT/DATABASE` (a ClickHouse server; `clickhouses` for https)."""


def open_store(where: str = "journeymap.duckdb", *, create: bool = True) -> Store:
    """Open the store a path or URL names (a DuckDB file, ':memory:', or SCHEME://...); made when
    missing unless `create` is false."""
    scheme, sep, rest = where.partition("://")
    if not sep:
        return DuckDBStore(where, create=create)
    opener = ENGINES.get(scheme)
    if opener is None:
        raise JourneymapError(
            f"{where}: no store engine {scheme!r}; stores are {', '.join(ENGINES)}",
            code="bad_store_url",
        )
    return opener(rest, create)


def local_home(where: str) -> str | None:
    """The file (DuckDB) or directory (chDB) on this machine holding the store a path or URL
    names, as the opened store gives it; None for a store kept in memory or on a server."""
    scheme, sep, rest = where.partition("://")
    if not sep or scheme == "duckdb":
        path = rest if sep else where
        return None if path == ":memory:" else path
    if scheme == "chdb" and rest:
        return str(Path(rest).resolve())
    return None


__all__ = ["ENGINES", "TABLES", "FactBatch", "Store", "local_home", "open_store"]
