"""Imported visits summed per chain: arrivals and departures per element, moves per connector.

The shaper hands over each chunk's arrivals and departures (import_arrivals, import_departures
rows); they are summed here with numpy sorts instead of a database GROUP BY over every touch. A
chain's touches may span two chunks (its exit comes with the next chain's first visit), so the
touches of the chunk's last chain wait for the next chunk, and the final call sums what is left.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]

TIME = pa.timestamp("us", tz="UTC")
MISSING = -1
"""A connector code or time that is not there (codes and sequence numbers are never negative)."""


class TouchSums:
    """Per chain and element: first arrival (seq, time), last arrival, arrivals, last departure and
    departures along a connector; per chain and connector: moves."""

    def __init__(self, elements: int, connectors: int) -> None:
        self.elements = max(elements, 1)
        self.connectors = max(connectors, 1)
        self._arrivals: list[Ints] = []  # rows: chain, ek, seq, occurred_at (epoch us)
        self._departures: list[Ints] = []  # rows: chain, ek, seq, ck (MISSING: none)

    def add(
        self, arrivals: pa.Table | None, departures: pa.Table | None, *, final: bool = False
    ) -> dict[str, pa.Table]:
        """Take one chunk's touches; the sums of the chains no later chunk can touch."""
        if arrivals is not None and arrivals.num_rows:
            self._arrivals.append(_matrix(arrivals, ("chain", "ek", "seq", "occurred_at")))
        if departures is not None and departures.num_rows:
            self._departures.append(_matrix(departures, ("chain", "ek", "seq", "ck")))
        arr, dep = _stack(self._arrivals), _stack(self._departures)
        if final:
            cut = np.iinfo(np.int64).max
        elif arrivals is not None and arrivals.num_rows:
            cut = int(arr[-1, 0])  # chains only grow: the chunk's last chain may go on
        else:
            return {}
        keep_a, keep_d = arr[:, 0] >= cut, dep[:, 0] >= cut
        self._arrivals = [arr[keep_a]] if keep_a.any() else []
        self._departures = [dep[keep_d]] if keep_d.any() else []
        return self._sums(arr[~keep_a], dep[~keep_d])

    def _sums(self, arr: Ints, dep: Ints) -> dict[str, pa.Table]:
        w = self.elements
        a_key, a_first, a_last, a_count = _runs(arr[:, 0] * w + arr[:, 1], arr[:, 2])
        d_key, _, d_last, _ = _runs(dep[:, 0] * w + dep[:, 1], dep[:, 2])
        along = dep[:, 3] != MISSING
        keys = np.union1d(a_key, d_key)
        n = len(keys)
        ia, idp = np.searchsorted(keys, a_key), np.searchsorted(keys, d_key)
        first_seq = np.full(n, MISSING)
        first_at = np.full(n, MISSING)
        last_arrival = np.full(n, MISSING)
        visits = np.zeros(n, np.int64)
        last_departure = np.full(n, MISSING)
        first_seq[ia] = arr[a_first, 2]
        first_at[ia] = arr[a_first, 3]
        last_arrival[ia] = arr[a_last, 2]
        visits[ia] = a_count
        last_departure[idp] = dep[d_last, 2]
        departed = np.searchsorted(keys, dep[along, 0] * w + dep[along, 1])
        connector_departures = np.bincount(departed, minlength=n).astype(np.int64)
        link_keys, moves = np.unique(dep[along, 0] * self.connectors + dep[along, 3],
                                     return_counts=True)  # fmt: skip
        return {
            "import_visit_sums": pa.table(
                {
                    "chain": pa.array(keys // w),
                    "ek": pa.array(keys % w),
                    "first_seq": _maybe(first_seq),
                    "first_at": _maybe(first_at).cast(TIME),
                    "last_arrival_seq": _maybe(last_arrival),
                    "visits": pa.array(visits),
                    "last_departure_seq": _maybe(last_departure),
                    "connector_departures": pa.array(connector_departures),
                }
            ),
            "import_link_sums": pa.table(
                {
                    "chain": pa.array(link_keys // self.connectors),
                    "ck": pa.array(link_keys % self.connectors),
                    "moves": pa.array(moves.astype(np.int64)),
                }
            ),
        }


def _runs(keys: Ints, seqs: Ints) -> tuple[Ints, Ints, Ints, Ints]:
    """Per distinct key: the key, the rows of its smallest and largest seq, and its row count."""
    order = np.lexsort((seqs, keys))
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.diff(sorted_keys, prepend=-1))
    ends = np.append(starts[1:], len(order))[: len(starts)] - 1
    return sorted_keys[starts], order[starts], order[ends], ends - starts + 1


def _matrix(table: pa.Table, columns: tuple[str, ...]) -> Ints:
    """The columns as one int64 matrix (times as epoch microseconds, nulls as MISSING)."""
    cols = []
    for name in columns:
        col = table[name]
        if pa.types.is_timestamp(col.type):
            col = pc.cast(col, pa.int64())
        cols.append(np.asarray(pc.fill_null(col, MISSING).to_numpy(), dtype=np.int64))
    return np.column_stack(cols)


def _stack(parts: list[Ints]) -> Ints:
    return np.concatenate(parts) if parts else np.empty((0, 4), np.int64)


def _maybe(values: Ints) -> pa.Array:
    return pa.array(values, pa.int64(), mask=values == MISSING)
