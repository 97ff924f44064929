"""Guards of the summary folds answered from the appended Arrow block instead of a SQL count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class Known:
    """What committed summaries hold, kept between appends so a later one skips a look-up; the
    store forgets it all when a transaction rolls back or the summaries are rebuilt."""

    keyed: set[tuple[Any, str, Any]] = field(default_factory=set)
    """(map, kind, name) that have a key, read for the maps in `keyed_maps`."""
    keyed_maps: set[Any] = field(default_factory=set)
    utm: set[str] = field(default_factory=set)
    """UTM values that have a code in rs_utm."""

    def forget(self) -> None:
        """Nothing read before is trusted any more."""
        self.keyed.clear()
        self.keyed_maps.clear()
        self.utm.clear()


@dataclass
class Fold:
    """What the folds of one append learned so far, so a later block of it skips a lookup."""

    members: pa.Array | None = None
    """The (contact, map) pairs of which `_jm_mk` holds the member with its current cohort
    attributes (`_pairs`); None: not known, a block looks its members up."""
    known: Known = field(default_factory=Known)
    """What earlier appends (or this one) read of the keys and UTM codes."""
    ahead: dict[str, str] = field(default_factory=dict)
    """Tables whose block an earlier block's fold took in already, by the name the block is
    registered under (summaries.fold_ahead): their rows are inserted from it, not folded again."""


Guard = Callable[[Any, pa.Table, Fold], bool]
"""Whether a fold has anything to do, from the connection, the block and what the append's
earlier folds learned (True: run it)."""

Effect = Callable[[Fold, pa.Table | None], None]
"""What a fold step that ran changes in what the append knows."""


@cache
def _sql(name: str) -> str:
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    return folder.joinpath(f"{name}.sql").read_text("utf-8")


def _text(block: pa.Table, column: str) -> pa.ChunkedArray:
    return block.column(column).cast(pa.string())


def _pairs(block: pa.Table) -> pa.Array:
    """The block's distinct (contact, map) pairs with a map, each as one string."""
    joined = pc.binary_join_element_wise(_text(block, "contact_id"), _text(block, "map_id"), "\x1f")
    return pc.unique(pc.drop_null(joined).combine_chunks())


def _keys(block: pa.Table, columns: tuple[str, ...]) -> pa.ChunkedArray:
    """The block's rows as one string each of the given columns (NULL where one is NULL)."""
    return pc.binary_join_element_wise(*(_text(block, c) for c in columns), "\x1f")


def begun_waits(transitions: pa.Table, waits: pa.Table) -> bool:
    """Whether each wait of the block is begun by an arrival of the transitions block (same
    contact, map, element and sequence number) and no two waits name the same arrival: then the
    stays fold sets each one's due time on exactly the rows summary_stays_waits.sql would."""
    begun = _keys(waits, ("contact_id", "map_id", "element_id", "arrived_seq"))
    if begun.null_count or len(pc.unique(begun)) != len(begun):
        return False
    arrivals = pc.drop_null(_keys(transitions, ("contact_id", "map_id", "to_element", "seq")))
    return bool(pc.all(pc.is_in(begun, value_set=arrivals.combine_chunks())).as_py())


def _unlooked(_con: Any, block: pa.Table, fold: Fold) -> bool:
    """Whether the block has a pair whose member `_jm_mk` does not hold (current) yet."""
    if fold.members is None:
        return True
    return not pc.all(pc.is_in(_pairs(block), value_set=fold.members)).as_py()


def _enters(_con: Any, block: pa.Table, _fold: Fold) -> bool:
    return bool(pc.any(pc.equal(_text(block, "kind"), "enter")).as_py())


def _links(_con: Any, block: pa.Table, _fold: Fold) -> bool:
    return int(block.column("connector_id").null_count) < int(block.num_rows)


def _names(block: pa.Table, named: tuple[tuple[str, str], ...]) -> set[tuple[Any, str, Any]]:
    """The distinct (map, kind, name) of the block's named columns, names not NULL."""
    found: set[tuple[Any, str, Any]] = set()
    for column, kind in named:
        pairs = pa.table({"m": _text(block, "map_id"), "n": _text(block, column)})
        pairs = pairs.filter(pc.is_valid(pairs.column("n"))).group_by(["m", "n"]).aggregate([])
        maps, names = pairs.column("m").to_pylist(), pairs.column("n").to_pylist()
        found.update((m, kind, n) for m, n in zip(maps, names, strict=True))
    return found


def _unkeyed(named: tuple[tuple[str, str], ...]) -> Guard:
    """A guard true when a name of the block has no key in its map yet."""

    def guard(con: Any, block: pa.Table, fold: Fold) -> bool:
        wanted = _names(block, named)
        if not wanted:
            return False
        known = fold.known
        maps = sorted({m for m, _, _ in wanted if m is not None} - known.keyed_maps)
        if maps:  # read once until a fold makes keys
            rows = con.execute(_sql("summary_keys_of_maps"), {"maps": maps}).fetchall()
            known.keyed.update(tuple(row) for row in rows)
            known.keyed_maps.update(maps)
        return not wanted.issubset(known.keyed)

    return guard


BLOCK_GUARDS: dict[str, Guard] = {
    "summary_when_enters": _enters,
    "summary_when_links": _links,
    "summary_when_keys_transitions": _unkeyed(
        (("to_element", "element"), ("from_element", "element"), ("connector_id", "connector"))
    ),
    "summary_when_keys_achievements": _unkeyed(
        (("goal_id", "element"), ("from_element", "element"))
    ),
}
"""Per SQL guard that reads only the block (and keys), the same answer computed on the block."""

UTM_COLUMNS: tuple[str, ...] = tuple(
    f"{end}_utm_{part}"
    for end in ("first", "last")
    for part in ("source", "medium", "campaign", "content", "term")
)
"""A contacts block's UTM columns (summary_utm.sql gives each value a code)."""


def _utm_values(block: pa.Table) -> set[str]:
    """The block's distinct UTM values that take a code (not NULL, not empty)."""
    found: set[str] = set()
    for column in UTM_COLUMNS:
        found.update(v for v in pc.unique(_text(block, column)).to_pylist() if v)
    return found


def _uncoded(_con: Any, block: pa.Table, fold: Fold) -> bool:
    """Whether the contacts block has a UTM value not known to have a code."""
    return not _utm_values(block).issubset(fold.known.utm)


FOLD_GUARDS: dict[str, Guard] = {
    "summary_when_members": _unlooked,
    "summary_when_utm": _uncoded,
}
"""Guards answered only from what the append's earlier folds did (no SQL file): without an Arrow
block at hand their step always runs."""


def forget_keys(fold: Fold, _block: pa.Table | None) -> None:
    """Keys were made: the names read before no longer tell which have one."""
    fold.known.keyed.clear()
    fold.known.keyed_maps.clear()


def coded(fold: Fold, block: pa.Table | None) -> None:
    """Every UTM value of the contacts block has a code now."""
    if block is not None:
        fold.known.utm.update(_utm_values(block))


def forget_members(fold: Fold, _block: pa.Table | None) -> None:
    """`_jm_mk` was looked up again, or members' attributes changed beside it."""
    fold.members = None


def looked_up(fold: Fold, block: pa.Table | None) -> None:
    """`_jm_mk` now holds every member of the block (found or made), current."""
    if fold.members is None and block is not None:
        fold.members = _pairs(block)
