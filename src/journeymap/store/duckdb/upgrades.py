"""Stores made by older versions, brought up to date when they open: each upgrade runs once.

An upgrade is a SQL file run when its guard finds the old layout; it moves facts, so every
summary is rebuilt from the facts in the same transaction.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

UPGRADES: dict[str, str] = {
    "upgrade_email_deliveries": (
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'email_deliveries'"
    ),
}
"""Each upgrade's SQL file (queries/), and the count that is not zero when the store needs it."""


def pending(con: Any) -> list[str]:
    """The upgrades this store needs, in order."""
    return [name for name, guard in UPGRADES.items() if con.execute(guard).fetchall()[0][0]]


def apply(con: Any, names: list[str]) -> None:
    """Run the upgrades named (the caller holds a transaction)."""
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    for name in names:
        con.execute(folder.joinpath(f"{name}.sql").read_text("utf-8"))
