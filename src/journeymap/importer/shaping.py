"""Visits shaped into facts, chunk by chunk, with vectorized (numpy) arithmetic.

The staged visits come sorted by contact, map, entered_at and row number, so each contact's chain on
a map is a run of rows. Sequence numbers are a running sum over the rows (each visit takes a number
for its move, one more at a goal, and a chain's exit one after its last visit), which is what
numpy does well and what a database window over all rows does slowly. State carries from one
chunk to the next, so chunks may split a chain anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

KINDS = pa.array(["enter", "flow", "pull", "goto"], pa.string())
TIME = pa.timestamp("us", tz="UTC")

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Codes:
    """Element and connector names by the integer codes the staged visits carry."""

    elements: pa.Array
    """Element id by element code (codes are unique across maps)."""
    connector_keys: Ints
    """from code * number of elements + to code, sorted."""
    connector_codes: Ints
    """The connector code of each key."""
    connectors: pa.Array
    """Connector id by connector code."""


@dataclass
class Shaped:
    """What one chunk adds: fact rows for the fact tables, summary inputs for the staging tables."""

    facts: dict[str, pa.Table] = field(default_factory=dict)
    staged: dict[str, pa.Table] = field(default_factory=dict)


@dataclass
class _Carry:
    """The last row of the chunks so far, and the running counters."""

    seq: int
    contact: str | None = None
    map: str | None = None
    ek: int = -1
    element: str | None = None
    entry: int = -1
    chain: int = 0
    left: int | None = None
    entered: int | None = None
    achieved: int | None = None
    row_no: int = 0
    tie_eks: set[int] = field(default_factory=set)
    """Element codes of the trailing rows with the same entered_at (duplicates are dropped)."""


class ChainShaper:
    """Turns sorted chunks of staged visits into transitions, achievements, entries and the
    per-chain summary inputs; counts repeated visits dropped and finds the first achievement
    after the contact's next visit."""

    def __init__(self, codes: Codes, base_seq: int) -> None:
        self.codes = codes
        self.width = len(codes.elements)
        self.carry = _Carry(seq=base_seq)
        self.duplicates = 0
        self.after_next: tuple[int, int] | None = None
        """(row number, next visit's entered_at in epoch microseconds) of the first problem."""

    def shape(self, chunk: pa.Table) -> Shaped:
        """The facts of one chunk (columns as import_visits_chunk.sql selects them)."""
        chunk = self._drop_repeats(chunk)
        n = chunk.num_rows
        if n == 0:
            return Shaped()
        c = self.carry
        contact, mapc = _strings(chunk["contact_id"]), _strings(chunk["map_id"])
        ek, goal = _ints(chunk["ek"], -1), _flags(chunk["at_goal"])
        from_ek, from_ok = _ints(chunk["from_ek"], -1), _valid(chunk["from_ek"])
        entered, left, left_ok = (
            _ints(chunk["entered"], 0),
            _ints(chunk["left_us"], 0),
            _valid(chunk["left_us"]),
        )
        achieved, ach_ok = _ints(chunk["achieved"], 0), _valid(chunk["achieved"])
        first = ~self._same_as_previous(contact, mapc)
        stood = first & _valid(chunk["stood_element"])
        stood_ek, stood_entry = _ints(chunk["stood_ek"], -1), _ints(chunk["stood_entry"], -1)

        prev_ek = np.concatenate(([c.ek], ek[:-1]))
        source = np.where(
            first,
            np.where(stood, np.where(from_ok, from_ek, stood_ek), -1),
            np.where(from_ok, from_ek, prev_ek),
        )
        has_source = ~first | stood
        pre_exit = first & np.concatenate(([c.left is not None], left_ok[:-1]))
        total = c.seq + np.cumsum(pre_exit.astype(np.int64) + 1 + goal)
        move_seq = total - goal
        starts = np.maximum.accumulate(np.where(first, np.arange(n), -1))
        chain_entry = np.where(stood, stood_entry, move_seq)
        entry = np.where(starts >= 0, chain_entry[np.maximum(starts, 0)], c.entry)
        chain = c.chain + np.cumsum(first)
        match, ck = self._connectors(source, ek)
        kind = np.select([~has_source, match, goal], [0, 1, 2], 3)
        self._check_achievements(first, entered, achieved, ach_ok, _ints(chunk["row_no"], 0))

        names = _names(self.codes.elements, ek)
        from_names = pc.if_else(
            pa.array(has_source & (source < 0)),
            _strings(chunk["stood_element"]),
            _names(self.codes.elements, source),
        )
        occurred = _times(entered)
        moves = pa.table(
            {
                "seq": pa.array(move_seq),
                "contact_id": contact,
                "map_id": mapc,
                "entry_id": pa.array(entry),
                "from_element": from_names,
                "to_element": names,
                "connector_id": _names(self.codes.connectors, ck),
                "kind": pc.take(KINDS, pa.array(kind)),
                "occurred_at": occurred,
            }
        )
        exits, exit_touch = self._exits(pre_exit, total - 1 - goal, contact, mapc, ek, names,
                                        entry, left, chain)  # fmt: skip
        g = np.flatnonzero(goal)
        when = np.where(ach_ok, achieved, entered)
        e = np.flatnonzero(first & ~stood)
        f = np.flatnonzero(first)
        moved = np.flatnonzero(source >= 0)
        facts = {
            "transitions": pa.concat_tables([moves, exits]),
            "achievements": pa.table(
                {
                    "seq": pa.array(total[g]),
                    "contact_id": contact.take(g),
                    "map_id": mapc.take(g),
                    "goal_id": names.take(g),
                    "entry_id": pa.array(entry[g]),
                    "from_element": from_names.take(g),
                    "occurred_at": _times(when[g]),
                }
            ),
            "entries": pa.table(
                {
                    "entry_id": pa.array(move_seq[e]),
                    "map_id": mapc.take(e),
                    "contact_id": contact.take(e),
                    "element_id": names.take(e),
                    "occurred_at": occurred.take(e),
                }
            ),
        }
        staged = {
            "import_chains": pa.table(
                {
                    "chain": pa.array(chain[f]),
                    "contact_id": contact.take(f),
                    "map_id": mapc.take(f),
                    "cohort_at": occurred.take(f),
                    "stood": pa.array(stood[f]),
                }
            ),
            "import_arrivals": _touches(chain, ek, move_seq, occurred),
            "import_departures": pa.concat_tables(
                [
                    _touches(chain[moved], source[moved], move_seq[moved], ck=ck[moved]),
                    exit_touch,
                ]
            ),
            "import_goals": pa.table(
                {
                    "chain": pa.array(chain[g]),
                    "ek": pa.array(ek[g]),
                    "seq": pa.array(total[g]),
                    "occurred_at": _times(when[g]),
                    "from_ek": pa.array(source[g], mask=source[g] < 0),
                }
            ),
        }
        last = n - 1
        c.seq, c.contact, c.map = int(total[last]), str(contact[last]), str(mapc[last])
        c.ek, c.element = int(ek[last]), str(names[last])
        c.entry, c.chain = int(entry[last]), int(chain[last])
        c.left = int(left[last]) if left_ok[last] else None
        c.entered = int(entered[last])
        c.achieved = int(achieved[last]) if ach_ok[last] else None
        c.row_no = int(_ints(chunk["row_no"], 0)[last])
        return Shaped(facts, staged)

    def finish(self) -> Shaped:
        """The exit of the last chain, when its last visit has left_at."""
        c = self.carry
        if c.contact is None or c.left is None:
            return Shaped()
        c.seq += 1
        exits = pa.table(
            {
                "seq": pa.array([c.seq], pa.int64()),
                "contact_id": pa.array([c.contact]),
                "map_id": pa.array([c.map]),
                "entry_id": pa.array([c.entry], pa.int64()),
                "from_element": pa.array([c.element]),
                "to_element": pa.nulls(1, pa.string()),
                "connector_id": pa.nulls(1, pa.string()),
                "kind": pa.array(["exit"]),
                "occurred_at": _times(np.array([c.left], np.int64)),
            }
        )
        c.left = None
        touch = _touches(np.array([c.chain]), np.array([c.ek]), np.array([c.seq]))
        return Shaped({"transitions": exits}, {"import_departures": touch})

    def _drop_repeats(self, chunk: pa.Table) -> pa.Table:
        """Drop visits repeated in the file (same contact, map, element and entered_at)."""
        n, c = chunk.num_rows, self.carry
        if n == 0:
            return chunk
        ek, entered = _ints(chunk["ek"], -1), _ints(chunk["entered"], 0)
        same = self._same_as_previous(_strings(chunk["contact_id"]), _strings(chunk["map_id"]))
        before = np.concatenate(([-1 if c.entered is None else c.entered], entered[:-1]))
        tie = same & (entered == before)
        if not tie.any():
            c.tie_eks = {int(ek[-1])}
            return chunk
        group = np.cumsum(~tie)  # 0: rows still in the carried group of equal times
        drop = np.zeros(n, dtype=bool)
        seen = set(c.tie_eks)
        for i in np.flatnonzero(group == 0):
            drop[i] = int(ek[i]) in seen
            seen.add(int(ek[i]))
        rows = np.flatnonzero(np.isin(group, group[tie & (group > 0)]))
        _, firsts = np.unique(group[rows] * self.width + ek[rows], return_index=True)
        kept = np.zeros(len(rows), dtype=bool)
        kept[firsts] = True
        drop[rows[~kept]] = True
        tail = group == group[-1]
        c.tie_eks = seen if group[-1] == 0 else set(ek[tail & ~drop].tolist())
        self.duplicates += int(drop.sum())
        return chunk.filter(pa.array(~drop))

    def _same_as_previous(self, contact: pa.Array, mapc: pa.Array) -> Flags:
        """Per row: same contact and map as the row before (the carried one for the first)."""
        n = len(contact)
        same = np.empty(n, dtype=bool)
        if n > 1:
            both = pc.and_(
                pc.equal(contact.slice(1), contact.slice(0, n - 1)),
                pc.equal(mapc.slice(1), mapc.slice(0, n - 1)),
            )
            same[1:] = both.to_numpy(zero_copy_only=False)
        c = self.carry
        same[0] = contact[0].as_py() == c.contact and mapc[0].as_py() == c.map
        return same

    def _connectors(self, source: Ints, ek: Ints) -> tuple[Flags, Ints]:
        """Per move: whether a connector joins its source to its element, and that connector."""
        keys = self.codes.connector_keys
        if not len(keys):
            return np.zeros(len(ek), dtype=bool), np.full(len(ek), -1, dtype=np.int64)
        wanted = np.maximum(source, 0).astype(np.int64) * self.width + ek
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        match = (source >= 0) & (keys[at] == wanted)
        return match, np.where(match, self.codes.connector_codes[at], -1)

    def _check_achievements(
        self, first: Flags, entered: Ints, achieved: Ints, ach_ok: Flags, row_no: Ints
    ) -> None:
        """Remember the first goal achieved after the contact's next visit on the map."""
        late = np.flatnonzero(~first[1:] & ach_ok[:-1] & (achieved[:-1] > entered[1:]))
        found = [(int(row_no[i]), int(entered[i + 1])) for i in late[:1]]
        c = self.carry
        if not first[0] and c.achieved is not None and c.achieved > entered[0]:
            found.append((c.row_no, int(entered[0])))
        if self.after_next is not None:
            found.append(self.after_next)
        self.after_next = min(found) if found else None

    def _exits(
        self,
        pre_exit: Flags,
        seqs: Ints,
        contact: pa.Array,
        mapc: pa.Array,
        ek: Ints,
        names: pa.Array,
        entry: Ints,
        left: Ints,
        chain: Ints,
    ) -> tuple[pa.Table, pa.Table]:
        """The exits of the chains that end before a row of this chunk: at the previous row's
        left_at, from its element (the carried row for the chunk's first)."""
        at = np.flatnonzero(pre_exit)
        c = self.carry
        prev_contact = pa.concat_arrays([pa.array([c.contact], pa.string()), contact])
        prev_map = pa.concat_arrays([pa.array([c.map], pa.string()), mapc])
        prev_name = pa.concat_arrays([pa.array([c.element], pa.string()), names])
        n = len(at)
        exits = pa.table(
            {
                "seq": pa.array(seqs[at]),
                "contact_id": prev_contact.take(at),
                "map_id": prev_map.take(at),
                "entry_id": pa.array(np.concatenate(([c.entry], entry))[at]),
                "from_element": prev_name.take(at),
                "to_element": pa.nulls(n, pa.string()),
                "connector_id": pa.nulls(n, pa.string()),
                "kind": pa.array(["exit"] * n, pa.string()),
                "occurred_at": _times(np.concatenate(([c.left or 0], left))[at]),
            }
        )
        touch = _touches(
            np.concatenate(([c.chain], chain))[at], np.concatenate(([c.ek], ek))[at], seqs[at]
        )
        return exits, touch


