"""Report summaries: per-member tables kept current inside every append, rebuildable from facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pyarrow as pa

from journeymap.store.duckdb import rollup
from journeymap.store.duckdb.guards import (
    BLOCK_GUARDS,
    FOLD_GUARDS,
    Effect,
    Fold,
    begun_waits,
    coded,
    forget_keys,
    forget_members,
    looked_up,
)
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import STAYS_ONLY

SUMMARY_TABLES: tuple[str, ...] = (
    "rs_member",
    "rs_visit",
    "rs_link",
    "rs_goal",
    "rs_email",
    "rs_delivery",
    "rs_stay",
    "delivery_queue",
    "rs_page",
    "rs_page_url",
    "rs_visitor",
    "rs_flow",
)
"""The per-member summary tables (and the channels' delivery queue), all derived from the fact
tables and never written otherwise."""

LAYOUT = 6
"""The summary layout version; a store with another one drops its summaries and rebuilds them
(but one of layout 5, the flow rollup aside, gets only that: rollup.upgrade)."""


@dataclass(frozen=True)
class Step:
    """One maintenance SQL file, run only when its guard query (a count) is not zero."""

    sql: str
    when: str | tuple[str, ...] | None = None
    """Guards (counts), each asked in turn: the step runs when every one finds work."""
    after: tuple[str, ...] = ()
    """Steps of which one must have run in the same block (they write what this step reads)."""
    also: tuple[str, ...] = ()
    """Further SQL files run after `sql` under the same guard (it reads what none of them write)."""
    effect: Effect | None = None
    """What running it changes in what the append's later folds may reuse (guards.Fold)."""
    counts: str | None = None
    """A guard that counts the rows its last statement makes (a CREATE TABLE AS, which returns
    that count): a later step of the same block guarded by it runs no count of its own."""


_KEYS = Step("summary_keys_elements", "summary_when_keys_elements", effect=forget_keys)
_LOOKUP = Step("summary_members", "summary_when_members", effect=forget_members)
"""The members of the block's pairs into `_jm_mk`, unless an earlier block of the same append
left every one of them there (the transitions' lookup serves their waits and achievements)."""
_MEMBERS = (_LOOKUP, Step("summary_members_new", "summary_when_new", ("summary_members",)))
_CARRY = Step(
    "summary_carry", "summary_when_carry", ("summary_contacts_apply",), ("summary_carry_stays",)
)
_APPLY = Step(
    "summary_contacts_apply",
    "summary_when_touched",
    effect=forget_members,
    counts="summary_when_carry",
)

MAINTENANCE: dict[str, tuple[Step, ...]] = {
    "transitions": (
        Step("summary_keys_transitions", "summary_when_keys_transitions", effect=forget_keys),
        Step("summary_members_enter", effect=forget_members),
        Step(
            "summary_cohort",
            ("summary_when_enters", "summary_when_moved"),
            also=("summary_carry", "summary_carry_stays"),
        ),
        Step("summary_transitions", effect=looked_up),
        Step("summary_links", "summary_when_links"),
        Step("summary_stays_fold"),
    ),
    STAYS_ONLY: (_LOOKUP, Step("summary_stays_fold")),
    "waits": (_LOOKUP, Step("summary_stays_waits")),
    "achievements": (
        Step("summary_keys_achievements", "summary_when_keys_achievements", effect=forget_keys),
        *_MEMBERS,
        Step("summary_achievements", effect=looked_up),
    ),
    "email_events": (_KEYS, *_MEMBERS, Step("summary_email_events", effect=looked_up)),
    "deliveries": (_KEYS, *_MEMBERS, Step("summary_deliveries", effect=looked_up)),
    "delivery_attempts": (
        _KEYS,
        *_MEMBERS,
        Step("summary_delivery_attempts", effect=looked_up),
        Step("summary_delivery_reopened", "summary_when_reopened"),
        Step("summary_delivery_queue"),
    ),
    "contacts": (
        Step("summary_utm", "summary_when_utm", effect=coded),
        Step("summary_contacts", counts="summary_when_touched"),
        _APPLY,  # rs_member's UTM codes change beside `_jm_mk`: a later block looks them up
        _CARRY,
    ),
    "purchases": (Step("summary_purchases"),),
    "page_visits": (Step("summary_page_keys"), Step("summary_page_visits")),
}
"""Per fact table, the SQL files that fold an appended block (`_jm_block`) into the summaries,
each skipped when its guard counts nothing to do."""

REBUILD_FROM: tuple[str, ...] = (
    "transitions",
    "achievements",
    "email_events",
    "deliveries",
    "delivery_attempts",
    "page_visits",
    "waits",
)
"""Fact tables replayed whole on rebuild; members take contacts' UTM and spend as they stand."""

BLOCK = "_jm_block"
"""The name under which the appended block is visible to the maintenance SQL."""

WAITS = "_jm_waits"
"""The name under which an append's waits are visible to the stays fold of its transitions."""


@cache
def _sql(name: str) -> str:
    folder = resources.files("journeymap.store.duckdb").joinpath("queries")
    return folder.joinpath(f"{name}.sql").read_text("utf-8")


def _layout(con: Any) -> int | None:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rs_layout'"
    ).fetchall()
    if not found[0][0]:
        return None
    value = con.execute("SELECT max(v) FROM rs_layout").fetchall()[0][0]
    return None if value is None else int(value)


