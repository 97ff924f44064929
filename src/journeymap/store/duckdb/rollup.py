"""The flow rollup: report_elements' and report_connectors' sums per map, element or connector,
first-touch UTM codes and UTC day of first entry (rs_flow), kept exact beside the summaries.

An append that folds contacts or transitions takes, before its folds, the shares of rs_flow that
its contacts' members' rows of rs_visit and rs_link hold, and after them adds what those rows
hold then less what they held (two statements); a rebuild computes it whole; an import wraps the
summaries of the members it makes the same way (importer/writing.py). A report without a
last-touch filter reads whole UTC days from it and the edge days of a range from the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

FOLDED: frozenset[str] = frozenset({"contacts", "transitions"})
"""The fact tables whose folds change rs_visit or rs_link (and so rs_flow)."""

UPGRADE = (5, 6)
"""Summary layouts without and with the rollup: a store of the first (the same summaries but
rs_flow) gets it built from rs_visit and rs_link when it opens, and the second."""


@cache
def _sql(name: str) -> str:
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    return folder.joinpath(f"{name}.sql").read_text("utf-8")


def upgrade(con: Any) -> int:
    """Build rs_flow in a store of the layout before it (`UPGRADE`) and move the layout on, in
    one transaction, its other summaries kept; the layout it has now."""
    con.execute("BEGIN TRANSACTION")
    con.execute(_sql("rollup_schema"))
    con.execute(_sql("rollup_build"))
    con.execute(f"UPDATE rs_layout SET v = {UPGRADE[1]}")
    con.execute("COMMIT")
    return UPGRADE[1]


def rebuild(con: Any) -> None:
    """Recompute rs_flow from rs_visit and rs_link (the caller holds a transaction)."""
    con.execute(_sql("rollup_build"))


@contextmanager
def kept(con: Any, contacts: Iterable[Any] | None) -> Iterator[None]:
    """Keep rs_flow exact over the folds run inside, which touch only the members of `contacts`
    (ids, repeats and None allowed; None for the list: those of `_jm_block`, a block folded
    from SQL)."""
    if contacts is None:
        ids = con.execute(_sql("rollup_ids")).fetchall()[0][0]
    else:
        ids = sorted({str(c) for c in contacts if c is not None})
    if not ids:
        yield
        return
    con.execute(_sql("rollup_before"), {"ids": ids})
    yield
    con.execute(_sql("rollup_after"), {"ids": ids})
