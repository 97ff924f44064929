"""Reports over history brought in by the import, and the CLI that prints them."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from test_import_support import add_journey, iso, write
from test_import_visits import VISITS
from test_reports_support import column, flow, links

PURCHASES = [
    {"contact_id": "c1", "occurred_at": iso(130), "amount": "40.50"},
    {"contact_id": "c4", "occurred_at": iso(25), "amount": "30"},
    {"contact_id": "c4", "occurred_at": iso(200), "amount": "-10"},
]


@pytest.fixture
def imported(jm: journeymap.Journeymap, tmp_path: Path) -> journeymap.Journeymap:
    """start -> welcome -> nurture -> buy (goal) -> done, from test_import_visits: c1 walks it and
    exits, c2 jumps from welcome to done, c3 enters at buy, c4 is pulled from welcome to buy."""
    add_journey(jm)
    jm.import_files([write(tmp_path / "visits.csv", VISITS)], map_id="journey")
    jm.import_files([write(tmp_path / "purchases.csv", PURCHASES)])
    return jm


def test_contact_flow_of_imported_visits(imported: journeymap.Journeymap) -> None:
    r = imported.report("contact-flow", map_id="journey")
    assert r.cohort_size == 4
    assert flow(r) == {
        "start": (3, 0, 3),
        "welcome": (3, 0, 3),
        "nurture": (1, 0, 1),
        "buy": (1, 2, 3),
        "done": (1, 1, 2),
    }
    assert links(r) == {"k1": (3, 1.0), "k2": (1, 1.0), "k3": (1, 1.0), "k4": (1, 1.0)}


def test_goal_reports_of_imported_visits(imported: journeymap.Journeymap) -> None:
    rate = imported.report("goal-conversion-rate", map_id="journey", goal="buy")
    assert column(rate, "conversion_rate") == {"buy": 0.75}
    assert column(rate, "to_goal") == {"start": 2, "welcome": 2, "nurture": 1, "buy": 3, "done": 0}
    point = imported.report("goal-conversion-point", map_id="journey", goal="buy")
    assert column(point, "conversion_point") == {
        "start": 0,
        "welcome": 1,
        "nurture": 1,
        "buy": 0,
        "done": 0,
    }
    assert point.as_dict()["entered_at_goal"] == 1
    times = imported.report("goal-conversion-time", map_id="journey", goal="buy")
    start, buy = times.element("start"), times.element("buy")
    # start: c1 after 2 h, c4 after 10 min; buy: c1 waited 1 h, c3 and c4 achieved on arrival
    assert (start.conversion_time_n, start.conversion_time_mean_s) == (2, 3900.0)
    assert (start.conversion_time_median_s, start.conversion_time_p90_s) == (3900.0, 6540.0)
    assert (buy.conversion_time_n, buy.conversion_time_mean_s) == (3, 1200.0)
    assert (buy.conversion_time_median_s, buy.conversion_time_p90_s) == (0.0, 2880.0)


def test_lifetime_value_of_imported_purchases(imported: journeymap.Journeymap) -> None:
    r = imported.report("lifetime-value", map_id="journey")
    assert column(r, "amount_spent")["start"] == Decimal("60.50")
    assert column(r, "average_spent")["start"] == Decimal("20.17")
    assert column(r, "amount_spent")["done"] == Decimal("40.50")
    assert column(r, "average_spent")["done"] == Decimal("20.25")
    after = imported.report("lifetime-value", map_id="journey", after_arrival=True)
    assert column(after, "amount_spent") == {
        "start": Decimal("60.50"),
        "welcome": Decimal("60.50"),
        "nurture": Decimal("40.50"),
        "buy": Decimal("60.50"),
        "done": Decimal("40.50"),
    }


def test_incremental_and_rebuilt_summaries_agree_after_engine_and_import(
    imported: journeymap.Journeymap,
) -> None:
    before = imported.store.query("summary_snapshot")
    assert len(before) > 0
    imported.store.rebuild_summaries()
    assert imported.store.query("summary_snapshot") == before


def test_cli_stats_json_csv_and_errors(imported: journeymap.Journeymap) -> None:
    db = imported.path
    imported.close()
    runner = CliRunner()
    base = ["stats", "--db", db, "--map", "journey"]
    out = runner.invoke(
        app, [*base, "--report", "goal-conversion-point", "--goal", "buy", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["report"], data["goal"], data["cohort_size"], data["entered_at_goal"]) == (
        "goal-conversion-point",
        "buy",
        4,
        1,
    )
    assert {e["id"]: e["conversion_point"] for e in data["elements"]}["nurture"] == 1
    out = runner.invoke(app, [*base, "--report", "lifetime-value", "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert rows[0] == {
        "record": "element",
        "id": "start",
        "kind": "trigger",
        "were_here": "3",
        "here_now": "0",
        "visits": "3",
        "amount_spent": "60.50",
        "average_spent": "20.17",
        "from": "",
        "to": "",
        "contacts": "",
        "share": "",
    }
    assert rows[-1]["record"] == "connector"
    out = runner.invoke(
        app,
        [
            *base,
            "--report",
            "contact-flow",
            "--utm-source",
            "(none)",
            "--from",
            "2026-01-05",
            "--to",
            "2026-01-05",
            "--format",
            "json",
        ],
    )
    assert json.loads(out.output)["cohort_size"] == 4
    out = runner.invoke(app, [*base, "--report", "goal-conversion-time", "--goal", "welcome"])
    assert out.exit_code == 1
    assert "[not_a_goal]" in out.output
    out = runner.invoke(app, ["rebuild", "--db", db])
    assert out.exit_code == 0
    assert "Rebuilt" in out.output
