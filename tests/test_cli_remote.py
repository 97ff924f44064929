"""One store, two processes: commands name the server that holds the store, read commands can go
through it (`--api`), and a mistyped `--db` on a read command creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.api.tokens import Scope, create_token, token_hash
from journeymap.cli import app as cli
from journeymap.engine import Event
from journeymap.model.loading import dump_map, parse_map
from test_api_server import back_of, serve
from test_api_support import welcome_map

runner = CliRunner()

READ_COMMANDS = [
    ["stats", "--map", "welcome", "--report", "contact-flow"],
    ["contacts", "--map", "welcome", "--figure", "here_now", "--element", "pause"],
    ["map", "list"],
    ["map", "show", "welcome"],
    ["token", "list"],
]


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, str]:
    """A store with the welcome map, ann waiting on `pause`, and a write token."""
    db = tmp_path / "shop.duckdb"
    with journeymap.open(db) as jm:
        jm.add_map(parse_map(welcome_map()))
        jm.track(Event("contact_created", "ann", jm.clock.now(), fields={"name": "Ann"}))
        token = create_token(jm.store, jm.clock, Scope.write, name="ops")
    return db, token


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_read_command_on_a_missing_store_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "shpo.duckdb"
    r = runner.invoke(cli, [*command, "--db", str(typo)])
    assert (r.exit_code, r.stderr) == (1, f"error [no_store] no store at {typo}\n")
    assert list(tmp_path.iterdir()) == []


def test_commands_name_the_server_holding_the_store_and_reads_go_through_it(
    shop: tuple[Path, str],
) -> None:
    db, token = shop
    with serve(db) as (proc, base):
        # the server's back process holds the store (docs/api.md, "The write path")
        holder = f"process {back_of(proc.pid)} (journeymap.cli.back)"
        expected = (
            f"error [store_in_use] the store {db} is in use by {holder}; stop it first, or ask "
            "the running server: read commands take --api http://127.0.0.1:8000 --token TOKEN\n"
        )
        for command in [*READ_COMMANDS, ["token", "create", "--scope", "read"]]:
            r = runner.invoke(cli, [*command, "--db", str(db)])
            assert (r.exit_code, r.stderr) == (1, expected), command

        remote = ["--api", base, "--token", token]
        listed = runner.invoke(cli, [*READ_COMMANDS[1], "--format", "json", *remote])
        assert listed.exit_code == 0, listed.output
        page = json.loads(listed.stdout)
        assert (page["total"], [row["contact_id"] for row in page["rows"]]) == (1, ["ann"])
        shown = runner.invoke(cli, [*READ_COMMANDS[3], *remote])
        assert shown.stdout == dump_map(parse_map(welcome_map()), "yaml")
        maps = runner.invoke(cli, [*READ_COMMANDS[2], *remote], env={"COLUMNS": "200"})
        assert maps.exit_code == 0, maps.output
        (row,) = [line for line in maps.stdout.splitlines() if "welcome" in line]
        assert [cell.strip() for cell in row.strip("│ ").split("│")][:5] == [
            "welcome",
            "Welcome",
            "1",
            "5",
            "4",
        ]
        tokens = runner.invoke(cli, [*READ_COMMANDS[4], *remote], env={"COLUMNS": "200"})
        assert token_hash(token)[:12] in tokens.stdout
        asked = {
            fmt: runner.invoke(cli, [*READ_COMMANDS[0], "--format", fmt, *remote])
            for fmt in ("json", "csv", "table")
        }
        assert [r.exit_code for r in asked.values()] == [0, 0, 0], asked["table"].output
        bad = runner.invoke(cli, [*READ_COMMANDS[4], "--api", base, "--token", "jm_nope"])
        assert (bad.exit_code, bad.stderr) == (
            1,
            "error [unauthorized] the bearer token is not known, or was revoked, or has expired\n",
        )
    # the server stopped: the file gives the very same report
    local = {
        fmt: runner.invoke(cli, [*READ_COMMANDS[0], "--format", fmt, "--db", str(db)])
        for fmt in ("json", "csv")
    }
    assert local["csv"].stdout == asked["csv"].stdout
    mine, theirs = json.loads(local["json"].stdout), json.loads(asked["json"].stdout)
    assert {**mine, "computed_at": None} == {**theirs, "computed_at": None}
    assert mine["elements"][2] == {
        "id": "pause",
        "kind": "wait",
        "were_here": 0,
        "here_now": 1,
        "visits": 1,
    }
    gone = runner.invoke(cli, [*READ_COMMANDS[4], *remote])
    assert gone.exit_code == 1
    assert gone.stderr.startswith(
        f"error [server_unreachable] no journeymap server answers at {base}"
    )
