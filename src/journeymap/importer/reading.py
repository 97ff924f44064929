"""Import files: their format, their SHA-256, and their column names, checked before reading."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from journeymap.errors import ImportRejected
from journeymap.importer.kinds import LIMITS

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
"""File name ending to format."""

MAX_ROW_BYTES = 2 << 20
"""The longest line (CSV row or JSON Lines object) the readers take."""

_WIDE: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Source:
    """An import file of a known format, with its column names when they can be read up front."""

    path: Path
    format: str
    columns: list[str] | None
    """CSV: the header; Parquet: the schema; JSON Lines: None (every line's keys, read later)."""
    total: int
    """Progress units in the whole file: bytes for text formats, rows for Parquet."""


def open_source(path: Path) -> Source:
    """Tell an import file's format and read its column names; reject a file that cannot hold
    rows (unknown ending, not UTF-8 text, no header, a header naming a column twice, ...)."""
    file = path.name
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportRejected(
            file, None, None, f"unknown file type; name it {', '.join(sorted(FORMATS))}"
        )
    if fmt == "parquet":
        try:
            meta = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise ImportRejected(file, None, None, f"not a Parquet file: {exc}") from None
        return Source(path, fmt, check_names(file, meta.schema_arrow.names), meta.metadata.num_rows)
    _check_text(path)
    size = path.stat().st_size
    if fmt == "jsonl":
        return Source(path, fmt, None, size)
    return Source(path, fmt, check_names(file, _csv_header(path)), size)


def _check_text(path: Path) -> None:
    """Reject a text file in another encoding than UTF-8 (UTF-16 and UTF-32 say so)."""
    with path.open("rb") as f:
        head = f.read(4096)
    for bom, name in _WIDE:
        if head.startswith(bom):
            raise ImportRejected(
                path.name, None, None, f"the file is {name} text; save it as UTF-8"
            )
    if b"\x00" in head.split(b"\n", 1)[0]:
        raise ImportRejected(
            path.name,
            None,
            None,
            "the first line holds NUL bytes: the file is not UTF-8 text "
            "(UTF-16 without a byte order mark?); save it as UTF-8",
        )


def _csv_header(path: Path) -> list[str]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            header = next(csv.reader(text, strict=True), None)
        except csv.Error as exc:
            raise ImportRejected(path.name, None, None, f"unreadable header row: {exc}") from None
    if header is None:
        raise ImportRejected(path.name, None, None, "the file is empty: no header row")
    for name in header:
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        if shown != name:
            raise ImportRejected(
                path.name, None, shown.strip(), "the header row is not UTF-8 text; save it as UTF-8"
            )
    return header


def check_names(file: str, names: list[str]) -> list[str]:
    """The column names, trimmed; each must be there once, named, and printable."""
    out = [n.strip() for n in names]
    seen: set[str] = set()
    for i, name in enumerate(out, start=1):
        if not name:
            raise ImportRejected(file, None, None, f"column {i} of the header has no name")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
            raise ImportRejected(
                file,
                None,
                name.encode("unicode_escape").decode(),
                "a column name holds a control character",
            )
        if len(name) > LIMITS.name:
            raise ImportRejected(
                file,
                None,
                name[:40] + "...",
                f"a column name is longer than {LIMITS.name} characters",
            )
        if name in seen:
            raise ImportRejected(file, None, name, "the header names this column twice")
        seen.add(name)
    return out
