"""The store protocol: append facts, run a named query with bound parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from journeymap.store.facts import FactBatch

STAYS_ONLY = "transitions:stays"
"""The `table` of `fold_query` that folds transitions into the stays summary alone: a history
import builds the other summaries of the members it makes in a pass of its own."""


class FileUnreadable(Exception):
    """The store's reader could not read an import file; the message is the reader's."""


@dataclass(frozen=True)
class StagedColumn:
    """A column of an import kind as staged: its type, and which raw column holds it (if any)."""

    name: str
    type: str
    """id, text, time, date, number or tags (importer.kinds)."""
    source: int | None
    """Position of the file's column holding it; None when the file has no such column."""
    required: bool = False


@dataclass(frozen=True)
class StagingLimits:
    """Bounds an imported value must keep."""

    id: int
    """Most characters of an id."""
    text: int
    """Most characters of a text value."""
    name: int
    """Most characters of a tag."""
    number: float
    """Numbers must be smaller than this in magnitude."""
    years: tuple[int, int]
    """First and last year a time or date may fall in."""


class Store(Protocol):
    """What every store engine provides; nothing outside store/ depends on a given engine."""

    engine: ClassVar[str]
    tables: ClassVar[frozenset[str]]
    """The tables of facts.TABLES this engine keeps."""
    bulk_atomic: ClassVar[bool]
    """Whether one transaction can hold a whole store's copy (else a failed copy is undone by
    truncating what it wrote)."""
    path: str
    """Where the store is: a file, a directory or a server's address."""

    home: str | None
    """The file or directory the store is kept in on this machine, which the files that go with
    it (the intake log, the session key) are named after; None when it has none (a store in
    memory, or on a server)."""

    def append(self, batch: FactBatch) -> None:
        """Write every row of the batch in one transaction: all of it, or none."""

    def append_columns(self, table: str, columns: Mapping[str, Any], *, fold: bool = True) -> None:
        """Append a columnar block (Arrow table or dict of arrays) to one table, for bulk loads;
        without `fold` the report summaries are left for the caller to bring up to date."""

    def transaction(self) -> AbstractContextManager[None]:
        """Group appends: they all land when the block ends, or none does if it raises."""

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Call `fn` once the current transaction commits (never if it rolls back), or at once
        outside a transaction."""

    def snapshot(self) -> AbstractContextManager[None]:
        """Read in one snapshot: the block's queries see one committed state, never waiting for
        a writer."""

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run the named query of this engine with bound parameters; rows as dicts."""

    def stream(
        self, name: str, params: Mapping[str, Any] | None = None, *, block: int = 65_536
    ) -> Iterator[dict[str, Any]]:
        """The named query's rows one by one, fetched in blocks, for results too large to hold."""

    def scalar(self, name: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row of a named query, or None."""

    def query_arrow(self, name: str, params: Mapping[str, Any] | None = None) -> Any:
        """The named query's result as an Arrow table, for large results."""

    def exclusive(self) -> AbstractContextManager[None]:
        """Run the block's queries on the connection that writes, outside a transaction unless
        one is opened in it, so they share its temporary working tables (an import's staging)."""

    def rebuild_summaries(self) -> None:
        """Recompute every report summary from the facts, in one transaction."""

    def row_counts(self) -> dict[str, int]:
        """How many rows each table of `tables` holds (one per key in an upsert table)."""

    def read_table(self, table: str, rows: int) -> Iterator[Any]:
        """Every row of a table, columns in TABLES order, in the order written, as Arrow record
        batches of at most about `rows` rows: for copying a store whole."""

    def truncate(self, table: str) -> None:
        """Remove every row of a table: a failed copy's undo on a target it found empty."""

    def staging(self) -> Staging | None:
        """This store as the place an import file is staged, checked and shaped in; None for an
        engine whose imports are staged in a DuckDB in memory and their new rows handed to it."""

    def read_keyed(self, tables: Sequence[str], column: str | None, keys: Any) -> dict[str, Any]:
        """Per table, as an Arrow table in TABLES order, its rows whose `column` is one of `keys`
        (a list or Arrow array of text; every row when `column` is None), the latest of each key
        in a table keyed for upserts."""

    def remove(self, table: str, columns: Sequence[str], block: Any) -> None:
        """Remove every row of a table equal on `columns` to a row of the Arrow block (NULL equal
        to NULL): a failed import's undo on an engine without transactions across tables."""

    def close(self) -> None:
        """Release the store."""


class Staging(Store, Protocol):
    """A store that stages import files itself, in working tables beside its facts."""

    def stage(self, table: str, block: Any) -> None:
        """Append an Arrow block to an `import_*` staging table (working space, never facts)."""

    def stage_file(self, path: str, fmt: str, names: Sequence[str] | None) -> list[str]:
        """Read an import file (csv, jsonl or parquet) whole into the raw staging table; returns
        its column names (`names`, or a JSON Lines file's keys when None). Raises FileUnreadable."""

    def stage_types(
        self,
        columns: Sequence[StagedColumn],
        fields: Sequence[tuple[str, int]],
        limits: StagingLimits,
    ) -> None:
        """Type the raw staged rows for the `import_*` queries: each column converted, extra
        columns (`fields`: name and position) as one JSON object of text, and per row the first
        value that does not convert, the first required column left empty, any row problem."""

    def append_query(
        self,
        table: str,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        fold: bool = True,
        new_keys: bool = False,
    ) -> int:
        """Append the rows of a named query to a fact table in one statement; with `fold`, fold
        them into the report summaries in one pass; with `new_keys`, the rows of a table keyed
        for upserts are known not to be there yet. Returns how many rows were appended."""

    def fold_query(self, table: str, name: str, params: Mapping[str, Any] | None = None) -> None:
        """Fold rows already appended to `table` (those a named query selects) into the report
        summaries in one pass, as an append would have."""
