"""Marketing ROI: contacts, achievers and revenue per UTM value against imported and added costs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import JourneymapError
from test_engine_support import T0, add, at, buy, end, form, goal, trigger, wait

COSTS = """\
utm_field,utm_value,period_start,period_end,amount
source,google,2026-01-01,2026-01-31,310.00
source,facebook,2026-01-01,2026-01-10,100
source,bing,2026-01-01,2026-01-31,31
medium,cpc,2026-01-05,2026-01-05,40
campaign,spring,2026-01-01,2026-01-31,62
campaign,autumn,2026-01-05,2026-01-06,0.05
content,banner,2026-01-01,2026-01-31,500
"""


def scenario(jm: journeymap.Journeymap, tmp: Path) -> journeymap.Journeymap:
    """t -> w (1 day) -> g (purchase) -> e, and g2 (demo form) -> e2 that only new contacts enter.

    a and b (google / cpc / spring) buy 100, and 30 less a 10 refund; c (facebook / social /
    spring) buys nothing; f (google, no medium or campaign) enters at g2; d (no UTM) signs up on
    20 January at 23:30 UTC (21 January in Tokyo) and buys 50. Costs come from a CSV import and
    one more through the library (google, February)."""
    add(
        jm,
        "roi",
        [
            trigger("t"),
            wait("w", duration="P1D"),
            goal("g"),
            end("e"),
            goal("g2", on="form_submitted", form="demo"),
            end("e2"),
        ],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "e"), ("c4", "g2", "e2")],
    )
    paid = {"source": "google", "medium": "cpc", "campaign": "spring"}
    jm.track(form("a", at(0), utm=paid))
    jm.track(buy("a", at(10), "100"))
    jm.track(form("b", at(20), utm=paid))
    jm.track(buy("b", at(25), "30"))
    jm.track(buy("b", at(days=3), "-10"))
    jm.track(
        form("c", at(30), utm={"source": "facebook", "medium": "social", "campaign": "spring"})
    )
    jm.track(Event("form_submitted", "f", at(40), form="demo", utm={"source": "google"}))
    jm.track(form("d", at(days=15, hours=14, minutes=30)))
    jm.track(buy("d", at(days=16), "50"))
    costs = tmp / "costs.csv"
    costs.write_text(COSTS, encoding="utf-8")
    jm.import_files([costs], kind="marketing_costs")
    jm.add_marketing_cost("source", "google", "2026-02-01", "2026-02-28", "28")
    return jm


@pytest.fixture(scope="module")
def roi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[journeymap.Journeymap]:
    tmp = tmp_path_factory.mktemp("roi")
    lib = journeymap.open(tmp / "roi.duckdb", clock=ManualClock(T0))
    yield scenario(lib, tmp)
    lib.close()


def rows(jm: journeymap.Journeymap, **kw: Any) -> list[tuple[Any, ...]]:
    """(field, value, contacts, achievers, revenue, cost, roi) per row."""
    data = jm.report("roi", map_id="roi", **kw).as_dict()
    return [tuple(r.values()) for r in data["rows"]]


def test_per_source_over_all_time(roi: journeymap.Journeymap) -> None:
    assert rows(roi, by="source") == [
        ("source", "(none)", 1, 1, 50.0, 0.0, None),
        ("source", "bing", 0, 0, 0.0, 31.0, -1.0),
        ("source", "facebook", 1, 0, 0.0, 100.0, -1.0),
        ("source", "google", 3, 3, 120.0, 338.0, (120 - 338) / 338),
    ]


def test_a_selected_goal_counts_only_its_achievers(roi: journeymap.Journeymap) -> None:
    by_goal = {r[1]: r[3] for r in rows(roi, by="source", goal="g")}
    assert by_goal == {"(none)": 1, "bing": 0, "facebook": 0, "google": 2}  # f achieved g2 only
    assert {r[1]: r[3] for r in rows(roi, by="source", goal="g2")}["google"] == 1


def test_costs_are_prorated_by_the_days_inside_the_date_range(
    roi: journeymap.Journeymap,
) -> None:
    # 5-10 January: 6 of google's 31 days (60.00), 6 of facebook's 10 (60.00), 6 of bing's 31
    assert rows(roi, by="source", date_range=("2026-01-05", "2026-01-10")) == [
        ("source", "bing", 0, 0, 0.0, 6.0, -1.0),
        ("source", "facebook", 1, 0, 0.0, 60.0, -1.0),
        ("source", "google", 3, 3, 120.0, 60.0, 1.0),
    ]
    assert rows(roi, by="medium", date_range=("2026-01-05", "2026-01-10")) == [
        ("medium", "(none)", 1, 1, 0.0, 0.0, None),
        ("medium", "cpc", 2, 2, 120.0, 40.0, 2.0),
        ("medium", "social", 1, 0, 0.0, 0.0, None),
    ]


def test_a_part_cent_rounds_half_up(roi: journeymap.Journeymap) -> None:
    # autumn: 0.05 over 2 days, 1 day inside: 0.025 -> 0.03; spring: 62 over 31 days -> 2.00
    assert rows(roi, by="campaign", date_range=("2026-01-05", "2026-01-05")) == [
        ("campaign", "(none)", 1, 1, 0.0, 0.0, None),
        ("campaign", "autumn", 0, 0, 0.0, 0.03, -1.0),
        ("campaign", "spring", 3, 2, 120.0, 2.0, 59.0),
    ]


def test_the_date_range_follows_the_timezone(roi: journeymap.Journeymap) -> None:
    tokyo = rows(roi, by="source", date_range=("2026-01-21", "2026-01-31"), tz="Asia/Tokyo")
    assert tokyo == [
        ("source", "(none)", 1, 1, 50.0, 0.0, None),  # d entered on 21 January in Tokyo
        ("source", "bing", 0, 0, 0.0, 11.0, -1.0),
        ("source", "google", 0, 0, 0.0, 110.0, -1.0),
    ]
    utc = rows(roi, by="source", date_range=("2026-01-21", "2026-01-31"))
    assert [r[:3] for r in utc] == [("source", "bing", 0), ("source", "google", 0)]


def test_without_by_every_field_of_the_default_three(roi: journeymap.Journeymap) -> None:
    result = roi.report("roi", map_id="roi")
    assert result.options == {"by": ["source", "medium", "campaign"]}
    fields = [r["utm_field"] for r in result.as_dict()["rows"]]
    assert fields == ["source"] * 4 + ["medium"] * 3 + ["campaign"] * 3
    assert "banner" not in {r["utm_value"] for r in result.as_dict()["rows"]}
    content = rows(roi, by="content")
    assert content == [
        ("content", "(none)", 5, 4, 170.0, 0.0, None),
        ("content", "banner", 0, 0, 0.0, 500.0, -1.0),
    ]


def test_a_utm_filter_keeps_cost_rows_of_its_own_value(roi: journeymap.Journeymap) -> None:
    assert rows(roi, by="source", utm={"source": "google"}) == [
        ("source", "google", 3, 3, 120.0, 338.0, (120 - 338) / 338),
    ]
    assert rows(roi, by="source", utm={"source": "(none)"}) == [
        ("source", "(none)", 1, 1, 50.0, 0.0, None),
    ]
    assert rows(roi, by="medium", utm={"source": "google"}) == [
        ("medium", "(none)", 1, 1, 0.0, 0.0, None),
        ("medium", "cpc", 2, 2, 120.0, 40.0, 2.0),
    ]


def test_row_counts_are_the_drill_down_lists(roi: journeymap.Journeymap) -> None:
    for field, value, contacts, achievers, *_ in rows(roi, by="source", goal="g"):
        only = {"utm": {field: value}, "goal": "g"}
        assert roi.contacts("roi", figure="cohort_size", **only).total == contacts
        assert roi.contacts("roi", figure="achievers", **only).total == achievers
    anyone = roi.contacts("roi", figure="achievers", utm={"source": "google"})
    assert [r.contact_id for r in anyone.rows] == ["a", "b", "f"]


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (("colour", "red", "2026-01-01", "2026-01-31", "1"), "unknown_utm_field", "utm_field"),
        (("source", "", "2026-01-01", "2026-01-31", "1"), "missing_value", "utm_value"),
        (("source", "x", "2026-02-01", "2026-01-31", "1"), "period_end_before_start", "period_end"),
        (("source", "x", "1 Jan", "2026-01-31", "1"), "bad_date", "period_start"),
        (("source", "x", "2026-01-01", "2026-01-31", "-5"), "negative_cost", "amount"),
        (("source", "x", "2026-01-01", "2026-01-31", "ten"), "bad_amount", "amount"),
        (("source", "x", "2026-01-01", "2026-01-31", "1.005"), "bad_amount", "amount"),
    ],
)
def test_a_bad_cost_names_its_field_and_stores_nothing(
    roi: journeymap.Journeymap, args: tuple[str, ...], code: str, field: str
) -> None:
    before = rows(roi, by="source")
    with pytest.raises(JourneymapError) as err:
        roi.add_marketing_cost(*args)
    assert err.value.code == code
    assert str(err.value).startswith(f"[{code}] {field}:")
    assert rows(roi, by="source") == before


def test_an_unknown_by_field_is_an_error(roi: journeymap.Journeymap) -> None:
    with pytest.raises(JourneymapError) as err:
        roi.report("roi", map_id="roi", by="colour")
    assert err.value.code == "unknown_utm_field"
    assert "by: unknown UTM field 'colour'" in str(err.value)


def test_cli_stats_gives_roi_rows(roi: journeymap.Journeymap) -> None:
    db = roi.path
    runner = CliRunner()
    args = ["stats", "--db", db, "--map", "roi", "--report", "roi", "--by", "medium"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rows"] == [
        {
            "utm_field": "medium",
            "utm_value": "(none)",
            "contacts": 2,
            "achievers": 2,
            "revenue": 50.0,
            "cost": 0.0,
            "roi": None,
        },
        {
            "utm_field": "medium",
            "utm_value": "cpc",
            "contacts": 2,
            "achievers": 2,
            "revenue": 120.0,
            "cost": 40.0,
            "roi": 2.0,
        },
        {
            "utm_field": "medium",
            "utm_value": "social",
            "contacts": 1,
            "achievers": 0,
            "revenue": 0.0,
            "cost": 0.0,
            "roi": None,
        },
    ]
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    assert as_csv.exit_code == 0
    table = [r for r in csv.DictReader(io.StringIO(as_csv.stdout)) if r["record"] == "row"]
    keys = ("utm_field", "utm_value", "contacts", "achievers", "revenue", "cost", "roi")
    assert [tuple(r[k] for k in keys) for r in table] == [
        ("medium", "(none)", "2", "2", "50.00", "0.00", ""),
        ("medium", "cpc", "2", "2", "120.00", "40.00", "2.0"),
        ("medium", "social", "1", "0", "0.00", "0.00", ""),
    ]


def test_under_a_utm_filter_the_cohort_is_charged_its_share_of_each_cost(
    roi: journeymap.Journeymap,
) -> None:
    # medium=cpc: a and b. google brought a, b and f, so 2/3 of its 338.00 is theirs (225.33);
    # facebook and bing brought nobody with cpc: no row, not -100 %
    cpc = roi.report("roi", map_id="roi", by="source", utm={"medium": "cpc"}).as_dict()
    assert cpc["cost_basis"] == "cohort_share"
    assert [tuple(r.values()) for r in cpc["rows"]] == [
        ("source", "google", 2, 2, 120.0, 225.33, float(Decimal("-105.33") / Decimal("225.33"))),
    ]
    # spring brought a, b and c: 2/3 of 62.00; autumn brought nobody
    assert rows(roi, by="campaign", utm={"medium": "cpc"}) == [
        ("campaign", "spring", 2, 2, 120.0, 41.33, float(Decimal("78.67") / Decimal("41.33"))),
    ]
    everyone = roi.report("roi", map_id="roi", by="source").as_dict()
    assert everyone["cost_basis"] == "whole"
    assert everyone["cost_note"] == "each value's whole cost for the dates chosen"


def test_a_last_touch_filter_charges_the_share_of_first_touch_contacts(
    roi: journeymap.Journeymap,
) -> None:
    # last touch google: a, b and f (their only visit carried it); by medium, cpc brought a and
    # b only, so all of its 40.00; (none) brought f and d, f is here: half of nothing
    assert rows(roi, by="medium", utm={"source": "google"}, last_touch=True) == [
        ("medium", "(none)", 1, 1, 0.0, 0.0, None),
        ("medium", "cpc", 2, 2, 120.0, 40.0, 2.0),
    ]
