"""`journeymap stats --format table`: the report in words, within 80 columns, exact output.

The store: map shop, t (signup form) -> a (welcome email) -> w (wait a day) -> g (purchase goal)
-> e. Ann (google / cpc) signs up at 09:00 and buys for 156,900.00 at 11:00, which pulls her
from the wait to the goal and on to the end; Bob signs up at 10:00 and waits. By hand: t and a
were visited by both (2 emails queued, none sent: no SMTP server ran, so no rates), w by Ann
(gone) and Bob (here), g by Ann (gone), e holds Ann; nobody left w along its connector (Ann was
pulled); both passed t, so t's average is half of 156,900.00; only Ann reached g and e.
"""

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
GOAL = "First purchase of the year's best kit for newcomers"


@pytest.fixture(autouse=True)
def terminal_80() -> Iterator[None]:
    """Tables rendered for an 80-column terminal."""
    console.width = 80
    yield
    console._width = None


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("stats") / "shop.duckdb"
    with journeymap.open(path, clock=ManualClock(T0)) as jm:
        add(
            jm,
            "shop",
            [
                {**trigger("t"), "name": "Signed up"},
                action("a", "send_email", message={"subject": "Welcome aboard"}),
                wait("w", duration="P1D"),
                {**goal("g"), "name": GOAL},
                end("e"),
            ],
            [("c1", "t", "a"), ("c2", "a", "w"), ("c3", "w", "g"), ("c4", "g", "e")],
        )
        jm.track(form("ann", at(0), utm={"source": "google", "medium": "cpc"}))
        jm.track(form("bob", at(60)))
        jm.track(buy("ann", at(120), "156900.00"))
        jm.add_marketing_cost("source", "google", "2026-01-01", "2026-01-31", "1000")
    return str(path)


def stats(db: str, *args: str) -> tuple[int, list[str], str]:
    """Exit code, stdout lines (trailing spaces and the computed time left out), stderr."""
    result = runner.invoke(app, ["stats", "--db", db, "--map", "shop", *args])
    out = re.sub(r"computed \d{4}-\d\d-\d\d \d\d:\d\d UTC", "computed (time)", result.stdout)
    return result.exit_code, [line.rstrip() for line in out.splitlines()], result.stderr


CONNECTORS = [
    "Connectors",
    "",
    " from → to                                                    contacts    share",
    " " + "─" * 78,
    " Signed up → Email: Welcome aboard                                   2   100.0%",
    " Email: Welcome aboard → Wait 1 day                                  2   100.0%",
    " Wait 1 day → First purchase of the year's best kit for              0        -",
    " newcomers",
    " First purchase of the year's best kit for newcomers → End           1   100.0%",
    "",
]


def test_contact_flow_reads_in_words(db: str) -> None:
    code, lines, _ = stats(db, "--report", "contact-flow")
    assert code == 0
    assert lines == [
        "Map: shop (version 1)",
        "Report: Contact Flow",
        "Cohort: first entry at any time",
        "2 contacts in the cohort; computed (time)",
        "Elements",
        "",
        " element                                               were here   here now",
        " " + "─" * 74,
        " Signed up                                                     2          0",
        " Email: Welcome aboard                                         2          0",
        " Wait 1 day                                                    1          1",
        " First purchase of the year's best kit for newcomers           1          0",
        " End                                                           0          1",
        "",
        "Emails",
        "",
        " element               sent   queued   failed   opened   clicked   unsubscribed",
        " " + "─" * 78,
        " Email: Welcome           0        2        0    0 (-)     0 (-)          0 (-)",
        " aboard",
        "",
        *CONNECTORS,
    ]
    assert max(len(line) for line in lines) <= 80


