"""The command line with `--store URL`: on a ClickHouse store (chDB) every read command prints
exactly what it prints on a DuckDB store holding the same facts, and the token commands work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from test_engine_support import T0, action, add, at, buy, end, form, goal, trigger, wait

runner = CliRunner()

ENGINES: dict[str, str] = {"duckdb": "{dir}/shop.duckdb", "chdb": "chdb://{dir}/shop"}
"""Each store engine's URL in a folder."""

READS: tuple[tuple[str, ...], ...] = (
    *(
        ("stats", "--map", "shop", "--report", report, "--format", fmt, *more)
        for report, more in (
            ("contact-flow", ()),
            ("contact-flow", ("--utm-source", "google")),
            ("funnel-conversion", ()),
            ("goal-conversion-rate", ("--goal", "g")),
            ("goal-conversion-point", ("--goal", "g")),
            ("goal-conversion-point", ("--goal", "g", "--attribution", "linear")),
            ("goal-conversion-time", ("--goal", "g")),
            ("lifetime-value", ("--after-arrival",)),
            ("roi", ()),
            ("bottlenecks", ()),
        )
        for fmt in ("table", "json")
    ),
    ("contacts", "--map", "shop", "--figure", "were_here", "--element", "t"),
    ("contacts", "--map", "shop", "--figure", "here_now", "--element", "w", "--format", "csv"),
    ("contacts", "--map", "shop", "--figure", "dwell_n", "--element", "t"),
    (
        "trend",
        "--map",
        "shop",
        "--report",
        "contact-flow",
        "--figure",
        "here_now",
        "--element",
        "w",
    ),
    ("map", "list"),
    ("map", "show", "shop"),
    ("map", "errors"),
    ("deliveries", "list"),
    ("dead-letters",),
)
"""Read commands, each run on both stores (not Time to Goal, which follows contacts still on the
way to the moment it runs)."""


@pytest.fixture(autouse=True)
def terminal_80() -> Iterator[None]:
    """Tables rendered for an 80-column terminal."""
    console.width = 80
    yield
    console._width = None


def _store(folder: Path, engine: str) -> str:
    """Ann (google) signs up and buys two hours later, pulled from the wait to the goal and on to
    the end; Bob signs up an hour after her and waits a day at w (test_cli_stats.py's shop)."""
    where = ENGINES[engine].format(dir=folder)
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        add(
            jm,
            "shop",
            [
                {**trigger("t"), "name": "Signed up"},
                action("a", "send_email", message={"subject": "Welcome aboard"}),
                wait("w", duration="P1D"),
                {**goal("g"), "name": "First purchase"},
                end("e"),
            ],
            [("c1", "t", "a"), ("c2", "a", "w"), ("c3", "w", "g"), ("c4", "g", "e")],
        )
        jm.track(form("ann", at(0), utm={"source": "google", "medium": "cpc"}))
        jm.track(form("bob", at(60)))
        jm.track(buy("ann", at(120), "156900.00"))
        jm.add_marketing_cost("source", "google", "2026-01-01", "2026-01-31", "1000")
    return where


def _run(store: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--store", store])
    out = re.sub(r"computed \d{4}-\d\d-\d\d \d\d:\d\d UTC", "computed", result.stdout)
    out = re.sub(r'"computed_at": "[^"]+"', '"computed_at"', out)
    out = re.sub(r"\b[0-9a-f]{6,}\S*", "(id)", out)  # delivery ids are random
    return result.exit_code, out


def test_every_read_command_prints_the_same_on_both_engines(tmp_path: Path) -> None:
    printed: dict[str, list[tuple[int, str]]] = {}
    for engine in ENGINES:
        (tmp_path / engine).mkdir()
        store = _store(tmp_path / engine, engine)
        printed[engine] = [_run(store, *args) for args in READS]
    for args, duck, click in zip(READS, printed["duckdb"], printed["chdb"], strict=True):
        assert duck[0] == 0, (args, duck[1])
        assert click == duck, args
    # by hand: both visited t and a; Ann was pulled from w to g and on to e; Bob waits at w
    rows = [line.split() for line in printed["chdb"][0][1].splitlines()]
    elements = rows[rows.index(["Elements"]) + 4 : rows.index(["Emails"]) - 1]
    assert {" ".join(r[:-2]): (int(r[-2]), int(r[-1])) for r in elements} == {
        "Signed up": (2, 0),
        "Email: Welcome aboard": (2, 0),
        "Wait 1 day": (1, 1),
        "First purchase": (1, 0),
        "End": (0, 1),
    }


def test_tokens_are_made_listed_and_revoked_on_a_clickhouse_store(tmp_path: Path) -> None:
    store = f"chdb://{tmp_path / 'shop'}"
    made = runner.invoke(app, ["token", "create", "--scope", "read", "--store", store])
    assert made.exit_code == 0, made.stdout
    listed = runner.invoke(app, ["token", "list", "--store", store])
    (token_id,) = re.findall(r"\b[0-9a-f]{12}\b", listed.stdout)
    assert "active" in listed.stdout
    revoked = runner.invoke(app, ["token", "revoke", token_id, "--store", store])
    assert revoked.exit_code == 0, revoked.stdout
    again = runner.invoke(app, ["token", "list", "--store", store])
    assert "revoked" in again.stdout
    assert "active" not in again.stdout
