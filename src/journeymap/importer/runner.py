"""Importing history files: each file read, checked and staged, then written in one transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from journeymap.errors import ImportRejected
from journeymap.importer.kinds import detect
from journeymap.importer.maps import MapIndex
from journeymap.importer.progress import LARGE_FILE_BYTES, Bar
from journeymap.importer.reading import open_source, sha256
from journeymap.importer.result import FileResult, ImportResult
from journeymap.importer.rules import SHAPERS
from journeymap.importer.validation import Context, check_batch
from journeymap.importer.writing import PLANS, record_import, write_new_contacts
from journeymap.store.protocol import Store

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
    with import_settings(store):
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
    spec = detect(source.columns, file, kind)
    maps = MapIndex.load(store)
    if map_id is not None and map_id not in maps.maps:
        raise ImportRejected(file, None, "map_id", f"unknown map {map_id!r} (given by --map)")
    ctx = Context(file, maps, map_id)
    shaper = SHAPERS[spec.name]
    plan = PLANS[spec.name]
    large = path.stat().st_size >= LARGE_FILE_BYTES
    store.query("import_clear")
    try:
        with Bar(progress and large) as bar:
            bar.start(f"reading {file}", source.total)
            rows = 0
            for raw, done in source.batches():
                block = check_batch(spec, raw, rows, ctx, shaper)
                store.stage(spec.staging, block)
                rows += raw.num_rows
                bar.update(done)
            duplicates = plan.prepare(store, file, maps)
            with store.transaction():
                written = plan.write(store, bar)
                if spec.names_contacts:
                    written["contacts"] = write_new_contacts(store)
                record_import(store, digest, file, spec.name, rows, now)
    finally:
        store.query("import_clear")
    return FileResult(file, digest, spec.name, rows, duplicates=duplicates, written=written)


_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4}
_UNITS |= {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40, "bytes": 1}


def _bytes(setting: str) -> float | None:
    m = re.fullmatch(r"\s*([\d.]+)\s*([A-Za-z]*)\s*", setting)
    if m is None or m.group(2).lower() not in _UNITS:
        return None
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


@contextmanager
def import_settings(store: Store) -> Iterator[None]:
    """Cap the database's memory and silence its own progress bar; put both back afterwards.

    Also for work that follows an import, such as the engine reading back what it wrote.
    """
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
