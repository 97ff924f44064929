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
class Fold:
    """What the folds of one append learned so far, so a later block of it skips a lookup."""

    members: pa.Array | None = None
    """The (contact, map) pairs of which `_jm_mk` holds the member with its current cohort
    attributes (`_pairs`); None: not known, a block looks its members up."""
    keyed: set[tuple[Any, str, Any]] = field(default_factory=set)
    """(map, kind, name) that have a key, read for the maps in `keyed_maps`."""
    keyed_maps: set[Any] = field(default_factory=set)


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
        maps = sorted({m for m, _, _ in wanted if m is not None} - fold.keyed_maps)
        if maps:  # read once per append until a fold makes keys
            rows = con.execute(_sql("summary_keys_of_maps"), {"maps": maps}).fetchall()
            fold.keyed.update(tuple(row) for row in rows)
            fold.keyed_maps.update(maps)
        return not wanted.issubset(fold.keyed)

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

FOLD_GUARDS: dict[str, Guard] = {"summary_when_members": _unlooked}
"""Guards answered only from what the append's earlier folds did (no SQL file): without an Arrow
block at hand their step always runs."""


def forget_keys(fold: Fold, _block: pa.Table | None) -> None:
    """Keys were made: the names read before no longer tell which have one."""
    fold.keyed.clear()
    fold.keyed_maps.clear()


def forget_members(fold: Fold, _block: pa.Table | None) -> None:
    """`_jm_mk` was looked up again, or members' attributes changed beside it."""
    fold.members = None


def looked_up(fold: Fold, block: pa.Table | None) -> None:
    """`_jm_mk` now holds every member of the block (found or made), current."""
    if fold.members is None and block is not None:
        fold.members = _pairs(block)
