"""Guards of the summary folds answered from the appended Arrow block instead of a SQL count."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

Guard = Callable[[Any, pa.Table], bool]
"""Whether a fold has anything to do, from the connection and the block (True: run it)."""


@cache
def _sql(name: str) -> str:
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    return folder.joinpath(f"{name}.sql").read_text("utf-8")


def _text(block: pa.Table, column: str) -> pa.ChunkedArray:
    return block.column(column).cast(pa.string())


def _enters(_con: Any, block: pa.Table) -> bool:
    return bool(pc.any(pc.equal(_text(block, "kind"), "enter")).as_py())


def _links(_con: Any, block: pa.Table) -> bool:
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

    def guard(con: Any, block: pa.Table) -> bool:
        wanted = _names(block, named)
        if not wanted:
            return False
        maps = sorted({m for m, _, _ in wanted if m is not None})
        known = {
            tuple(row)
            for row in con.execute(_sql("summary_keys_of_maps"), {"maps": maps}).fetchall()
        }
        return not wanted.issubset(known)

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
