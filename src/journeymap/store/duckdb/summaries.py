"""Report summaries: per-member tables kept current inside every append, rebuildable from facts."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

SUMMARY_TABLES: tuple[str, ...] = ("rs_member", "rs_visit", "rs_link", "rs_goal", "rs_email")
"""The summary tables, all derived from the fact tables and never written by anything else."""

MAINTENANCE: dict[str, tuple[str, ...]] = {
    "transitions": ("summary_members", "summary_transitions"),
    "achievements": ("summary_members", "summary_achievements"),
    "email_events": ("summary_members", "summary_email_events"),
    "contacts": ("summary_contacts",),
    "purchases": ("summary_purchases",),
}
"""Per fact table, the SQL files that fold an appended block (`_jm_block`) into the summaries."""

REBUILD_FROM: tuple[str, ...] = ("transitions", "achievements", "email_events")
"""Fact tables replayed whole on rebuild; members take contacts' UTM and spend as they stand."""

BLOCK = "_jm_block"
"""The name under which the appended block is visible to the maintenance SQL."""


@cache
def _sql(name: str) -> str:
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    return folder.joinpath(f"{name}.sql").read_text("utf-8")


def install(con: Any) -> None:
    """Create the summary tables and the cohort macro when missing."""
    con.execute(_sql("summary_schema"))


def maintain(con: Any, table: str) -> None:
    """Fold the block just appended to `table` (registered as `_jm_block`) into the summaries."""
    for name in MAINTENANCE.get(table, ()):
        con.execute(_sql(name))


def rebuild(con: Any) -> None:
    """Recompute every summary from the facts (the caller holds a transaction)."""
    con.execute(_sql("summary_reset"))
    for table in REBUILD_FROM:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {BLOCK} AS SELECT * FROM {table}")
        try:
            maintain(con, table)
        finally:
            con.execute(f"DROP VIEW IF EXISTS {BLOCK}")
