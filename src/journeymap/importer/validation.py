"""Checking one batch of an import file and shaping it for its staging table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from journeymap.errors import ImportRejected
from journeymap.importer.columns import BadValue, convert
from journeymap.importer.kinds import Kind
from journeymap.importer.maps import MapIndex

NULLS: dict[str, pa.DataType] = {
    "text": pa.string(),
    "time": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "number": pa.float64(),
    "tags": pa.list_(pa.string()),
}


@dataclass(frozen=True)
class Rule:
    """A row rule: the rows that break it (mask), the column it concerns, and the reason."""

    column: str
    bad: pa.Array
    reason: Callable[[int], str]


@dataclass
class Batch:
    """A batch's columns converted to their types, with the raw columns the kind does not name."""

    cols: dict[str, pa.Array]
    extra: dict[str, pa.Array] = field(default_factory=dict)

    def value(self, name: str, i: int) -> object:
        v = self.cols[name][i].as_py()
        return v.isoformat() if hasattr(v, "isoformat") else v


@dataclass(frozen=True)
class Context:
    """What rules need beyond the batch: the file, the stored maps and the `--map` default."""

    file: str
    maps: MapIndex
    default_map: str | None


Shaper = Callable[[Batch, Context], tuple[list[Rule], dict[str, pa.Array]]]
"""Per kind: the row rules of a converted batch, and (if it passes) its staging columns."""


def check_batch(
    kind: Kind, raw: pa.RecordBatch, offset: int, ctx: Context, shaper: Shaper
) -> pa.Table:
    """The staging block for a batch, or ImportRejected naming its first bad row and column."""
    names = set(kind.names)
    if not kind.open_columns:
        for name in raw.schema.names:
            if name not in names:
                col = raw.column(name)
                first = pc.index(pc.is_valid(col), True).as_py()
                row = offset + first + 1 if first >= 0 else None
                raise ImportRejected(ctx.file, row, name, f"unknown column for {kind.name}")
    batch, failure = _convert(kind, raw)
    if failure is not None:
        index, column, reason = failure
        if index > 0:  # an earlier row may break a rule: report the first bad row of the file
            check_batch(kind, raw.slice(0, index), offset, ctx, shaper)
        raise ImportRejected(ctx.file, offset + index + 1, column, reason)
    rules, staged = shaper(batch, ctx)
    missing = [_missing(batch, col.name) for col in kind.columns if col.required]
    _raise_first(ctx, offset, missing + rules)
    n = raw.num_rows
    staged = {"row_no": pa.array(range(offset + 1, offset + n + 1), pa.int64()), **staged}
    return pa.table(staged)


def _convert(kind: Kind, raw: pa.RecordBatch) -> tuple[Batch, tuple[int, str, str] | None]:
    cols: dict[str, pa.Array] = {}
    failure: tuple[int, str, str] | None = None
    for col in kind.columns:
        if col.name not in raw.schema.names:
            cols[col.name] = pa.nulls(raw.num_rows, NULLS[col.type])
            continue
        try:
            cols[col.name] = convert(_array(raw.column(col.name)), col.type)
        except BadValue as bad:
            if failure is None or bad.index < failure[0]:
                failure = (bad.index, col.name, bad.reason)
    known = set(kind.names)
    extra = {n: _array(raw.column(n)) for n in raw.schema.names if n not in known}
    return Batch(cols, extra), failure


def _array(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _missing(batch: Batch, name: str) -> Rule:
    return Rule(name, pc.is_null(batch.cols[name]), lambda _i: "missing value")


def _raise_first(ctx: Context, offset: int, rules: list[Rule]) -> None:
    best: tuple[int, Rule] | None = None
    for rule in rules:
        i = pc.index(pc.fill_null(rule.bad, False), True).as_py()
        if i >= 0 and (best is None or i < best[0]):
            best = (i, rule)
    if best is not None:
        i, rule = best
        raise ImportRejected(ctx.file, offset + i + 1, rule.column, rule.reason(i))
