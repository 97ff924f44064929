"""The fact store: one small protocol, with DuckDB as the default engine."""

from journeymap.store.duckdb.store import DuckDBStore
from journeymap.store.facts import TABLES, FactBatch
from journeymap.store.protocol import Store


def open_store(path: str = "journeymap.duckdb", *, create: bool = True) -> Store:
    """Open the store at a path (or ':memory:'); made when missing unless `create` is false."""
    return DuckDBStore(path, create=create)


__all__ = ["TABLES", "FactBatch", "Store", "open_store"]
