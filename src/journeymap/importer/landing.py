"""Where an import file is staged and how its facts land in the store: in the store itself, in
one transaction (DuckDB), or staged in a DuckDB in memory and handed over (ClickHouse)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import pyarrow as pa

from journeymap.importer.kinds import Kind
from journeymap.store import open_store
from journeymap.store.facts import TABLES, UPSERT_KEYS
from journeymap.store.protocol import Staging, Store

BY_CONTACT: tuple[str, ...] = (
    "contacts",
    "entries",
    "transitions",
    "achievements",
    "purchases",
    "email_events",
)
"""Tables an import reads of the contacts its file names, copied into the DuckDB in memory."""

WRITTEN: tuple[str, ...] = (*BY_CONTACT, "page_visits", "marketing_costs", "imports")
"""Tables an import writes, in the order they are handed over: the file's hash last, so a file
is recorded as imported only once all of its facts are in."""

IDENTITY: dict[str, tuple[str, ...]] = {
    "entries": ("entry_id",),
    "transitions": ("seq",),
    "achievements": ("seq",),
} | UPSERT_KEYS
"""Columns that tell a row from the others (every column where none does): what an undo removes."""

HANDOVER_ROWS = 1_000_000
"""Rows per insert when the new rows are handed over."""


class Landing(Protocol):
    """Where an import file is staged, checked and shaped (`work`), and how its facts land."""

    work: Staging

    def typed(self, kind: Kind) -> None:
        """The file's rows are typed in `work`: ready it for the checks."""

    def base_seq(self) -> int:
        """The largest sequence number in the store: imported moves continue after it."""

    def writing(self) -> AbstractContextManager[None]:
        """The facts the block writes to `work` land in the store all together or not at all."""

    def close(self) -> None:
        """Release the working space."""


class Direct:
    """A store that stages imports itself: the facts land in one transaction."""

    def __init__(self, store: Staging) -> None:
        self.work = store

    def typed(self, kind: Kind) -> None:
        """The store's own facts are beside the staged rows."""

    def base_seq(self) -> int:
        return int(self.work.scalar("max_seq") or 0)

    def writing(self) -> AbstractContextManager[None]:
        return self.work.transaction()

    def close(self) -> None:
        """Nothing to release: the runner clears the staging tables."""


class Mirrored:
    """A store without transactions across tables (ClickHouse): the file is staged and checked
    in a DuckDB in memory holding a copy of what the store has of the file's contacts (and its
    maps and, for a marketing costs file, its costs), so every import query runs there as on a
    DuckDB store; the rows the import adds there are then inserted into the store, table by
    table, the file's hash last. If an insert fails, what was inserted is removed again and the
    rows the removal took with it (equal ones the store held before) are put back."""

    def __init__(self, target: Store) -> None:
        self.target = target
        work = open_store(":memory:").staging()
        if work is None:  # never: the default engine stages its imports
            raise RuntimeError("the store in memory cannot stage an import")
        self.work = work
        self.kept: dict[str, pa.Table] = {}
        """What the store held of each copied table before the import."""
        self.before: dict[str, int] = {}
        self._copy(("maps",), None, ())

    def _copy(self, tables: tuple[str, ...], column: str | None, keys: Any) -> None:
        """Copy rows of the store into `work`, folded into its summaries, which the import's
        own writes there bring up to date as on a DuckDB store."""
        for table, block in self.target.read_keyed(tables, column, keys).items():
            if block.num_rows:
                self.kept[table] = block
                self.work.append_columns(table, block)

    def typed(self, kind: Kind) -> None:
        if "contact_id" in kind.names:
            contacts = self.work.query_arrow("import_typed_contacts")["k"]
            self._copy(BY_CONTACT, "contact_id", contacts)
        if "visitor_id" in kind.names:
            visitors = self.work.query_arrow("import_typed_visitors")["k"]
            self._copy(("page_visits",), "visitor_id", visitors)
        if kind.name == "marketing_costs":
            self._copy(("marketing_costs",), None, ())
        self.before = self.work.row_counts()

    def base_seq(self) -> int:
        return int(self.target.scalar("max_seq") or 0)

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.work.transaction():
            yield
        sent: list[str] = []
        try:
            for table in WRITTEN:
                if table == "imports":  # the facts are in: the engine's next start reads them
                    self._mark_stale()
                for block in self._added(table):
                    if not sent or sent[-1] != table:
                        sent.append(table)
                    self.target.append_columns(table, block, fold=False)
        except BaseException:
            for table in reversed(sent):
                self._undo(table)
            raise

    def _mark_stale(self) -> None:
        """Move the engine's flush mark on, so that its next start (right after the import, or
        after a crash before that) rebuilds its state file from the facts: this store keeps no
        list of the contacts an import wrote."""
        mark = self.target.scalar("engine_mark")
        if mark is not None:  # else the engine has never flushed: it reads the facts anyway
            block = pa.table({"k": ["flush"], "v": pa.array([int(mark) + 1], pa.int64())})
            self.target.append_columns("engine_marks", block, fold=False)

    def _added(self, table: str) -> Iterator[pa.Table]:
        """The rows the import added to a table of `work`, in blocks: every contact it holds
        (each merged with the file, or new), or the rows after those copied in."""
        if table in UPSERT_KEYS:
            block = self.work.read_keyed((table,), None, ())[table]
            if block.num_rows:
                yield block
            return
        skip = self.before.get(table, 0)
        for batch in self.work.read_table(table, HANDOVER_ROWS):
            if skip >= batch.num_rows:
                skip -= batch.num_rows
                continue
            yield pa.Table.from_batches([batch.slice(skip)])
            skip = 0

    def _undo(self, table: str) -> None:
        """Remove the import's rows of a table from the store; put back what went with them."""
        same = IDENTITY.get(table, TABLES[table])
        for block in self._added(table):
            self.target.remove(table, same, block)
            back = _matching(self.kept.get(table), block, same)
            if back is not None:
                self.target.append_columns(table, back, fold=False)

    def close(self) -> None:
        self.work.close()


def _matching(rows: pa.Table | None, block: pa.Table, columns: tuple[str, ...]) -> pa.Table | None:
    """The rows equal on `columns` to a row of the block (None when there are none)."""
    if rows is None:
        return None
    wanted = set(zip(*(block.column(c).to_pylist() for c in columns), strict=True))
    found = [k in wanted for k in zip(*(rows.column(c).to_pylist() for c in columns), strict=True)]
    return rows.filter(pa.array(found, pa.bool_())) if any(found) else None
