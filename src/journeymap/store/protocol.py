"""The store protocol: append facts, run a named query with bound parameters."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Protocol

from journeymap.store.facts import FactBatch


class Store(Protocol):
    """What every store engine provides; nothing outside store/ depends on a given engine."""

    engine: ClassVar[str]

    def append(self, batch: FactBatch) -> None:
        """Write every row of the batch in one transaction: all of it, or none."""

    def append_columns(self, table: str, columns: Mapping[str, Any]) -> None:
        """Append a columnar block (Arrow table or dict of arrays) to one table, for bulk loads."""

    def transaction(self) -> AbstractContextManager[None]:
        """Group appends: they all land when the block ends, or none does if it raises."""

    def snapshot(self) -> AbstractContextManager[None]:
        """Read in one snapshot: the block's queries see one committed state, never waiting for
        a writer."""

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run the named query of this engine with bound parameters; rows as dicts."""

    def scalar(self, name: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row of a named query, or None."""

    def query_arrow(self, name: str, params: Mapping[str, Any] | None = None) -> Any:
        """The named query's result as an Arrow table, for large results."""

    def stage(self, table: str, block: Any) -> None:
        """Append an Arrow block to an `import_*` staging table (working space, never facts)."""

    def rebuild_summaries(self) -> None:
        """Recompute every report summary from the facts, in one transaction."""

    def close(self) -> None:
        """Release the store."""
