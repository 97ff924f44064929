"""`journeymap simulate` and `journeymap demo`, run as a user runs them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from test_sim_support import NURTURE_YAML, SHOP_YAML, replay

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Tables rendered 150 columns wide, whatever terminal runs the tests."""
    console.width = 150
    yield
    console._width = None


def figure(output: str, name: str) -> int:
    """The number on the row of the result table that names `name`."""
    match = re.search(rf"│ {re.escape(name)} +│ +([\d,]+) │", output)
    assert match, output
    return int(match.group(1).replace(",", ""))


def counts(db: str) -> dict[str, int]:
    with journeymap.open(db) as jm:
        return {r["fact"]: r["n"] for r in jm.store.query("sim_fact_counts")}


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "sim.duckdb"
    for name, text in (("nurture", NURTURE_YAML), ("shop", SHOP_YAML)):
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        added = runner.invoke(
            app, ["map", "add", str(tmp_path / f"{name}.yaml"), "--db", str(path)]
        )
        assert added.exit_code == 0, added.output
    return str(path)


def test_simulate_aims_contacts_at_the_chosen_map(db: str) -> None:
    args = ["simulate", "--db", db, "--map", "shop", "--contacts", "150", "--days", "20"]
    result = runner.invoke(app, [*args, "--seed", "4", "--start", "2025-03-03"])
    assert result.exit_code == 0, result.output
    assert figure(result.output, "contacts") == 150 == counts(db)["contacts"]
    assert "│ simulated up to │ 2025-03-23T00:00:00+00:00 │" in re.sub(" +", " ", result.output)
    with journeymap.open(db) as jm:
        here = jm.store.query("here_now_by_element", {"map_id": "shop"})
        assert sum(r["here_now"] + r["were_here"] for r in here) > 0


def test_simulate_again_with_the_same_seed_adds_no_contacts(db: str) -> None:
    args = ["simulate", "--db", db, "--contacts", "80", "--days", "10", "--start", "2025-03-03"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--seed", "8"]).exit_code == 0
    assert counts(db)["contacts"] == 160  # a new seed brings new contacts
    assert runner.invoke(app, [*args, "--seed", "8"]).exit_code == 0
    assert counts(db)["contacts"] == 160  # the same seed, the same contacts


def test_simulate_an_unknown_map_writes_nothing(db: str) -> None:
    result = runner.invoke(app, ["simulate", "--db", db, "--map", "nope", "--contacts", "5"])
    assert result.exit_code == 1
    assert "[not_found] no map 'nope'" in result.output
    assert counts(db)["contacts"] == 0


def test_simulate_needs_a_map_in_the_store(tmp_path: Path) -> None:
    empty = str(tmp_path / "empty.duckdb")
    result = runner.invoke(app, ["simulate", "--db", empty, "--contacts", "5"])
    assert result.exit_code == 1
    assert "[not_found] no maps in" in result.output


def test_demo_builds_a_fresh_store_with_both_prebuilt_maps(db: str) -> None:
    args = ["demo", "--db", db, "--contacts", "300", "--days", "60", "--seed", "5", "--no-serve"]
    result = runner.invoke(app, [*args, "--start", "2025-01-01"])
    assert result.exit_code == 0, result.output
    printed = re.sub(r" +", " ", result.output)
    with journeymap.open(db) as jm:
        assert {m["map_id"] for m in jm.maps()} == {"lifecycle", "lifetime-value"}
        assert figure(result.output, "contacts") == 300 == counts(db)["contacts"]
        moves = jm.store.query("sim_transitions")
        for map_id in ("lifecycle", "lifetime-value"):
            m = jm.map(map_id)
            assert f"({map_id})" in result.output
            # the expected table, replayed from the recorded moves in plain Python
            mine = [t for t in moves if t["map_id"] == map_id]
            held = replay(mine, {e.id for e in m.elements if e.kind == "fork"})
            here_total = 0
            for e in m.elements:
                visitors = {t["contact_id"] for t in mine if t["to_element"] == e.id}
                here = {c for (c, _m), where in held.items() if e.id in where}
                here_total += len(here)
                were = len(visitors - here)
                assert f"│ {e.id} │ {e.name} │ {e.kind} │ {len(here):,} │ {were:,} │" in printed
            assert here_total > 0


def test_the_same_seed_and_start_day_print_the_same_demo(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        db = str(tmp_path / f"{name}.duckdb")
        args = ["demo", "--db", db, "--contacts", "150", "--days", "30", "--no-serve"]
        result = runner.invoke(app, [*args, "--start", "2025-02-03"])
        assert result.exit_code == 0, result.output
        # the tables after the progress bar, whose elapsed time differs from run to run
        outputs.append(result.output[result.output.index("Simulation") :])
    assert outputs[0] == outputs[1]
    assert "simulated up to" in outputs[0]


@pytest.mark.parametrize("engine", ["duckdb", "chdb"])
def test_demo_replaces_its_store_and_the_files_beside_it(tmp_path: Path, engine: str) -> None:
    def url(name: str) -> str:
        return f"chdb://{tmp_path / name}" if engine == "chdb" else str(tmp_path / name)

    args = ["--days", "30", "--no-serve", "--start", "2025-02-03"]
    first = runner.invoke(
        app, ["demo", "--db", url("demo"), *args, "--contacts", "90", "--seed", "9"]
    )
    assert first.exit_code == 0, first.output
    left = [tmp_path / f"demo{suffix}" for suffix in (".intake", ".intake-wal", ".state-shm")]
    for path in left:  # what a server and a crashed engine leave beside the store
        path.write_bytes(b"left by an earlier run")
    outputs = []
    for name in ("demo", "fresh"):
        result = runner.invoke(app, ["demo", "--db", url(name), *args, "--contacts", "150"])
        assert result.exit_code == 0, result.output
        outputs.append(result.output[result.output.index("Simulation") :])
    # the rebuilt store holds only the new demo: its tables are a fresh store's, 150 contacts
    assert outputs[0] == outputs[1]
    assert figure(outputs[0], "contacts") == 150
    assert not any(path.exists() for path in left)


def test_demo_refuses_a_store_on_a_server_before_connecting() -> None:
    db = "clickhouse://jm:secret@127.0.0.1:1/jm"
    result = runner.invoke(app, ["demo", "--db", db, "--contacts", "5", "--no-serve"])
    assert result.exit_code == 1
    assert "[demo_needs_local_store] clickhouse://: a store on a server;" in result.output
    assert "secret" not in result.output
