"""The scale-out store: facts in ClickHouse, reports computed from them at query time."""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from journeymap.errors import NotFound
from journeymap.store.after_commit import AfterCommit
from journeymap.store.clickhouse.transport import Transport
from journeymap.store.facts import TABLES, UPSERT_KEYS, FactBatch

FOLDERS: tuple[str, ...] = ("journeymap.store.clickhouse", "journeymap.store")
"""Where a named query is looked up: this dialect's own, then the SQL every engine shares."""

IN_ORDER_WRITTEN: frozenset[str] = frozenset(
    {"marketing_costs", "map_errors", "ingested_events", "public_urls"}
)
"""Tables that keep each row's block number and offset (schema.sql), so rows read back in the
order they were written."""

ARRAYS: frozenset[tuple[str, str]] = frozenset({("contacts", "tags")})
"""Columns that are arrays of text: ClickHouse keeps no NULL array, so NULL is stored empty."""


KEPT: dict[str, str] = {"map_versions": "maps"}
"""Queries whose result is kept between calls on a store only this process writes, each with the
one table it reads: reports load the map they run on every time, and a chDB query costs
milliseconds however small. Forgotten once the table is written (`_Kept`)."""


class _Kept:
    """Results of KEPT queries per chDB directory (several stores in a process may share one),
    and a count of writes to their tables: a result read before a write is never kept after it."""

    lock: ClassVar[threading.Lock] = threading.Lock()
    results: ClassVar[dict[str, dict[tuple[str, str], pa.Table]]] = {}
    writes: ClassVar[dict[str, int]] = {}

    @classmethod
    def get(cls, home: str, name: str, key: str) -> pa.Table | None:
        with cls.lock:
            return cls.results.get(home, {}).get((name, key))

    @classmethod
    def seen(cls, home: str) -> int:
        with cls.lock:
            return cls.writes.get(home, 0)

    @classmethod
    def keep(cls, home: str, name: str, key: str, table: pa.Table, seen: int) -> None:
        with cls.lock:
            if cls.writes.get(home, 0) == seen:
                cls.results.setdefault(home, {})[name, key] = table

    @classmethod
    def written(cls, home: str, table: str | None = None) -> None:
        """Forget the directory's results after a write to `table`, or to any table (None)."""
        if table is not None and table not in KEPT.values():
            return
        with cls.lock:
            cls.writes[home] = cls.writes.get(home, 0) + 1
            cls.results.pop(home, None)


TAILS: dict[str, str] = {"drill_": "drill_page"}
"""Queries whose name starts so end in a shared query: a drill-down (`drill_*`) names the
contacts behind a figure as `hit`, and `drill_page` lists one page of them."""


def _text(name: str) -> str:
    for package in FOLDERS:
        path = resources.files(package).joinpath("queries").joinpath(f"{name}.sql")
        if path.is_file():
            return path.read_text("utf-8")
    raise NotFound(f"no query named {name!r} for the clickhouse store")


@cache
def _sql(name: str) -> str:
    tail = next((t for prefix, t in TAILS.items() if name.startswith(prefix) and name != t), None)
    return _text(name) if tail is None else f"{_text(name)}\n{_text(tail)}"


@cache
def schema() -> str:
    """The single-server schema: tables and report views."""
    return resources.files("journeymap.store.clickhouse").joinpath("schema.sql").read_text("utf-8")


@cache
def fingerprint() -> str:
    """A digest of the schema's text: the store holds it once the schema is installed."""
    return hashlib.sha256(schema().encode()).hexdigest()


INSTALLED = (
    "SELECT comment FROM system.tables WHERE database = currentDatabase() AND name = 'jm_ddl'"
)
"""The fingerprint of the schema last installed, kept as the comment of an empty table (one
query tells it, and none comes back when the store has never been opened)."""


