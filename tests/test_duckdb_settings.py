"""DuckDB's memory limit and threads, set from the environment for every command and server."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app

runner = CliRunner()


def _counts(db: Path) -> dict[str, int]:
    with journeymap.open(str(db)) as jm:
        return {r["fact"]: r["n"] for r in jm.store.query("sim_fact_counts")}


def _simulate(db: Path) -> None:
    args = ["simulate", "--db", str(db), "--contacts", "150", "--days", "4", "--start"]
    result = runner.invoke(app, [*args, "2026-01-05"])
    assert result.exit_code == 0, result.output


def _template(db: Path) -> None:
    with journeymap.open(str(db)) as jm:
        jm.add_template("lifecycle")


def test_the_limits_reach_duckdb_and_change_no_fact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    free = tmp_path / "free.duckdb"
    _template(free)
    _simulate(free)
    monkeypatch.setenv("JOURNEYMAP_DUCKDB_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("JOURNEYMAP_DUCKDB_THREADS", "1")
    held = tmp_path / "held.duckdb"
    _template(held)
    _simulate(held)
    with journeymap.open(str(held)) as jm:
        got = jm.store._con.execute(
            "SELECT current_setting('memory_limit'), current_setting('threads')"
        ).fetchall()
    assert got == [("286.1 MiB", 1)]  # 300,000,000 bytes, as DuckDB shows it
    assert _counts(held) == _counts(free)
    assert sum(_counts(held).values()) > 150


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("JOURNEYMAP_DUCKDB_MEMORY_LIMIT", "lots"),
        ("JOURNEYMAP_DUCKDB_THREADS", "many"),
        ("JOURNEYMAP_DUCKDB_THREADS", "0"),
    ],
)
def test_a_value_duckdb_refuses_names_its_variable_and_creates_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, var: str, value: str
) -> None:
    monkeypatch.setenv(var, value)
    db = tmp_path / "new.duckdb"
    result = runner.invoke(app, ["simulate", "--db", str(db), "--contacts", "5"])
    assert result.exit_code == 1
    assert f"{var}='{value}' is not a DuckDB" in result.output
    assert "duckdb_setting" in result.output
    assert not db.exists()
