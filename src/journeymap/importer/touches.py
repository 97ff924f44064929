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
        self._arrivals: list[Columns] = []  # chain, ek, seq, occurred_at (epoch us)
        self._departures: list[Columns] = []  # chain, ek, seq, ck (MISSING: none)

    def add(
        self, arrivals: pa.Table | None, departures: pa.Table | None, *, final: bool = False
    ) -> dict[str, pa.Table]:
        """Take one chunk's touches; the sums of the chains no later chunk can touch."""
        if arrivals is not None and arrivals.num_rows:
            self._arrivals.append(_columns(arrivals, ("chain", "ek", "seq", "occurred_at")))
        if departures is not None and departures.num_rows:
            self._departures.append(_columns(departures, ("chain", "ek", "seq", "ck")))
        arr, dep = _stack(self._arrivals), _stack(self._departures)
        if final:
            cut = np.iinfo(np.int64).max
        elif arrivals is not None and arrivals.num_rows:
            cut = int(arr[0][-1])  # chains only grow: the chunk's last chain may go on
        else:
            return {}
        keep_a, keep_d = arr[0] >= cut, dep[0] >= cut
        self._arrivals = [_rows(arr, keep_a)] if keep_a.any() else []
        self._departures = [_rows(dep, keep_d)] if keep_d.any() else []
        return self._sums(_rows(arr, ~keep_a), _rows(dep, ~keep_d))

    def _sums(self, arr: Columns, dep: Columns) -> dict[str, pa.Table]:
        w = self.elements
        a_key, a_first, a_last, a_count = _runs(arr[0] * w + arr[1], arr[2])
        d_key, _, d_last, _ = _runs(dep[0] * w + dep[1], dep[2])
        along = dep[3] != MISSING
        keys = _distinct(np.concatenate([a_key, d_key]))
        n = len(keys)
        ia, idp = np.searchsorted(keys, a_key), np.searchsorted(keys, d_key)
        first_seq = np.full(n, MISSING)
        first_at = np.full(n, MISSING)
        last_arrival = np.full(n, MISSING)
        visits = np.zeros(n, np.int64)
        last_departure = np.full(n, MISSING)
        first_seq[ia] = arr[2][a_first]
        first_at[ia] = arr[3][a_first]
        last_arrival[ia] = arr[2][a_last]
        visits[ia] = a_count
        last_departure[idp] = dep[2][d_last]
        departed = np.searchsorted(keys, dep[0][along] * w + dep[1][along])
        connector_departures = np.bincount(departed, minlength=n).astype(np.int64)
        link_keys, _, _, moves = _runs(
            dep[0][along] * self.connectors + dep[3][along], dep[2][along]
        )
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
                    "moves": pa.array(moves),
                }
            ),
        }


Columns = tuple[Ints, Ints, Ints, Ints]


def _runs(keys: Ints, seqs: Ints) -> tuple[Ints, Ints, Ints, Ints]:
    """Per distinct key: the key, the rows of its smallest and largest seq, and its row count."""
    in_seq_order = len(seqs) < 2 or bool(np.all(seqs[1:] > seqs[:-1]))
    order = np.argsort(keys, kind="stable") if in_seq_order else np.lexsort((seqs, keys))
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.diff(sorted_keys, prepend=-1))
    ends = np.append(starts[1:], len(order))[: len(starts)] - 1
    return sorted_keys[starts], order[starts], order[ends], ends - starts + 1


def _distinct(keys: Ints) -> Ints:
    """The distinct keys, sorted (numpy's own unique hashes, far slower here)."""
    ordered: Ints = np.sort(keys)
    kept: Ints = ordered[np.diff(ordered, prepend=-1) != 0]
    return kept


def _columns(table: pa.Table, names: tuple[str, ...]) -> Columns:
    """The columns as int64 arrays (times as epoch microseconds, nulls as MISSING)."""
    out = []
    for name in names:
        col = table[name]
        if pa.types.is_timestamp(col.type):
            col = pc.cast(col, pa.int64())
        out.append(np.asarray(pc.fill_null(col, MISSING).to_numpy(), dtype=np.int64))
    return out[0], out[1], out[2], out[3]


def _stack(parts: list[Columns]) -> Columns:
    if len(parts) == 1:
        return parts[0]
    if not parts:
        empty = np.empty(0, np.int64)
        return empty, empty, empty, empty
    a, b, c, d = (np.concatenate([p[i] for p in parts]) for i in range(4))
    return a, b, c, d


def _rows(cols: Columns, which: npt.NDArray[np.bool_]) -> Columns:
    return cols[0][which], cols[1][which], cols[2][which], cols[3][which]


def _maybe(values: Ints) -> pa.Array:
    return pa.array(values, pa.int64(), mask=values == MISSING)
