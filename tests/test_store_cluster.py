"""`journeymap store init --cluster`: the cluster DDL parses on ClickHouse (chDB), applies there
with a cluster configured (but for what chDB cannot run: replication, which needs ClickHouse
Keeper, and ON CLUSTER, which needs Keeper's DDL queue), and lays every table out with the
single-server schema's columns, sorting and partitioning; bad names and URLs are refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.store import open_store
from journeymap.store.clickhouse.store import ClickHouseStore

runner = CliRunner()

TABLES = len(ClickHouseStore.tables)
WHOLE = {
    "maps",
    "map_drafts",
    "marketing_costs",
    "imports",
    "tokens",
    "token_revocations",
    "tracking_keys",
    "public_urls",
    "webhook_outbox",
    "webhook_keys",
    "intake_positions",
    "dead_letters",
    "engine_marks",
}
"""The small tables with no contact, kept whole on every server."""
STATEMENTS = 1 + 2 * TABLES - len(WHOLE)
"""The database, two tables per sharded table, one per table kept whole."""

CONFIG = """<clickhouse>
  <remote_servers>
    <jm>
      <shard><replica><host>localhost</host><port>9000</port></replica></shard>
      <shard><replica><host>localhost</host><port>9001</port></replica></shard>
    </jm>
  </remote_servers>
</clickhouse>
"""
"""A cluster of two shards, as a server's config.xml names one (chDB reads it at start)."""

APPLY = r"""
import json, re, sys
import chdb
from journeymap.store.clickhouse.store import schema, statements
folder, ddl = sys.argv[1], json.loads(sys.stdin.read())
con = chdb.connect(f"{folder}/data?config-file={folder}/config.xml")
cur = con.cursor()
for sql in ddl:
    # what chDB cannot run: ON CLUSTER (Keeper's DDL queue) and replication (Keeper)
    sql = sql.replace(" ON CLUSTER jm", "")
    sql = re.sub(r"ENGINE = Replicated(\w+)\('[^']*', '\{replica\}'\)", r"ENGINE = \1", sql)
    cur.execute(sql)
cur.execute("CREATE DATABASE single")
cur.execute("USE single")
for sql in statements(schema()):
    cur.execute(sql)
out = {}
for what, query in {
    "columns": "SELECT database, table, name, type FROM system.columns "
    "WHERE database IN ('shop', 'single') ORDER BY database, table, position",
    "tables": "SELECT database, name, engine, sorting_key, partition_key, engine_full "
    "FROM system.tables WHERE database IN ('shop', 'single')",
}.items():
    cur.execute(query)
    out[what] = [list(row) for row in cur.fetchall()]
print(json.dumps(out))
"""
"""Applies the DDL in a process of its own: chDB reads its config once per process."""


def _ddl(*args: str) -> list[str]:
    done = runner.invoke(app, ["store", "init", "--cluster", "jm", "--print", *args])
    assert done.exit_code == 0, done.output
    assert done.output.endswith(";\n")
    return done.output[:-2].split(";\n\n")


def test_the_printed_ddl_parses_on_clickhouse(tmp_path: Path) -> None:
    ddl = _ddl("--store", "clickhouse://jm:secret@db1.internal:8123/shop")
    assert len(ddl) == STATEMENTS
    assert ddl[0] == "CREATE DATABASE IF NOT EXISTS shop ON CLUSTER jm"
    store = open_store(f"chdb://{tmp_path / 'parse'}")
    try:
        for sql in ddl:
            (parsed,) = (
                store.transport.read(  # type: ignore[attr-defined]
                    "SELECT formatQuery({sql:String}) AS f", {"sql": sql}
                )
                .column("f")
                .to_pylist()
            )
            assert " ON CLUSTER jm" in parsed, sql
    finally:
        store.close()
    transitions = ddl.index(
        next(s for s in ddl if s.startswith("CREATE TABLE IF NOT EXISTS shop.transitions_local "))
    )
    assert ddl[transitions].splitlines()[-2:] == [
        "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', "
        "'{replica}')",
        "PARTITION BY toYYYYMM(occurred_at) ORDER BY (map_id, contact_id, seq)",
    ]
    maps = next(s for s in ddl if s.startswith("CREATE TABLE IF NOT EXISTS shop.maps "))
    assert maps.splitlines()[-2] == (
        "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', "
        "'{replica}')"
    )
    assert ddl[transitions + 1] == (
        "CREATE TABLE IF NOT EXISTS shop.transitions ON CLUSTER jm AS shop.transitions_local\n"
        "ENGINE = Distributed(jm, shop, transitions_local, cityHash64(contact_id))"
    )


