"""Contacts, purchases, email events, page visits and marketing costs, exactly as recorded."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import journeymap
from journeymap.errors import ImportRejected
from test_import_support import add_journey, at, iso, rows, write


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_contacts_with_utm_tags_and_fields(
    jm: journeymap.Journeymap, tmp_path: Path, suffix: str
) -> None:
    people = [
        {
            "contact_id": "a",
            "created_at": "2026-01-05 09:00:00",
            "utm_source": "ads",
            "utm_campaign": "spring",
            "tags": "vip; beta;vip",
            "plan": "pro",
            "city": None,
        },
        {"contact_id": "b", "created_at": iso(30), "city": "Oslo"},
    ]
    result = jm.import_files([write(tmp_path / f"people{suffix}", people)])
    assert result.files[0].kind == "contacts"
    assert result.written == {"contacts": 2}
    a, b = rows(jm, "contacts")
    assert a["created_at"] == at(0)
    assert (a["first_utm_source"], a["first_utm_campaign"], a["first_utm_medium"]) == (
        "ads",
        "spring",
        None,
    )
    assert (a["last_utm_source"], a["last_utm_campaign"]) == ("ads", "spring")
    assert a["tags"] == ["beta", "vip"]
    assert json.loads(a["fields"]) == {"plan": "pro"}
    assert (b["created_at"], b["tags"], json.loads(b["fields"])) == (at(30), [], {"city": "Oslo"})
    assert b["first_utm_source"] is None


def test_contacts_file_completes_contacts_first_seen_in_visits(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    visits = [{"contact_id": "a", "element_id": "start", "entered_at": iso(10)}]
    jm.import_files([write(tmp_path / "v.csv", visits)], map_id="journey")
    assert rows(jm, "contacts")[0]["first_utm_source"] is None
    people = [
        {
            "contact_id": "a",
            "created_at": iso(60),
            "utm_source": "news",
            "last_utm_source": "ads",
            "tags": "x",
            "plan": "pro",
        }
    ]
    jm.import_files([write(tmp_path / "c.csv", people)])
    (a,) = rows(jm, "contacts")
    assert a["created_at"] == at(10)  # the earlier of first seen and created
    assert (a["first_utm_source"], a["last_utm_source"]) == ("news", "ads")
    assert (a["tags"], json.loads(a["fields"])) == (["x"], {"plan": "pro"})
    assert jm.engine._load_profile("a").utm_first == {"source": "news"}


def test_purchases(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    buys = [
        {"contact_id": "a", "occurred_at": iso(5), "amount": 19.99, "product": "book"},
        {"contact_id": "a", "occurred_at": iso(9), "amount": -5, "product": None},
        {"contact_id": "b", "occurred_at": iso(7), "amount": 3},
    ]
    result = jm.import_files([write(tmp_path / "buys.jsonl", buys)])
    assert result.written == {"purchases": 3, "contacts": 2}
    assert [tuple(r.values()) for r in rows(jm, "purchases")] == [
        ("a", at(5), Decimal("19.99"), "book"),
        ("b", at(7), Decimal("3.00"), None),
        ("a", at(9), Decimal("-5.00"), None),
    ]
    created = {r["contact_id"]: r["created_at"] for r in rows(jm, "contacts")}
    assert created == {"a": at(5), "b": at(7)}


def test_email_events(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    events = [
        {"contact_id": "a", "map_id": "journey", "element_id": "welcome", "event": "sent",
         "occurred_at": iso(0)},
        {"contact_id": "a", "map_id": "journey", "element_id": "welcome", "event": "opened",
         "occurred_at": iso(4)},
        {"contact_id": "b", "map_id": None, "element_id": None, "event": "unsubscribed",
         "occurred_at": iso(8)},
    ]  # fmt: skip
    jm.import_files([write(tmp_path / "email.parquet", events)])
    assert [tuple(r.values()) for r in rows(jm, "email_events")] == [
        ("sent", "journey", "welcome", "a", at(0)),
        ("opened", "journey", "welcome", "a", at(4)),
        ("unsubscribed", None, None, "b", at(8)),
    ]


def test_email_event_on_an_element_of_no_map(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    events = [{"contact_id": "a", "element_id": "welcome", "event": "sent", "occurred_at": iso(0)}]
    with pytest.raises(ImportRejected) as err:
        jm.import_files([write(tmp_path / "email.csv", events)])
    assert (err.value.row, err.value.column, err.value.reason) == (
        1,
        "map_id",
        "missing value: element_id needs map_id",
    )


def test_page_visits(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    pages = [
        {"visitor_id": "v1", "contact_id": None, "url": "/pricing", "utm_source": "ads",
         "utm_medium": "cpc", "occurred_at": iso(0)},
        {"visitor_id": None, "contact_id": "a", "url": "/signup", "utm_source": None,
         "utm_medium": None, "occurred_at": iso(2)},
    ]  # fmt: skip
    result = jm.import_files([write(tmp_path / "pages.csv", pages)])
    assert result.written == {"page_visits": 2, "contacts": 1}
    assert [tuple(r.values()) for r in rows(jm, "page_visits")] == [
        ("v1", None, "/pricing", "ads", "cpc", None, None, None, at(0)),
        ("a", "a", "/signup", None, None, None, None, None, at(2)),
    ]


def test_marketing_costs(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    costs = [
        {"utm_field": "source", "utm_value": "ads", "period_start": "2026-01-01",
         "period_end": "2026-01-31", "amount": "1200.5"},
        {"utm_field": "campaign", "utm_value": "spring", "period_start": "2026-03-01",
         "period_end": "2026-03-31", "amount": "300"},
    ]  # fmt: skip
    result = jm.import_files([write(tmp_path / "costs.csv", costs)], kind="marketing_costs")
    assert result.written == {"marketing_costs": 2}
    assert [tuple(r.values()) for r in rows(jm, "marketing_costs")] == [
        ("source", "ads", date(2026, 1, 1), date(2026, 1, 31), Decimal("1200.50")),
        ("campaign", "spring", date(2026, 3, 1), date(2026, 3, 31), Decimal("300.00")),
    ]
