"""The simulated marketing spend: monthly, per paid channel, the same money by every UTM field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.sim.spend import plan_spend

START = datetime(2025, 1, 15, tzinfo=UTC)


def test_spend_is_monthly_and_the_same_money_by_every_utm_field() -> None:
    costs = plan_spend(contacts=3_000, days=60, start=START, seed=3)
    periods = sorted({(c.period_start, c.period_end) for c in costs})
    assert periods == [
        (date(2025, 1, 15), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2025, 3, 15)),
    ]
    totals = {
        f: sum((c.amount for c in costs if c.utm_field == f), Decimal(0))
        for f in ("source", "medium", "campaign")
    }
    assert totals["source"] == totals["medium"] > 0
    referral = sum(
        c.amount for c in costs if (c.utm_field, c.utm_value) == ("source", "partner-blog")
    )
    assert totals["campaign"] == totals["source"] - referral  # the partner blog runs no campaign
    sources = {c.utm_value for c in costs if c.utm_field == "source"}
    assert sources == {"google", "facebook", "linkedin", "newsletter", "bing", "partner-blog"}
    assert "organic" not in {c.utm_value for c in costs if c.utm_field == "medium"}


def test_spend_follows_the_seed() -> None:
    one = plan_spend(contacts=1_000, days=31, start=START, seed=1)
    assert one == plan_spend(contacts=1_000, days=31, start=START, seed=1)
    assert one != plan_spend(contacts=1_000, days=31, start=START, seed=2)


def test_the_demo_records_monthly_spend_that_roi_sets_against_revenue(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.duckdb")
    args = ["demo", "--db", db, "--contacts", "200", "--days", "40", "--seed", "9", "--no-serve"]
    result = CliRunner().invoke(app, [*args, "--start", "2025-01-15"])
    assert result.exit_code == 0, result.output
    with journeymap.open(db) as jm:
        facts = [tuple(r.values()) for r in jm.store.query("marketing_costs_log")]
        rows = jm.report("roi", map_id="lifecycle", by="source").as_dict()["rows"]
    # 40 days from January 15: January 15-31 and February 1-23, per paid source
    assert {(f[2], f[3]) for f in facts} == {
        (date(2025, 1, 15), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 23)),
    }
    by_source: dict[str, Decimal] = {}
    for field, value, _start, _end, amount in facts:
        if field == "source":
            by_source[value] = by_source.get(value, Decimal(0)) + amount
    assert set(by_source) == {
        "google",
        "facebook",
        "linkedin",
        "newsletter",
        "bing",
        "partner-blog",
    }
    costs = {r["utm_value"]: Decimal(str(r["cost"])) for r in rows if r["cost"]}
    assert costs == by_source  # every period lies inside the cohort's all-time range
