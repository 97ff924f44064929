"""Turning raw file columns into typed Arrow arrays, and finding the first value that will not."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

TIME = pa.timestamp("us", tz="UTC")
_ZONED = r"(Z|z|[+-]\d\d:?\d\d)$"
_FAILURES = (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError)

Convert = Callable[[pa.Array], pa.Array]


class BadValue(Exception):
    """A value that does not convert: its index in the batch and why."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason


def text(arr: pa.Array) -> pa.Array:
    """Strings with surrounding blanks trimmed; empty strings become null."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        if pa.types.is_null(arr.type) or pa.types.is_integer(arr.type) or _is_plain(arr.type):
            arr = arr.cast(pa.string())
        else:
            raise pa.ArrowTypeError(f"expected text, got {arr.type}")
    arr = pc.utf8_trim_whitespace(arr.cast(pa.string()))
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _is_plain(t: pa.DataType) -> bool:
    return bool(pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_decimal(t))


def time(arr: pa.Array) -> pa.Array:
    """UTC timestamps from ISO 8601 text (naive text is UTC) or from timestamp or date columns."""
    t = arr.type
    if pa.types.is_timestamp(t):
        return arr.cast(pa.timestamp("us", tz=t.tz or "UTC")).cast(TIME)
    if pa.types.is_date(t):
        return arr.cast(pa.timestamp("us")).cast(TIME)
    if pa.types.is_null(t):
        return arr.cast(TIME)
    s = text(arr)
    zoned = pc.match_substring_regex(s, _ZONED)
    none = pa.scalar(None, pa.string())
    with_zone = pc.cast(pc.if_else(zoned, s, none), TIME)
    naive = pc.cast(pc.if_else(zoned, none, s), pa.timestamp("us")).cast(TIME)
    return pc.if_else(zoned, with_zone, naive)


def date(arr: pa.Array) -> pa.Array:
    """Calendar dates from ISO text or from date or timestamp columns."""
    t = arr.type
    if pa.types.is_date32(t):
        return arr
    if pa.types.is_date(t) or pa.types.is_timestamp(t) or pa.types.is_null(t):
        return arr.cast(pa.date32())
    return pc.cast(text(arr), pa.date32())


def number(arr: pa.Array) -> pa.Array:
    """Finite float64 numbers from numeric columns or decimal text."""
    t = arr.type
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        out = arr.cast(pa.float64())
    elif pa.types.is_null(t):
        return arr.cast(pa.float64())
    else:
        out = pc.cast(text(arr), pa.float64())
    if pc.any(pc.invert(pc.is_finite(out))).as_py():
        raise pa.ArrowInvalid("not a finite number")
    return out


def tags(arr: pa.Array) -> pa.Array:
    """Lists of tags, from list columns or from text with tags separated by `;`."""
    if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
        return arr.cast(pa.list_(pa.string()))
    return pc.split_pattern(text(arr), ";")


CONVERTERS: dict[str, Convert] = {
    "text": text,
    "time": time,
    "date": date,
    "number": number,
    "tags": tags,
}
"""Column type name (as in kinds.Column.type) to its converter."""

EXPECTED: dict[str, str] = {
    "text": "text",
    "time": "an ISO 8601 time such as 2026-01-05T09:00:00Z",
    "date": "an ISO 8601 date such as 2026-01-05",
    "number": "a number",
    "tags": "a list of tags",
}


def convert(arr: pa.Array, type_name: str) -> pa.Array:
    """Convert a whole column, or raise BadValue naming the first value that does not convert."""
    fn = CONVERTERS[type_name]
    try:
        return fn(arr)
    except _FAILURES:
        pass
    lo, hi = 0, len(arr)  # the first failing index lies in [lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            fn(arr.slice(lo, mid - lo))
            lo = mid
        except _FAILURES:
            hi = mid
    value = arr[lo].as_py()
    raise BadValue(lo, f"{value!r} is not {EXPECTED[type_name]}")