def _applied(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "config.xml").write_text(CONFIG)
    ddl = _ddl("--store", "clickhouse://jm@db1.internal:8123/shop")
    done = subprocess.run(
        [sys.executable, "-c", APPLY, str(tmp_path)],
        input=json.dumps(ddl),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_the_cluster_tables_have_the_single_server_columns_sorting_and_partitions(
    tmp_path: Path,
) -> None:
    found = _applied(tmp_path)
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for db, t, name, kind in found["columns"]:
        columns.setdefault((db, t), []).append((name, kind))
    tables = {(db, t): rest for db, t, *rest in found["tables"]}
    single = sorted(t for db, t in tables if db == "single" and not t.startswith("jm_"))
    assert len(single) == TABLES
    assert set(single) >= WHOLE
    assert sorted(t for db, t in tables if db == "shop") == sorted(
        [*single, *(f"{t}_local" for t in single if t not in WHOLE)]
    )
    for t in WHOLE:  # one table of the same name and engine on every server, no Distributed
        assert columns["shop", t] == columns["single", t], t
        assert tables["shop", t][:3] == tables["single", t][:3], t
    shards: dict[str, str] = {}
    for t in set(single) - WHOLE:
        engine, sorting, partition, _ = tables["single", t]
        local_engine, local_sorting, local_partition, _ = tables["shop", f"{t}_local"]
        assert columns["shop", f"{t}_local"] == columns["single", t], t
        assert columns["shop", t] == columns["single", t], t
        assert (local_engine, local_sorting, local_partition) == (engine, sorting, partition), t
        dist_engine, _, _, full = tables["shop", t]
        assert dist_engine == "Distributed"
        shards[t] = full.removeprefix(f"Distributed('jm', 'shop', '{t}_local', ").removesuffix(")")
    # every table that names a contact keeps a contact's rows on one shard
    by_contact = sorted(t for t, key in shards.items() if key == "cityHash64(contact_id)")
    assert by_contact == sorted(
        t for t in single if ("contact_id", "String") in columns["single", t] and t not in WHOLE
    )
    assert shards["page_visits"] == "cityHash64(coalesce(contact_id, visitor_id))"
    assert shards["ingested_events"] == "cityHash64(event_id)"
    assert len(shards) == TABLES - len(WHOLE)
    assert {"transitions", "achievements", "contacts", "purchases"} <= set(by_contact)


def test_applying_on_chdb_without_the_cluster_names_the_statement(tmp_path: Path) -> None:
    done = runner.invoke(
        app, ["store", "init", "--cluster", "jm", "--store", f"chdb://{tmp_path / 'x'}"]
    )
    assert done.exit_code == 1
    assert "[cluster_ddl_failed]" in done.output
    assert (
        f"statement 1 of {STATEMENTS} (CREATE DATABASE IF NOT EXISTS journeymap ON CLUSTER "
        "jm) failed" in done.output
    )
    assert "0 ran before it" in done.output


def test_bad_names_and_stores_are_refused() -> None:
    bad = runner.invoke(app, ["store", "init", "--cluster", "jm; DROP TABLE x", "--print"])
    assert bad.exit_code == 1
    assert "[bad_cluster_name] cluster 'jm; DROP TABLE x'" in bad.output
    db = runner.invoke(
        app, ["store", "init", "--cluster", "jm", "--print", "--store", "clickhouse://h/1db"]
    )
    assert db.exit_code == 1
    assert "[bad_cluster_name] database '1db'" in db.output
    duck = runner.invoke(app, ["store", "init", "--cluster", "jm", "--store", "shop.duckdb"])
    assert duck.exit_code == 1
    assert "[bad_store_url] shop.duckdb: a cluster store is ClickHouse" in duck.output