def statements(text: str) -> list[str]:
    """The statements of a SQL script (none holds a semicolon inside a literal)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class ClickHouseStore(AfterCommit):
    """Facts in ClickHouse over a transport (chDB or a server); every value is a bound
    `{name:Type}` parameter.

    ClickHouse has no multi-statement transactions: the appends of a transaction are kept in
    memory and inserted when it ends (none of them if it raises), table by table, so a reader may
    see one table's rows of a transaction a moment before another's. Reads see only what was
    inserted."""

    engine: ClassVar[str] = "clickhouse"
    tables: ClassVar[frozenset[str]] = frozenset(
        re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema())
    ) & frozenset(TABLES)
    bulk_atomic: ClassVar[bool] = False
    """An insert is atomic per table only, and a transaction is held in memory until it ends."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.path = transport.where
        self.home = transport.home
        self._lock = threading.RLock()
        self._depth = 0
        self._pending: list[tuple[str, pa.Table]] = []
        self._after: list[Callable[[], None]] = []
        # another process may have written the directory while this one held no store on it
        self._written(None)
        self._install()

    def _install(self) -> None:
        """The schema's statements, unless the store holds this schema's fingerprint (then all
        of them ran before: each table is IF NOT EXISTS, each view and function replaced)."""
        found = self.transport.read(INSTALLED, {}).column("comment").to_pylist()
        if found == [fingerprint()]:
            return
        for statement in statements(schema()):
            self.transport.command(statement)
        self.transport.command(
            f"CREATE OR REPLACE TABLE jm_ddl (k UInt8) ENGINE = Memory COMMENT '{fingerprint()}'"
        )

    # --- writing --------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            outer = self._depth == 0
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._pending.clear()
                    self._after.clear()
                raise
            self._depth -= 1
            if outer:
                pending, self._pending = self._pending, []
                try:
                    for table, block in pending:
                        self.transport.insert(table, block)
                finally:
                    for table in {t for t, _ in pending}:
                        self._written(table)
                self._run_after_commit()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._lock:
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Each query reads one consistent set of ClickHouse parts; a block adds nothing."""
        yield

    def append(self, batch: FactBatch) -> None:
        if not len(batch):
            return
        with self.transaction():
            for table, data in batch.blocks():
                self.append_columns(table, data)

    def append_columns(self, table: str, columns: Mapping[str, Any], *, fold: bool = True) -> None:
        """Append a block; `fold` asks nothing more here: reports read the facts themselves."""
        if not isinstance(columns, pa.Table):
            columns = {
                c: pa.array([[] if v is None else v for v in values], pa.list_(pa.string()))
                if (table, c) in ARRAYS
                else values
                for c, values in columns.items()
            }
        block = columns if isinstance(columns, pa.Table) else pa.table(dict(columns))
        block = block.select(list(TABLES[table]))
        for name in (c for t, c in ARRAYS if t == table):
            i = block.schema.get_field_index(name)
            if block.column(i).null_count:
                empty = pa.scalar([], block.schema.field(i).type)
                block = block.set_column(i, name, pc.fill_null(block.column(i), empty))
        with self.transaction():
            self._pending.append((table, block))

    def rebuild_summaries(self) -> None:
        """Nothing to rebuild: reports on ClickHouse are computed from the facts when asked."""

    def truncate(self, table: str) -> None:
        with self._lock:
            try:
                self.transport.command(f"TRUNCATE TABLE {table}")
            finally:
                self._written(table)

    def _written(self, table: str | None) -> None:
        if self.transport.exclusive and self.home is not None:
            _Kept.written(self.home, table)

    # --- reading --------------------------------------------------------------------------------

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.query_arrow(name, params).to_pylist()
        return rows

    def query_arrow(self, name: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """The named query's result as an Arrow table, for large results; a KEPT query's from
        memory when this process is the only writer and has not written its table since."""
        bound = dict(params or {})
        if name not in KEPT or not self.transport.exclusive or self.home is None:
            return self.transport.read(_sql(name), bound)
        key = repr(sorted(bound.items()))
        found = _Kept.get(self.home, name, key)
        if found is None:
            seen = _Kept.seen(self.home)
            found = self.transport.read(_sql(name), bound)
            _Kept.keep(self.home, name, key, found, seen)
        return found

    def row_counts(self) -> dict[str, int]:
        """Rows per table, one row per key in tables whose rows replace earlier ones."""
        counts = " UNION ALL ".join(
            f"SELECT '{t}' AS t, count() AS n FROM {t}{' FINAL' if t in UPSERT_KEYS else ''}"
            for t in sorted(self.tables)
        )
        return {r["t"]: r["n"] for r in self.transport.read(counts, {}).to_pylist()}

    def read_table(self, table: str, rows: int) -> Iterator[pa.RecordBatch]:
        """Every row of the table (the latest of each key in an upsert table), dictionary columns
        as plain ones; in the order written where the table keeps it."""
        sql = f"SELECT {', '.join(TABLES[table])} FROM {table}"
        if table in UPSERT_KEYS:
            sql += " FINAL"
        if table in IN_ORDER_WRITTEN:
            sql += " ORDER BY _block_number, _block_offset"
        for batch in self.transport.stream(sql, rows):
            yield pa.RecordBatch.from_arrays(
                [
                    pc.dictionary_decode(c) if pa.types.is_dictionary(c.type) else c
                    for c in batch.columns
                ],
                names=batch.schema.names,
            )

    def stream(
        self, name: str, params: Mapping[str, Any] | None = None, *, block: int = 65_536
    ) -> Iterator[dict[str, Any]]:
        """The named query's rows one by one, converted a block at a time."""
        for batch in self.query_arrow(name, params).to_batches(block):
            yield from batch.to_pylist()

    def scalar(self, name: str, params: Mapping[str, Any] | None = None) -> Any:
        table = self.query_arrow(name, params)
        return table.column(0)[0].as_py() if table.num_rows else None

    def close(self) -> None:
        with self._lock:
            self.transport.close()
            self._written(None)

    # --- history import: staged elsewhere, its rows handed over --------------------------------

    def staging(self) -> None:
        """Imports are staged and checked in a DuckDB in memory (importer/mirror.py)."""

    def read_keyed(
        self, tables: Sequence[str], column: str | None, keys: Any
    ) -> dict[str, pa.Table]:
        """The keys go to the server once, in a working table of their own (a long list as a
        bound parameter is slow to parse), for every table."""
        sql = {
            t: f"SELECT {', '.join(TABLES[t])} FROM {t}{' FINAL' if t in UPSERT_KEYS else ''}"
            for t in tables
        }
        if column is None:
            return {t: _plain(self.transport.read(q, {})) for t, q in sql.items()}
        with self._lock, self._working({"k": pa.array(keys, pa.string())}) as scratch:
            where = f" WHERE {column} IN (SELECT k FROM {scratch})"
            return {t: _plain(self.transport.read(q + where, {})) for t, q in sql.items()}

    def remove(self, table: str, columns: Sequence[str], block: Any) -> None:
        """A lightweight DELETE of the rows equal on `columns` to a row of the block; a NULL is
        told from every value by isNull (ClickHouse's IN never finds NULL equal to NULL)."""
        same = ", ".join(f"isNull({c}), assumeNotNull({c})" for c in columns)
        given = {c: block.column(c) for c in columns}
        with self._lock, self._working(given, like=table) as scratch:
            try:
                self.transport.command(
                    f"DELETE FROM {table} WHERE ({same}) IN (SELECT {same} FROM {scratch})"
                )
            finally:
                self._written(table)

    @contextmanager
    def _working(self, columns: Mapping[str, Any], like: str | None = None) -> Iterator[str]:
        """A Memory table of its own holding the columns (typed as `like`'s, else as text),
        dropped when the block ends."""
        scratch = f"_jm_work_{uuid.uuid4().hex}"
        if like is None:
            made = f"CREATE TABLE {scratch} (k String) ENGINE = Memory"
        else:
            names = ", ".join(columns)
            made = f"CREATE TABLE {scratch} ENGINE = Memory AS SELECT {names} FROM {like} WHERE 0"
        self.transport.command(made)
        try:
            self.transport.insert(scratch, pa.table(dict(columns)))
            yield scratch
        finally:
            self.transport.command(f"DROP TABLE IF EXISTS {scratch}")


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns (LowCardinality) as plain ones."""
    return pa.table(
        [pc.dictionary_decode(c) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.schema.names,
    )
