"""The default store: one DuckDB file."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pyarrow as pa

from journeymap.errors import JourneymapError, NoStore, NotFound, StoreInUse
from journeymap.store.after_commit import AfterCommit
from journeymap.store.duckdb import rollup, staging, summaries, upgrades
from journeymap.store.duckdb.guards import Fold, Known
from journeymap.store.duckdb.scan_once import scan_once
from journeymap.store.facts import TABLES, UPSERT_KEYS, FactBatch
from journeymap.store.protocol import StagedColumn, StagingLimits

FOLDERS: tuple[str, ...] = ("journeymap.store.duckdb", "journeymap.store")
"""Where a named query is looked up: this dialect's own, then the SQL every engine shares."""


@cache
def _sql(name: str) -> str:
    for package in FOLDERS:
        path = resources.files(package).joinpath("queries").joinpath(f"{name}.sql")
        if path.is_file():
            return path.read_text("utf-8")
    raise NotFound(f"no query named {name!r} for the duckdb store")


_REMEMBER_DDL = """
CREATE OR REPLACE TABLE jm_ddl AS SELECT ?::VARCHAR AS fingerprint
"""


@cache
def _ddl_fingerprint() -> str:
    """A digest of every SQL file of this store (schema, summaries, their macros, upgrades)."""
    digest = hashlib.sha256(f"{summaries.LAYOUT} {upgrades.UPGRADES}".encode())
    root = resources.files("journeymap.store.duckdb")
    for folder in (root, root.joinpath("queries")):
        for item in sorted(folder.iterdir(), key=lambda f: f.name):
            if item.name.endswith(".sql"):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def _installed(con: Any) -> str | None:
    """The fingerprint of the SQL the file's schema was last installed from (None: never)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'jm_ddl'"
    ).fetchall()[0][0]
    if not found:
        return None
    row = con.execute("SELECT max(fingerprint) FROM jm_ddl").fetchall()
    return None if row[0][0] is None else str(row[0][0])


ENGINE_SETTINGS: dict[str, str] = {
    "JOURNEYMAP_DUCKDB_MEMORY_LIMIT": "memory_limit",
    "JOURNEYMAP_DUCKDB_THREADS": "threads",
}
"""DuckDB's own limits a user may set from the environment, by variable."""


def _engine_config() -> dict[str, str | bool | int | float | list[str]]:
    """The DuckDB settings the environment asks for; a value DuckDB refuses names its variable."""
    config: dict[str, str | bool | int | float | list[str]] = {}
    for var, name in ENGINE_SETTINGS.items():
        value = os.environ.get(var)
        if not value:
            continue
        try:  # each setting tried alone, before the file is touched, to name the one refused
            duckdb.connect(":memory:", config={name: value}).close()
        except duckdb.Error as exc:
            raise JourneymapError(
                f"{var}={value!r} is not a DuckDB {name}: {exc}", code="duckdb_setting"
            ) from None
        config[name] = value
    return config


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _connect(path: str, *, create: bool) -> Any:
    """A connection to the file; StoreInUse naming the process that holds it, NoStore if asked."""
    if not create and path != ":memory:" and not Path(path).is_file():
        raise NoStore(path)
    config = _engine_config()
    try:
        return duckdb.connect(path, config=config)
    except duckdb.IOException as exc:
        held = _LOCK_HOLDER.search(str(exc))
        if held is None:
            raise
        pid = int(held["pid"])
        raise StoreInUse(path, pid, _command_line(pid) or held["program"]) from None


def _command_line(pid: int) -> str | None:
    """The process's command line, where the system shows it (Linux)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [w.decode("utf-8", "replace") for w in raw.split(b"\0") if w]
    if words and Path(words[0]).name.startswith("python") and len(words) > 1:
        words = words[1:]  # `python .../journeymap serve`: the script says more than python
        if words[0] == "-m" and len(words) > 1:
            words = words[1:]  # `python -m journeymap.cli.back`: the module says it
    return " ".join([Path(words[0]).name, *words[1:]]) if words else None


_PLAIN = (str, int, float, bool, Decimal, datetime, type(None))

FOLD_FIRST: tuple[str, ...] = ("contacts",)
"""Tables folded before the rest of an append: members the later blocks make then take their
contact's UTM as it stands after the append, so the contacts' fold finds nothing to carry onto
them (the summaries end the same in any order)."""


def _contacts(table: str, rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> list[Any]:
    """The contact ids of a batch's rows of `table`."""
    at = TABLES[table].index("contact_id")
    return [row[at] for row in rows.get(table, ())]