def install(con: Any) -> None:
    """Create the summary tables and macros; rebuild summaries kept in an older layout."""
    old = _layout(con)
    if old == rollup.UPGRADE[0]:
        old = rollup.upgrade(con)
    stale = old != LAYOUT and bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('rs_member', 'rs_visit')"
        ).fetchall()[0][0]
    )
    if stale:
        con.execute("BEGIN TRANSACTION")
        for table in (*SUMMARY_TABLES, "rs_key", "rs_layout"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(_sql("summary_live"))
    con.execute(_sql("summary_schema"))
    con.execute(_sql("summary_credit"))
    con.execute(_sql("summary_stays"))
    con.execute(_sql("summary_page_schema"))
    con.execute(_sql("rollup_schema"))
    con.execute("CREATE TABLE IF NOT EXISTS rs_layout (v INTEGER NOT NULL)")
    if old != LAYOUT:
        con.execute("DELETE FROM rs_layout")
        con.execute(f"INSERT INTO rs_layout VALUES ({LAYOUT})")
    if stale:
        rebuild(con)
        con.execute("COMMIT")


def _needed(con: Any, when: str, block: pa.Table | None, fold: Fold, made: dict[str, int]) -> bool:
    """Whether the guard `when` finds work: from the rows an earlier step of the block made
    (`made`, by the guard that counts them) or on the Arrow block where it can (no statement)."""
    if when in made:
        return made[when] > 0
    if when in FOLD_GUARDS:
        return block is None or FOLD_GUARDS[when](con, block, fold)
    guard = BLOCK_GUARDS.get(when) if block is not None else None
    if guard is not None and block is not None:
        return guard(con, block, fold)
    return bool(con.execute(_sql(when)).fetchall()[0][0])


def fold_ahead(con: Any, batch: FactBatch, fold: Fold) -> dict[str, pa.Table]:
    """Let the stays fold of the batch's transitions take its waits too, when each wait is begun
    by one of those transitions (one statement fewer): the waits block is registered as
    `_jm_waits` and noted in `fold.ahead`. The two blocks as Arrow tables, when the batch has
    both (the append inserts them as they are)."""
    if "transitions" not in batch.rows or "waits" not in batch.rows:
        return {}
    both = FactBatch({t: batch.rows[t] for t in ("transitions", "waits")})
    blocks = {t: pa.table(columns) for t, columns in both.blocks()}
    if len(blocks) == 2 and begun_waits(blocks["transitions"], blocks["waits"]):
        con.register(WAITS, blocks["waits"])
        fold.ahead["waits"] = WAITS
    return blocks


def maintain(con: Any, table: str, block: pa.Table | None = None, fold: Fold | None = None) -> None:
    """Fold the block just appended to `table` (registered as `_jm_block`, and given as `block`
    when it is an Arrow table) into the summaries; `fold` carries what earlier blocks of the
    same append (in the same transaction) looked up."""
    fold = Fold() if fold is None else fold
    if table in fold.ahead:
        return  # an earlier block's fold took it in
    ran: set[str] = set()
    made: dict[str, int] = {}
    for step in MAINTENANCE.get(table, ()):
        if step.after and not ran.intersection(step.after):
            continue
        guards = (step.when,) if isinstance(step.when, str) else step.when or ()
        if not all(_needed(con, when, block, fold, made) for when in guards):
            continue
        for name in (step.sql, *step.also):
            result = con.execute(_sql(name))
            ran.add(name)
        if step.counts is not None:
            made[step.counts] = int(result.fetchone()[0])
        if step.effect is not None:
            step.effect(fold, block)


def rebuild(con: Any) -> None:
    """Recompute every summary from the facts (the caller holds a transaction)."""
    con.execute(_sql("summary_reset"))
    con.execute(f"CREATE OR REPLACE TEMP VIEW {BLOCK} AS SELECT * FROM contacts")
    try:
        con.execute(_sql("summary_utm"))
    finally:
        con.execute(f"DROP VIEW IF EXISTS {BLOCK}")
    for table in REBUILD_FROM:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {BLOCK} AS SELECT * FROM {table}")
        try:
            maintain(con, table)
        finally:
            con.execute(f"DROP VIEW IF EXISTS {BLOCK}")
    con.execute(_sql("summary_cluster"))
    con.execute(_sql("summary_cluster_stays"))
    rollup.rebuild(con)