def _touches(chain: Ints, ek: Ints, seq: Ints, at: pa.Array | None = None, *,
             ck: Ints | None = None) -> pa.Table:  # fmt: skip
    """Rows of import_arrivals (with `at`) or import_departures (with the connector code)."""
    cols: dict[str, pa.Array] = {
        "chain": pa.array(chain, pa.int64()),
        "ek": pa.array(ek, pa.int64()),
        "seq": pa.array(seq, pa.int64()),
    }
    if at is not None:
        cols["occurred_at"] = at
    else:
        codes = np.full(len(seq), -1, dtype=np.int64) if ck is None else ck
        cols["ck"] = pa.array(codes, pa.int64(), mask=codes < 0)
    return pa.table(cols)


def _strings(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return arr.cast(pa.string()) if pa.types.is_large_string(arr.type) else arr


def _ints(col: pa.ChunkedArray, missing: int) -> Ints:
    return np.asarray(pc.fill_null(col, missing).to_numpy(), dtype=np.int64)


def _flags(col: pa.ChunkedArray) -> Flags:
    return np.asarray(pc.fill_null(col, False).to_numpy(zero_copy_only=False), dtype=bool)


def _valid(col: pa.ChunkedArray) -> Flags:
    return np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), dtype=bool)


def _names(names: pa.Array, codes: Ints) -> pa.Array:
    """The names of the codes; null where a code is -1."""
    return pc.take(names, pa.array(np.maximum(codes, 0), mask=codes < 0))


def _times(micros: Ints) -> pa.Array:
    return pa.array(micros, pa.int64()).cast(TIME)