def _column(columns: Mapping[str, Any] | pa.Table, name: str) -> list[Any]:
    """One column of a block given as columns or as an Arrow table, as a list."""
    found = columns[name]
    return list(found.to_pylist() if hasattr(found, "to_pylist") else found)


def _one_plain_row(columns: Mapping[str, Any], cols: Sequence[str]) -> list[Any] | None:
    """The block's only row when it has one of plain values (bound as parameters), else None."""
    if isinstance(columns, pa.Table):
        if columns.num_rows != 1:
            return None
        row = [columns.column(c)[0].as_py() for c in cols]
    else:
        if any(len(columns[c]) != 1 for c in cols):
            return None
        row = [columns[c][0] for c in cols]
    return row if all(isinstance(v, _PLAIN) for v in row) else None


class DuckDBStore(AfterCommit):
    """Facts in a DuckDB file; every value reaches SQL as a bound parameter."""

    engine: ClassVar[str] = "duckdb"
    tables: ClassVar[frozenset[str]] = frozenset(TABLES)
    bulk_atomic: ClassVar[bool] = True

    def __init__(self, path: str = "journeymap.duckdb", *, create: bool = True) -> None:
        self.path = path
        self.home = None if path == ":memory:" else path
        self._con = _connect(path, create=create)
        self._con.execute("SET TimeZone = 'UTC'")
        self._lock = threading.RLock()
        self._depth = 0
        self._writer: int | None = None
        """The thread inside a write transaction: its reads see what it has not committed yet."""
        self._local = threading.local()
        self._readers: list[duckdb.DuckDBPyConnection] = []
        self._root = self._con.cursor()
        """Connection that reader connections are made from, so making one never waits for the
        writer's lock."""
        self._root_lock = threading.Lock()
        self._after: list[Callable[[], None]] = []
        self._known = Known()
        """What committed summaries hold (keys, UTM codes), kept between appends."""
        if _installed(self._con) != _ddl_fingerprint():
            schema = resources.files("journeymap.store.duckdb").joinpath("schema.sql")
            self._con.execute(schema.read_text("utf-8"))
            summaries.install(self._con)
            needed = upgrades.pending(self._con)
            if needed:  # facts moved: summaries follow them, all or nothing
                with self.transaction():
                    upgrades.apply(self._con, needed)
                    summaries.rebuild(self._con)
            self._con.execute(_REMEMBER_DDL, [_ddl_fingerprint()])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            outer = self._depth == 0
            before = self._writer
            if outer:
                self._con.execute("BEGIN TRANSACTION")
                self._writer = threading.get_ident()
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._writer = before
                    self._after.clear()
                    self._known.forget()  # it may hold what this transaction made
                    self._con.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._writer = before
                try:
                    self._con.execute("COMMIT")
                except BaseException:  # a commit that fails leaves nothing of the transaction
                    self._known.forget()
                    raise
                self._run_after_commit()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._lock:
            before = self._writer
            self._writer = threading.get_ident()
            try:
                yield
            finally:
                self._writer = before

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read in one snapshot: every query of the block sees the same committed state."""
        if self._writer == threading.get_ident() or getattr(self._local, "snapshot", False):
            yield
            return
        con = self._reader()
        con.execute("BEGIN TRANSACTION")
        self._local.snapshot = True
        try:
            yield
        finally:
            self._local.snapshot = False
            con.execute("COMMIT")

    def append(self, batch: FactBatch) -> None:
        if not len(batch):
            return
        fold = Fold(known=self._known)
        first = {t: batch.rows[t] for t in FOLD_FIRST if t in batch.rows}
        ordered = FactBatch(first | {t: r for t, r in batch.rows.items() if t not in first})
        ids = [c for t in rollup.FOLDED for c in _contacts(t, batch.rows)]
        with self.transaction(), rollup.kept(self._con, ids):
            try:
                ahead = summaries.fold_ahead(self._con, ordered, fold)
                for table, data in ordered.blocks():
                    self._append_block(table, ahead.get(table, data), fold)
            finally:
                self._con.unregister(summaries.BLOCK)
                for name in fold.ahead.values():
                    self._con.unregister(name)

    def append_columns(self, table: str, columns: Mapping[str, Any], *, fold: bool = True) -> None:
        folds = fold and table in rollup.FOLDED
        ids = _column(columns, "contact_id") if folds else []
        with self.transaction(), rollup.kept(self._con, ids):
            try:
                self._append_block(table, columns, Fold(known=self._known) if fold else None)
            finally:
                self._con.unregister(summaries.BLOCK)

    def _append_block(self, table: str, columns: Mapping[str, Any], fold: Fold | None) -> None:
        """Insert the rows and fold them into the summaries (unless `fold` is None), leaving
        them registered as `_jm_block` (the next block replaces it; the caller unregisters)."""
        cols = TABLES[table]
        verb = "INSERT OR REPLACE" if table in UPSERT_KEYS else "INSERT"
        names = ", ".join(cols)
        folded = fold is not None and table in summaries.MAINTENANCE
        row = None if folded else _one_plain_row(columns, cols)
        if row is not None:  # bound values cost DuckDB less than an Arrow block
            if table in UPSERT_KEYS and self._update_one(table, cols, row):
                return
            marks = ", ".join("?" * len(cols))
            self._con.execute(f"{verb} INTO {table} ({names}) VALUES ({marks})", row)
            return
        block = columns if isinstance(columns, pa.Table) else pa.table(dict(columns))
        block = block.select(list(cols))
        source = summaries.BLOCK if fold is None else fold.ahead.get(table, summaries.BLOCK)
        if source == summaries.BLOCK:
            # a block no fold reads is read once: as a stream, the transaction does not keep it
            self._con.register(summaries.BLOCK, block if fold is not None else scan_once(block))
        self._con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM {source}")
        if fold is not None:
            summaries.maintain(self._con, table, block, fold)  # same transaction: reports see it

    def _update_one(self, table: str, cols: Sequence[str], row: list[Any]) -> bool:
        """Set the row of an upsert table that has the key of `row` to it, if there is one: an
        UPDATE by key costs DuckDB a third of the INSERT OR REPLACE it does the work of."""
        keys = UPSERT_KEYS[table]
        values = dict(zip(cols, row, strict=True))
        rest = [c for c in cols if c not in keys]
        sets = ", ".join(f"{c} = ?" for c in rest)
        where = " AND ".join(f"{k} = ?" for k in keys)
        done = self._con.execute(
            f"UPDATE {table} SET {sets} WHERE {where}", [values[c] for c in (*rest, *keys)]
        ).fetchone()
        return bool(done and done[0])

    def stage(self, table: str, block: Any) -> None:
        if not table.startswith("import_") or table in TABLES:
            raise ValueError(f"{table!r} is not an import staging table")
        with self._lock:
            rows = block if isinstance(block, pa.Table) else pa.table(block)
            self._con.register("_jm_stage", scan_once(rows))
            try:
                self._con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _jm_stage")
            finally:
                self._con.unregister("_jm_stage")

    def stage_file(self, path: str, fmt: str, names: Sequence[str] | None) -> list[str]:
        with self._lock:
            return staging.stage_file(self._con, path, fmt, names)

    def stage_types(
        self,
        columns: Sequence[StagedColumn],
        fields: Sequence[tuple[str, int]],
        limits: StagingLimits,
    ) -> None:
        with self._lock:
            staging.stage_types(self._con, columns, fields, limits)

    def append_query(
        self,
        table: str,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        fold: bool = True,
        new_keys: bool = False,
    ) -> int:
        cols = ", ".join(TABLES[table])
        verb = "INSERT OR REPLACE" if table in UPSERT_KEYS and not new_keys else "INSERT"
        with self.transaction():
            if not fold:
                done = self._con.execute(
                    f"{verb} INTO {table} ({cols}) SELECT {cols} FROM ({_sql(name)})",
                    dict(params or {}),
                ).fetchone()
                return int(done[0]) if done else 0
            self._con.execute(
                f"CREATE OR REPLACE TEMP TABLE _jm_bulk AS {_sql(name)}", dict(params or {})
            )
            try:
                done = self._con.execute(
                    f"{verb} INTO {table} ({cols}) SELECT {cols} FROM _jm_bulk"
                ).fetchone()
                self._fold(table, "SELECT * FROM _jm_bulk")
            finally:
                self._con.execute("DROP TABLE IF EXISTS _jm_bulk")
            return int(done[0]) if done else 0

    def fold_query(self, table: str, name: str, params: Mapping[str, Any] | None = None) -> None:
        with self.transaction():
            self._con.execute(
                f"CREATE OR REPLACE TEMP TABLE _jm_bulk AS {_sql(name)}", dict(params or {})
            )
            try:
                self._fold(table, "SELECT * FROM _jm_bulk")
            finally:
                self._con.execute("DROP TABLE IF EXISTS _jm_bulk")

    def _fold(self, table: str, rows: str) -> None:
        """Fold the rows (a SELECT) into the summaries as one block (`_jm_block`)."""
        self._con.execute(f"CREATE OR REPLACE TEMP VIEW {summaries.BLOCK} AS {rows}")
        try:
            with rollup.kept(self._con, None if table in rollup.FOLDED else []):
                summaries.maintain(self._con, table)
        finally:
            self._con.execute(f"DROP VIEW IF EXISTS {summaries.BLOCK}")

    def rebuild_summaries(self) -> None:
        """Recompute every report summary from the facts, in one transaction."""
        with self.transaction():
            self._known.forget()  # the rebuild makes the keys anew
            summaries.rebuild(self._con)

    def row_counts(self) -> dict[str, int]:
        with self._reading() as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}

    def read_table(self, table: str, rows: int) -> Iterator[pa.RecordBatch]:
        """Every row of the table in the order written (DuckDB keeps insertion order), read on a
        connection of its own so other reads go on meanwhile."""
        with self._root_lock:
            con = self._root.cursor()
        try:
            con.execute("SET TimeZone = 'UTC'")
            names = ", ".join(TABLES[table])
            yield from con.sql(f"SELECT {names} FROM {table}").to_arrow_reader(rows)
        finally:
            con.close()

    def truncate(self, table: str) -> None:
        with self.transaction():
            self._con.execute(f"DELETE FROM {table}")

    def staging(self) -> DuckDBStore:
        """Imports are staged in this database's temporary tables."""
        return self

    def read_keyed(
        self, tables: Sequence[str], column: str | None, keys: Any
    ) -> dict[str, pa.Table]:
        where = "" if column is None else f" WHERE {column} IN (SELECT k FROM _jm_keys)"
        with self._lock:
            self._con.register("_jm_keys", pa.table({"k": pa.array(keys, pa.string())}))
            try:
                return {
                    t: self._con.sql(
                        f"SELECT {', '.join(TABLES[t])} FROM {t}{where}"
                    ).to_arrow_table()
                    for t in tables
                }
            finally:
                self._con.unregister("_jm_keys")

    def remove(self, table: str, columns: Sequence[str], block: Any) -> None:
        same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM b.{c}" for c in columns)
        with self.transaction():
            self._con.register("_jm_gone", block)
            try:
                self._con.execute(f"DELETE FROM {table} t USING _jm_gone b WHERE {same}")
            finally:
                self._con.unregister("_jm_gone")

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._reading() as con:
            cur = con.execute(_sql(name), dict(params or {}))
            names = [d[0] for d in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def query_arrow(self, name: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """The named query's result as an Arrow table, for large results."""
        with self._reading() as con:
            return con.sql(_sql(name), params=dict(params or {})).to_arrow_table()

    def stream(
        self, name: str, params: Mapping[str, Any] | None = None, *, block: int = 65_536
    ) -> Iterator[dict[str, Any]]:
        """The named query's rows one by one, fetched in blocks on a connection of their own,
        for results too large to hold at once."""
        with self._root_lock:
            con = self._root.cursor()
        try:
            con.execute("SET TimeZone = 'UTC'")
            reader = con.sql(_sql(name), params=dict(params or {})).to_arrow_reader(block)
            for batch in reader:
                yield from batch.to_pylist()
        finally:
            con.close()

    def scalar(self, name: str, params: Mapping[str, Any] | None = None) -> Any:
        with self._reading() as con:
            row = con.execute(_sql(name), dict(params or {})).fetchone()
            return None if row is None else row[0]

    def close(self) -> None:
        with self._lock, self._root_lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._root.close()
            self._con.close()

    # --- connections ----------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The writer's own connection inside its transaction; otherwise this thread's reader,
        which sees only committed data and never waits for the writer."""
        if self._writer == threading.get_ident():
            with self._lock:
                yield self._con
        else:
            yield self._reader()

    def _reader(self) -> duckdb.DuckDBPyConnection:
        con: duckdb.DuckDBPyConnection | None = getattr(self._local, "con", None)
        if con is None:
            with self._root_lock:
                con = self._root.cursor()
                self._readers.append(con)
            con.execute("SET TimeZone = 'UTC'")
            self._local.con = con
        return con
