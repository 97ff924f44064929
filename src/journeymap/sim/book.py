"""Contacts' planned steps kept packed until their hour comes: a few dozen bytes per step in one
byte array per hour, so the simulator's memory follows the steps still ahead, not the contacts
arrived, and the heap holds only the current hour's steps."""

from __future__ import annotations

import struct
from decimal import Decimal

SPAN = 3600.0
"""Seconds of simulated time per array: steps are unpacked an hour at a time."""

_RECORD = struct.Struct("<dIIBIBq")
"""A packed step: time, contact number, index in its plan, kind, main setting, second setting
as (how it is packed, value)."""

Record = tuple[float, int, int, int, int, int, int]
"""An unpacked step; ordered by (time, contact number, index in the plan), which is unique."""

_OBJECT, _CENTS = 0, 1
"""How a second setting is packed: an index into the interned values, or a money amount in
cents."""


class PlanBook:
    """Planned steps by the hour they fall in, with the settings they name interned."""

    def __init__(self) -> None:
        self._hours: dict[int, bytearray] = {}
        self._values: list[object] = [None]
        self._index: dict[object, int] = {_key(None): 0}
        self._last = -1

    def record(self, at: float, number: int, index: int, kind: str, a: object, b: object) -> Record:
        """Step `index` of contact `number`'s plan, its settings interned."""
        if isinstance(b, Decimal) and _in_cents(b):
            how, value = _CENTS, int(b.scaleb(2))
        else:
            how, value = _OBJECT, self._intern(b)
        return (at, number, index, self._intern(kind), self._intern(a), how, value)

    def keep(self, record: Record) -> None:
        """Pack a step away until its hour is taken."""
        hour = int(record[0] // SPAN)
        packed = self._hours.get(hour)
        if packed is None:
            packed = self._hours[hour] = bytearray()
        packed += _RECORD.pack(*record)
        self._last = max(self._last, hour)

    def take(self, hour: int) -> list[Record]:
        """The steps of an hour, in order (and let go of them)."""
        packed = self._hours.pop(hour, None)
        return [] if packed is None else sorted(_RECORD.iter_unpack(packed))

    def last_hour(self) -> int:
        """The latest hour a step was kept for (-1: none); hours up to it may be empty."""
        return self._last

    def step(self, record: Record) -> tuple[str, str | None, object]:
        """A step's kind and settings, as planned."""
        _at, _number, _index, kind, a, how, value = record
        values = self._values
        main = values[a]
        b = Decimal(value).scaleb(-2) if how == _CENTS else values[value]
        return str(values[kind]), None if main is None else str(main), b

    def _intern(self, value: object) -> int:
        key = _key(value)
        at = self._index.get(key)
        if at is None:
            at = self._index[key] = len(self._values)
            self._values.append(value)
        return at


def _key(value: object) -> object:
    """A hashable key standing for a setting (a UTM dict by its items)."""
    if isinstance(value, dict):
        return (dict, tuple(sorted(value.items())))
    return (type(value), value)


def _in_cents(amount: Decimal) -> bool:
    """Whether an amount is packed exactly as cents (two decimals, fits 64 bits)."""
    exponent = amount.as_tuple().exponent
    return exponent == -2 and abs(amount) < 10**16
