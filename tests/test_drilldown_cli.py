"""`journeymap contacts`: one page as a table or JSON, the whole list as CSV, errors with codes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from test_drilldown import scenario
from test_engine_support import T0

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Tables rendered 200 columns wide, whatever terminal runs the tests."""
    console.width = 200
    yield
    console._width = None


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store file holding the drill-down scenario (tests/test_drilldown.py)."""
    path = tmp_path_factory.mktemp("cli") / "dd.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        scenario(jm)
    return str(path)


def contacts(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["contacts", "--db", db, "--map", "dd", *args])
    return result.exit_code, result.stdout, result.stderr


def test_csv_streams_the_whole_list(db: str) -> None:
    code, out, _ = contacts(
        db, "--figure", "to_goal", "--element", "g", "--goal", "g", "--format", "csv"
    )
    assert code == 0
    assert out == (
        "contact_id,created_at,first_utm_source,first_utm_medium,first_utm_campaign,"
        "first_utm_content,first_utm_term,achieved_at,seconds_to_goal\n"
        "a,2026-01-05T09:00:00+00:00,google,cpc,,,,2026-01-05T09:10:00+00:00,0.0\n"
        "c,2026-01-05T09:40:00+00:00,,,,,,2026-01-05T09:40:00+00:00,0.0\n"
    )


def test_json_is_one_page_with_the_total(db: str) -> None:
    code, out, _ = contacts(
        db, "--figure", "cohort_size", "--utm-source", "(none)", "--limit", "1", "--offset", "1",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert (data["total"], data["limit"], data["offset"]) == (2, 1, 1)
    assert data["filters"]["utm"] == {"source": "(none)"}
    assert [(r["contact_id"], r["entered_at"]) for r in data["rows"]] == [
        ("c", "2026-01-05T09:40:00+00:00")
    ]


def test_timezone_and_dates_filter_the_cohort(db: str) -> None:
    code, out, _ = contacts(
        db, "--figure", "cohort_size", "--from", "2026-01-06", "--to", "2026-01-06",
        "--tz", "Asia/Tokyo", "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert [r["contact_id"] for r in json.loads(out)["rows"]] == ["d"]


def test_table_says_what_the_figure_is_and_how_many(db: str) -> None:
    code, out, _ = contacts(db, "--figure", "here_now", "--element", "w")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "here_now on w: contacts with a live position on the element",
        "contacts: 2 (showing 1-2)",
    ]
    rows = [line for line in lines if line.startswith("│")]
    assert [r.split("│")[1].strip() for r in rows] == ["d", "a"]
    assert "arrived_at" in lines[3]
    assert "2026-01-06T00:00:00+00:00" in rows[1]


def test_a_page_past_the_end_still_counts(db: str) -> None:
    code, out, _ = contacts(db, "--figure", "cohort_size", "--offset", "10")
    assert code == 0
    assert out.splitlines()[1] == "contacts: 4 (showing none)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--figure", "bogus"], "error [unknown_figure] figure: no figure 'bogus'"),
        (["--figure", "contacts"], "error [connector_required] connector: figure 'contacts'"),
        (
            ["--figure", "sent", "--element", "w"],
            "error [figure_not_for_element] element: figure 'sent' is shown on send-email",
        ),
        (["--figure", "to_goal", "--element", "t"], "error [goal_required] goal:"),
        (["--figure", "here_now", "--element", "nope"], "error [unknown_element] element:"),
    ],
)
def test_errors_name_their_code_and_exit_1(db: str, args: list[str], message: str) -> None:
    code, out, err = contacts(db, *args)
    assert (code, out) == (1, "")
    assert err.startswith(message)


def test_csv_takes_no_paging(db: str) -> None:
    code, _, err = contacts(db, "--figure", "cohort_size", "--format", "csv", "--limit", "5")
    assert code == 2
    assert "csv exports the whole list" in err
