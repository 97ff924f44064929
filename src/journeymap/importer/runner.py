"""Importing history files: each file read, checked and staged, then written in one transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from journeymap.errors import ImportRejected
from journeymap.importer.checks import Sources, check_rows
from journeymap.importer.kinds import LIMITS, Kind, detect
from journeymap.importer.landing import Direct, Landing, Mirrored
from journeymap.importer.locating import locate
from journeymap.importer.maps import MapIndex
from journeymap.importer.progress import LARGE_FILE_BYTES, Bar
from journeymap.importer.reading import Source, check_names, open_source, sha256
from journeymap.importer.result import FileResult, ImportResult
from journeymap.importer.writing import PLANS, mark_stale, record_import, write_new_contacts
from journeymap.store.protocol import FileUnreadable, StagedColumn, Staging, Store

MEMORY_LIMIT_BYTES = 512 << 20
"""The database's working memory while importing (it spills to disk beyond), if set higher."""


def import_files(
    store: Store,
    paths: Iterable[str | Path],
    *,
    now: datetime,
    map_id: str | None = None,
    kind: str | None = None,
    progress: bool = False,
) -> ImportResult:
    """Import each file in turn; a rejected file raises ImportRejected and writes nothing of it.

    The files before it stay imported: the error lists them (`imported`), and the files after it,
    which are not read (`not_read`).
    """
    files = [Path(p) for p in paths]
    results: list[FileResult] = []
    with store.exclusive(), import_settings(store):  # one connection keeps the staging tables
        for i, path in enumerate(files):
            try:
                result = import_file(
                    store, path, now=now, map_id=map_id, kind=kind, progress=progress
                )
            except ImportRejected as exc:
                exc.imported = tuple(results)
                exc.not_read = tuple(p.name for p in files[i + 1 :])
                raise
            results.append(result)
    pa.default_memory_pool().release_unused()
    return ImportResult(tuple(results))


def import_file(
    store: Store,
    path: Path,
    *,
    now: datetime,
    map_id: str | None = None,
    kind: str | None = None,
    progress: bool = False,
) -> FileResult:
    """Import one file, or skip it when a file with the same SHA-256 was imported before."""
    file = path.name
    if not path.is_file():
        raise ImportRejected(file, None, None, f"no such file {str(path)!r}")
    digest = sha256(path)
    if store.scalar("import_seen", {"sha256": digest}):
        return FileResult(file, digest, None, 0, skipped=True)
    source = open_source(path)
    maps = MapIndex.load(store)
    if map_id is not None and map_id not in maps.maps:
        raise ImportRejected(file, None, "map_id", f"unknown map {map_id!r} (given by --map)")
    large = path.stat().st_size >= LARGE_FILE_BYTES
    with store.exclusive():  # the staging tables live on the writing connection
        staging = store.staging()
        landing: Landing = Direct(staging) if staging is not None else Mirrored(store)
        try:
            with landing.work.exclusive(), import_settings(landing.work):
                return _import(
                    landing, path, digest, source, maps, now, map_id, kind, progress and large
                )
        finally:
            landing.close()


def _import(
    landing: Landing,
    path: Path,
    digest: str,
    source: Source,
    maps: MapIndex,
    now: datetime,
    map_id: str | None,
    kind: str | None,
    progress: bool,
) -> FileResult:
    file = path.name
    store = landing.work
    store.query("import_clear")
    try:
        with Bar(progress) as bar:
            bar.start(f"reading {file}", source.total)
            try:
                names = store.stage_file(str(path), source.format, source.columns)
            except FileUnreadable as exc:
                raise locate(source, str(exc)) from None
            names = check_names(file, names)
            bar.update(source.total)
            spec = detect(names, file, kind)
            sources = _stage_types(store, spec, names, json=source.format == "jsonl")
            landing.typed(spec)
            for table, block in (
                ("import_maps", maps.maps_table()),
                ("import_elements", maps.elements_table()),
                ("import_connectors", maps.connectors_table()),
            ):
                store.stage(table, block)
            plan = PLANS[spec.name]
            plan.stage(store, maps, map_id)
            check_rows(store, file, spec, sources, maps, map_id)
            rows = int(store.scalar("import_raw_count") or 0)
            store.query("import_release_raw")
            duplicates = plan.prepare(store, file)
            with landing.writing():
                written, repeats = plan.write(store, file, maps, bar, landing.base_seq())
                if spec.names_contacts:
                    written["contacts"] = write_new_contacts(store)
                mark_stale(store, spec)
                record_import(store, digest, file, spec.name, rows, now)
    finally:
        store.query("import_clear")
    return FileResult(
        file, digest, spec.name, rows, duplicates=duplicates + repeats, written=written
    )


def _stage_types(store: Staging, kind: Kind, names: list[str], *, json: bool) -> Sources:
    """Type the staged rows as the kind's columns (and a contacts file's extra columns as
    fields); where each checked column is in the file."""
    at = {name: i for i, name in enumerate(names)}
    columns = [StagedColumn(c.name, c.type, at.get(c.name), c.required) for c in kind.columns]
    fields = [(n, i) for n, i in at.items() if n not in kind.names] if kind.open_columns else []
    store.stage_types(columns, fields, LIMITS)
    types = {c.name: c.type for c in kind.columns} | {n: "text" for n, _ in fields}
    return Sources(types, at, json)


_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4}
_UNITS |= {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40, "bytes": 1}


def _bytes(setting: str) -> float | None:
    m = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", setting)
    if m is None or m.group(2).lower() not in _UNITS:
        return None
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


@contextmanager
def import_settings(given: Store) -> Iterator[None]:
    """Cap the database's memory and silence its own progress bar; put both back afterwards.

    Also for work that follows an import, such as the engine reading back what it wrote. A store
    that stages no imports itself (ClickHouse) is left as it is.
    """
    store = given.staging()
    if store is None:
        yield
        return
    before = store.query("import_settings")[0]
    limit = str(before["memory_limit"])
    size = _bytes(limit)
    capped = size is None or size > MEMORY_LIMIT_BYTES
    if capped:
        store.query("import_set_memory_limit", {"memory_limit": f"{MEMORY_LIMIT_BYTES}B"})
    store.query("import_set_progress_bar", {"on": False})
    try:
        yield
    finally:
        store.query("import_set_progress_bar", {"on": before["progress_bar"] in (True, "true")})
        if capped:
            store.query("import_set_memory_limit", {"memory_limit": limit})
