"""The fact store: one small protocol, with DuckDB as the default engine."""

from journeymap.store.duckdb.store import DuckDBStore
from journeymap.store.facts import TABLES, FactBatch
from journeymap.store.protocol import Store


def open_store(path: str = "journeymap.duckdb") -> Store:
    """Open (creating when missing) the store at a path; ':memory:' for a throwaway one."""
    return DuckDBStore(path)


__all__ = ["TABLES", "FactBatch", "Store", "open_store"]
