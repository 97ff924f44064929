"""Finding the row and column behind a file the reader could not read.

The store reads files fast and strictly but says little about where it stopped; only then is the
file scanned here, row by row, to name the first row (and, where one is to blame, the column) that
is malformed: a quote left open, a row with too few or too many values, bytes that are not UTF-8, a
line that is not JSON, a Parquet page that cannot be decoded.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from journeymap.errors import ImportRejected
from journeymap.importer.reading import MAX_ROW_BYTES, Source


def locate(source: Source, message: str) -> ImportRejected:
    """The rejection naming the first malformed row of the file (the reader said `message`)."""
    found = _LOCATORS[source.format](source)
    if found is not None:
        return found
    what = {"csv": "CSV", "jsonl": "JSON Lines", "parquet": "Parquet"}[source.format]
    return ImportRejected(source.path.name, None, None, f"cannot be read as {what}: {message}")


# --- CSV -----------------------------------------------------------------------------------------


def _csv(source: Source) -> ImportRejected | None:
    file, header = source.path.name, source.columns or []
    csv.field_size_limit(sys.maxsize)
    with source.path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text, strict=True)
        row, start = 0, 1  # data rows so far; the line the next record starts on
        try:
            for record in reader:
                line, start = start, reader.line_num + 1
                if line == 1 or not record:  # the header; blank lines are skipped
                    continue
                row += 1
                problem = _csv_record(record, header)
                if problem is not None:
                    return ImportRejected(file, row, *problem)
        except csv.Error:
            column, reason = _quote_problem(source.path, start, len(header))
            name = header[column] if column < len(header) else None
            return ImportRejected(file, row + 1, name, reason)
    return None


def _csv_record(record: list[str], header: list[str]) -> tuple[str | None, str] | None:
    """The column and reason of what is wrong with one parsed record, if anything."""
    for name, value in zip(header, record, strict=False):
        if _undecodable(value):
            return name, f"{_bad_bytes(value)} is not UTF-8 text; save the file as UTF-8"
    if len(record) < len(header):
        missing = header[len(record)]
        return missing, f"the row has {len(record)} values but the header names {len(header)}"
    if len(record) > len(header):
        return None, f"the row has {len(record)} values but the header names {len(header)}"
    size = sum(len(v.encode("utf-8", "surrogateescape")) for v in record) + len(record)
    if size > MAX_ROW_BYTES:
        return None, f"the row is longer than {MAX_ROW_BYTES >> 20} MiB"
    return None


def _undecodable(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _bad_bytes(text: str) -> str:
    """The value, quoted, with its undecodable bytes shown as \\xNN."""
    shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "'" + (shown if len(shown) <= 60 else shown[:57] + "...") + "'"


def _quote_problem(path: Path, start: int, width: int) -> tuple[int, str]:
    """Which value of the record starting on line `start` breaks the quoting rules, and how."""
    field, quoted, closed = 0, False, False
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as f:
        for line in itertools.islice(f, start - 1, None):
            i = 0
            while i < len(line):
                ch = line[i]
                if quoted:
                    if ch == '"' and line[i + 1 : i + 2] == '"':
                        i += 1
                    elif ch == '"':
                        quoted, closed = False, True
                elif ch in "\r\n":
                    return min(field, max(width - 1, 0)), "malformed quoting"
                elif closed and ch != ",":
                    return field, "text after the closing quote of a quoted value"
                elif ch == ",":
                    field, closed = field + 1, False
                elif ch == '"' and (i == 0 or line[i - 1] == ","):
                    quoted = True
                i += 1
    if quoted:
        return field, "a quoted value is never closed (a quote left open folds the rows after it)"
    return min(field, max(width - 1, 0)), "malformed quoting"


# --- JSON Lines ----------------------------------------------------------------------------------

_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


def _jsonl(source: Source) -> ImportRejected | None:
    file, row = source.path.name, 0
    for line in _lines(source.path):
        if not line.strip():
            continue
        row += 1
        if len(line) > MAX_ROW_BYTES:
            return ImportRejected(
                file, row, None, f"the line is longer than {MAX_ROW_BYTES >> 20} MiB"
            )
        text = line.decode("utf-8", "surrogateescape")
        if _undecodable(text):
            at = _first_undecodable(text)
            start, end = text.rfind('"', 0, at) + 1, text.find('"', at)
            value = text[start : end if end >= 0 else len(text)]
            return ImportRejected(
                file, row, _last_key(text, at),
                f"{_bad_bytes(value)} is not UTF-8 text; save the file as UTF-8",
            )  # fmt: skip
        try:
            obj = json.loads(text, object_pairs_hook=_no_repeats)
        except _RepeatedKey as exc:
            return ImportRejected(file, row, exc.key, "the object has this key twice")
        except ValueError as exc:
            pos = getattr(exc, "pos", None)
            column = _last_key(text, pos) if isinstance(pos, int) else None
            msg = getattr(exc, "msg", str(exc))
            return ImportRejected(file, row, column, f"not valid JSON: {msg}")
        if not isinstance(obj, dict):
            return ImportRejected(file, row, None, "each line must be a JSON object")
    return None


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        yield from f


def _first_undecodable(text: str) -> int:
    return next(i for i, ch in enumerate(text) if "\udc80" <= ch <= "\udcff")


def _last_key(text: str, pos: int) -> str | None:
    """The key whose value spans position `pos` of a JSON line, if one does."""
    keys = _KEY.findall(text[:pos])
    return keys[-1] if keys else None


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen[key] = value
    return seen


# --- Parquet -------------------------------------------------------------------------------------


def _parquet(source: Source) -> ImportRejected | None:
    """The first row of the first column whose page cannot be decoded."""
    file = source.path.name
    parquet = pq.ParquetFile(source.path)
    before = 0
    for group in range(parquet.metadata.num_row_groups):
        for column in parquet.schema_arrow.names:
            try:
                parquet.read_row_group(group, columns=[column])
            except (pa.ArrowException, OSError) as exc:
                done = _rows_read(parquet, group, column)
                return ImportRejected(
                    file, before + done + 1, column, f"the page holding this row cannot be "
                    f"decoded (the file is damaged): {exc}"
                )  # fmt: skip
        before += parquet.metadata.row_group(group).num_rows
    return None


def _rows_read(parquet: pq.ParquetFile, group: int, column: str) -> int:
    """How many rows of the row group's column decode before the damaged page."""
    done = 0
    try:
        for batch in parquet.iter_batches(batch_size=1, row_groups=[group], columns=[column]):
            done += batch.num_rows
    except (pa.ArrowException, OSError):
        pass
    return done


_LOCATORS = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet}
