"""The folds' guards answered on an appended Arrow block agree with their SQL counts."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.store.duckdb.guards import BLOCK_GUARDS, Fold
from test_engine_support import add, at, buy, end, form, goal, trigger, wait

MAPS = st.sampled_from(["life", "other", None])
ELEMENTS = st.sampled_from(["t", "w", "g", "e", "nowhere", None])
CONNECTORS = st.sampled_from(["c1", "c2", "c3", "elsewhere", None])
KINDS = st.sampled_from(["enter", "move", "exit"])
COLUMNS: dict[str, st.SearchStrategy[Any]] = {
    "map_id": MAPS,
    "kind": KINDS,
    "to_element": ELEMENTS,
    "from_element": ELEMENTS,
    "connector_id": CONNECTORS,
    "goal_id": ELEMENTS,
}
BLOCKS = st.lists(st.fixed_dictionaries(COLUMNS), max_size=6)


def _counted(con: Any, guard: str) -> bool:
    """The guard as the SQL file counts it."""
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    sql = folder.joinpath(f"{guard}.sql").read_text("utf-8")
    return bool(con.execute(sql).fetchall()[0][0])


def test_every_block_guard_agrees_with_its_sql_count(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "life",
        [trigger("t"), wait("w", duration="P1D"), goal("g"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "e")],
    )
    jm.track(form("a", at(0)))  # keys for life, t, w and c1 only
    con = jm.store._con  # the guards read the store's own connection
    keyed = {n for (n,) in con.execute("SELECT name FROM rs_key").fetchall()}
    assert keyed == {"life", "t", "w", "c1"}

    fold = Fold()  # what the guards read of the keys, kept while no fold makes any

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=BLOCKS)
    def agree(rows: list[dict[str, Any]]) -> None:
        block = pa.table({c: [r[c] for r in rows] for c in COLUMNS})
        con.register("_jm_block", block)
        try:
            for name, guard in BLOCK_GUARDS.items():
                assert guard(con, block, fold) == _counted(con, name), (name, rows)
        finally:
            con.unregister("_jm_block")

    agree()
    jm.track(buy("a", at(1)))  # every name of life has a key now
    fold = Fold()
    agree()
