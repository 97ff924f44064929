"""Import files as streams of Arrow record batches: CSV, JSON Lines and Parquet."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.json as pjson
import pyarrow.parquet as pq

from journeymap.errors import ImportRejected

BLOCK_BYTES = 8 << 20
"""How much text the CSV and JSON readers parse per batch."""

PARQUET_BATCH_ROWS = 262_144

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
"""File name ending to format."""


def sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Source:
    """An open import file: its column names, its batches, and how far reading has got."""

    path: Path
    format: str
    columns: list[str]
    total: int
    """Progress units in the whole file: bytes for text formats, rows for Parquet."""

    def batches(self) -> Iterator[tuple[pa.RecordBatch, int]]:
        """Each batch with the progress units read so far."""
        reader = _READERS[self.format]
        yield from reader(self)


def open_source(path: Path) -> Source:
    """Open an import file of a known format and read its column names."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportRejected(
            path.name, None, None, f"unknown file type; name it {', '.join(sorted(FORMATS))}"
        )
    if fmt == "parquet":
        try:
            meta = pq.ParquetFile(path)
        except pa.ArrowInvalid as exc:
            raise ImportRejected(path.name, None, None, f"not a Parquet file: {exc}") from None
        return Source(path, fmt, list(meta.schema_arrow.names), meta.metadata.num_rows)
    size = path.stat().st_size
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
        return Source(path, fmt, [h.strip() for h in header], size)
    with path.open(encoding="utf-8") as f:
        first = next((line for line in f if line.strip()), "{}")
    try:
        keys = json.loads(first)
    except json.JSONDecodeError as exc:
        raise ImportRejected(path.name, 1, None, f"not a JSON object: {exc.msg}") from None
    if not isinstance(keys, dict):
        raise ImportRejected(path.name, 1, None, "each line must be a JSON object")
    return Source(path, fmt, list(keys), size)


def _csv_batches(src: Source) -> Iterator[tuple[pa.RecordBatch, int]]:
    f = pa.OSFile(str(src.path))
    try:
        reader = pcsv.open_csv(
            f,
            read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, encoding="utf8"),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(src.columns, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
            ),
        )
        for batch in _renamed(reader, src):
            yield batch, f.tell()
    except pa.ArrowInvalid as exc:
        raise ImportRejected(src.path.name, None, None, f"malformed CSV: {exc}") from None
    finally:
        f.close()


def _renamed(reader: pcsv.CSVStreamingReader, src: Source) -> Iterator[pa.RecordBatch]:
    for batch in reader:
        yield batch.rename_columns(src.columns)


def _json_batches(src: Source) -> Iterator[tuple[pa.RecordBatch, int]]:
    f = pa.OSFile(str(src.path))
    try:
        reader = pjson.open_json(f, read_options=pjson.ReadOptions(block_size=BLOCK_BYTES))
        for batch in reader:
            yield batch, f.tell()
    except pa.ArrowInvalid as exc:
        raise _json_problem(src, str(exc)) from None
    finally:
        f.close()


_JSON_TYPES = {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list"}
_JSON_COLUMN = re.compile(r"Column\(/([^)/]+)\)")


def _json_problem(src: Source, message: str) -> ImportRejected:
    """Locate the line behind a JSON reader error: a bad line, or a value of another type."""
    m = _JSON_COLUMN.search(message)
    column = m.group(1) if m else None
    first_type: str | None = None
    with src.path.open(encoding="utf-8") as f:
        for row, line in enumerate(f, start=1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                return ImportRejected(src.path.name, row, None, f"not valid JSON: {exc.msg}")
            if not isinstance(obj, dict):
                return ImportRejected(src.path.name, row, None, "each line must be a JSON object")
            if column is not None and obj.get(column) is not None:
                kind = _JSON_TYPES.get(type(obj[column]), "object")
                first_type = first_type or kind
                if kind != first_type:
                    return ImportRejected(
                        src.path.name,
                        row,
                        column,
                        f"{obj[column]!r} is {kind}; earlier rows have {first_type}",
                    )
    return ImportRejected(src.path.name, None, column, f"unreadable JSON Lines: {message}")


def _parquet_batches(src: Source) -> Iterator[tuple[pa.RecordBatch, int]]:
    done = 0
    for batch in pq.ParquetFile(src.path).iter_batches(batch_size=PARQUET_BATCH_ROWS):
        done += batch.num_rows
        yield batch, done


_READERS = {"csv": _csv_batches, "jsonl": _json_batches, "parquet": _parquet_batches}
