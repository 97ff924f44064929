"""Opening a ClickHouse store (chDB) runs the schema's statements only when the store holds
another schema's fingerprint or none: a store opened again runs none of them and still reports,
and a store installed from another schema gets this one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

import journeymap
from journeymap.clock import ManualClock
from journeymap.store.clickhouse import transport
from journeymap.store.clickhouse.store import INSTALLED, ClickHouseStore, schema, statements
from test_engine_support import T0, build_map, end, form, trigger, wait


class Counting:
    """A chDB transport that counts the statements run through it."""

    def __init__(self, inner: transport.ClientTransport) -> None:
        self.inner = inner
        self.where = inner.where
        self.home = inner.home
        self.exclusive = inner.exclusive
        self.commands: list[str] = []

    def command(self, sql: str) -> None:
        self.commands.append(sql)
        self.inner.command(sql)

    def read(self, sql: str, params: Any) -> pa.Table:
        return self.inner.read(sql, params)

    def close(self) -> None:
        self.inner.close()


def _open(folder: Path) -> tuple[ClickHouseStore, Counting]:
    link = Counting(transport.chdb(str(folder), create=True))
    return ClickHouseStore(link), link  # type: ignore[arg-type]


def _installed(store: ClickHouseStore) -> list[str]:
    found: list[str] = store.transport.read(INSTALLED, {}).column("comment").to_pylist()
    return found


def _figures(where: str) -> dict[str, Any]:
    """a and b enter; a's day at w ends after 1 day, b still waits at 1.5 days."""
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        jm.add_map(
            build_map(
                "m",
                [trigger("t"), wait("w", duration="P1D"), end("x")],
                [("k1", "t", "w", {}), ("k2", "w", "x", {})],
            )
        )
        jm.track(form("a", T0))
        jm.track(form("b", T0 + timedelta(hours=12)))
        jm.tick(T0 + timedelta(days=1, hours=1))
        flow = jm.report("contact-flow", map_id="m")
        stays = jm.report("bottlenecks", map_id="m").as_dict()
    return {
        "flow": {e.id: (e.were_here, e.here_now) for e in flow.elements},
        "dwell": {e["id"]: e["dwell_n"] for e in stays["elements"]},
    }


EXPECTED = {
    "flow": {"t": (2, 0), "w": (1, 1), "x": (0, 1)},
    "dwell": {"t": 2, "w": 1, "x": 0},
}


def test_a_store_opened_again_runs_no_schema_statement_and_still_reports(tmp_path: Path) -> None:
    first, link = _open(tmp_path / "store")
    first.close()
    assert link.commands[: len(statements(schema()))] == statements(schema())
    again, link = _open(tmp_path / "store")
    try:
        assert link.commands == []
    finally:
        again.close()
    assert _figures(f"chdb://{tmp_path / 'store'}") == EXPECTED


def test_a_store_installed_from_another_schema_gets_this_one(tmp_path: Path) -> None:
    """As a store left by an older version: a view it lacks, another fingerprint."""
    older, _ = _open(tmp_path / "store")
    older.transport.command("DROP VIEW jm_stays")
    older.transport.command("ALTER TABLE jm_ddl MODIFY COMMENT 'older'")
    assert _installed(older) == ["older"]
    older.close()
    store, link = _open(tmp_path / "store")
    try:
        assert link.commands[:-1] == statements(schema())
        assert link.commands[-1].startswith("CREATE OR REPLACE TABLE jm_ddl ")
        assert _installed(store) != ["older"]
    finally:
        store.close()
    assert _figures(f"chdb://{tmp_path / 'store'}") == EXPECTED


def test_map_versions_kept_in_memory_follow_every_write(tmp_path: Path) -> None:
    """A map's versions are read once per write on chDB: a second store on the directory saving
    a new version, an archive and a truncate are each seen by the first store's next read."""
    where = f"chdb://{tmp_path / 'store'}"
    m = build_map("m", [trigger("t"), end("x")], [("k1", "t", "x", {})])
    edited = build_map("m", [trigger("t"), end("y")], [("k1", "t", "y", {})])
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        assert [e.id for e in jm.map("m").elements] == ["t", "x"]
        with journeymap.open(where, clock=ManualClock(T0)) as other:
            other.add_map(edited)
        assert (jm.map("m").version, [e.id for e in jm.map("m").elements]) == (2, ["t", "y"])
        assert [r["version"] for r in jm.store.query("map_versions", {"map_id": "m"})] == [1, 2]
        assert jm.archive_map("m")["archived"] is True
        assert [r["archived"] for r in jm.store.query("map_versions", {"map_id": "m"})] == [
            False,
            True,
        ]
        jm.store.truncate("maps")
        assert jm.store.query("map_versions", {"map_id": "m"}) == []