def test_money_has_two_decimals_and_the_currency(db: str) -> None:
    code, lines, _ = stats(db, "--report", "lifetime-value", "--utm-source", "google")
    assert code == 0
    assert lines[2:9] == [
        "Cohort: first entry at any time; first-touch UTM source = google",
        "1 contacts in the cohort; computed (time)",
        "Elements",
        "",
        " element                                                    spent       average",
        " " + "─" * 78,
        " Signed up                                            $156,900.00   $156,900.00",
    ]
    code, lines, _ = stats(db, "--report", "lifetime-value", "--currency", "EUR")
    assert (
        " Signed up                                            €156,900.00    €78,450.00" in lines
    )


def test_funnel_steps_are_named_and_rates_are_percentages(db: str) -> None:
    code, lines, _ = stats(db, "--report", "funnel-conversion")
    assert code == 0
    assert lines[:14] == [
        "Map: shop (version 1)",
        "Report: Funnel Conversion",
        f"Steps: Signed up → {GOAL}",
        "Cohort: first entry at any time",
        "2 contacts in the cohort; computed (time)",
        "Funnel steps",
        "",
        "                                                                        entered",
        " element           step   reached   of step before   of step 1         directly",
        " " + "─" * 78,
        " Signed up            1         2                -      100.0%                -",
        " First purchase       2         1            50.0%       50.0%                0",
        " of the year's",
        " best kit for",
    ]


def test_roi_is_a_percentage_and_says_what_cost_means(db: str) -> None:
    # google: Ann, 156,900.00 of revenue against 1,000.00: ROI 15,590 = 1,559,000%
    code, lines, _ = stats(db, "--report", "roi", "--by", "source")
    assert code == 0
    assert lines[4:] == [
        "Marketing ROI by UTM source",
        "",
        " value            contacts   achieved       revenue        cost        ROI",
        " " + "─" * 73,
        " (none)                  1          0         $0.00       $0.00          -",
        " google                  1          1   $156,900.00   $1,000.00   +15,590%",
        "",
        "Cost: each value's whole cost for the dates chosen.",
    ]


def test_a_goal_report_without_a_goal_lists_the_goals(db: str) -> None:
    code, lines, err = stats(db, "--report", "goal-conversion-time")
    assert (code, lines) == (1, [])
    assert err == (
        "error [goal_required] --goal: goal-conversion-time is about one goal.\n"
        "The map's goals:\n"
        f"  g  {GOAL}\n"
    )
    code, lines, _ = stats(db, "--report", "goal-conversion-rate")
    assert code == 0
    assert lines[-3:] == [
        "Add --goal ID for the rate to one goal from every element.",
        "The map's goals:",
        f"  g  {GOAL}",
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--from", "2026-02-01", "--to", "2026-01-01"],
            "[from_after_to] --from: 2026-02-01 is after the end date 2026-01-01",
        ),
        (["--from", "1-Jan"], "[bad_date] --from: '1-Jan' is not a YYYY-MM-DD date"),
        (
            ["--to", "9999-12-31"],
            "[bad_date] --to: 9999-12-31 is not between 1970-01-01 and 2999-12-31",
        ),
        (["--tz", "Mars/Base"], "[unknown_timezone] --tz: unknown timezone 'Mars/Base'"),
        (
            ["--step", "a", "--step", "w"],
            "[bad_funnel_step] --step: element 'a' is an action; steps are triggers or goals",
        ),
    ],
)
def test_errors_name_the_flag(db: str, args: list[str], error: str) -> None:
    code, lines, err = stats(db, "--report", "funnel-conversion", *args)
    assert (code, lines, err) == (1, [], f"error {error}\n")


def test_an_unknown_map_or_report_names_its_flag(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--db", db, "--map", "nope", "--report", "roi"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error [unknown_map] --map: no map 'nope'; `journeymap map list` shows the maps\n"
    )
    code, _, err = stats(db, "--report", "flow")
    assert code == 1
    assert err.startswith(
        "error [unknown_report] --report: no report 'flow'; one of bottlenecks, contact-flow"
    )
