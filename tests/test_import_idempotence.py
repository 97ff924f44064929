"""Importing a file twice, or files that overlap, never doubles a fact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import journeymap
from test_import_support import add_journey, at, counts, iso, moves, rows, write


def _visit(contact: str, element: str, minutes: int, **kw: Any) -> dict[str, Any]:
    return {"contact_id": contact, "element_id": element, "entered_at": iso(minutes), **kw}


def test_same_file_twice_is_skipped(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    path = write(tmp_path / "v.parquet", [_visit("a", "start", 0), _visit("a", "welcome", 1)])
    first = jm.import_files([path], map_id="journey")
    before = counts(jm)
    again = jm.import_files([path, path], map_id="journey")
    assert [f.skipped for f in again.files] == [True, True]
    assert again.files[0].sha256 == first.files[0].sha256
    assert again.written == {}
    assert counts(jm) == before
    assert [(r["file_name"], r["kind"], r["rows"]) for r in rows(jm, "imports")] == [
        ("v.parquet", "visits", 2)
    ]


def test_overlapping_visits_continue_without_doubling(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    early = [_visit("a", "start", 0), _visit("a", "welcome", 1), _visit("b", "start", 5)]
    later = [
        _visit("a", "start", 0),
        _visit("a", "welcome", 1),
        _visit("a", "nurture", 2),
        _visit("b", "start", 5),
        _visit("b", "start", 5),  # repeated within the file too
    ]
    jm.import_files([write(tmp_path / "early.csv", early)], map_id="journey")
    result = jm.import_files([write(tmp_path / "later.csv", later)], map_id="journey")
    (done,) = result.files
    assert (done.rows, done.duplicates) == (5, 4)
    assert done.written == {"transitions": 1, "achievements": 0, "entries": 0, "contacts": 0}
    assert moves(jm) == [
        (1, "a", 1, None, "start", None, "enter", at(0)),
        (2, "a", 1, "start", "welcome", "k1", "flow", at(1)),
        (3, "b", 3, None, "start", None, "enter", at(5)),
        (4, "a", 1, "welcome", "nurture", "k2", "flow", at(2)),
    ]


def test_overlapping_purchases_keep_true_repeats(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    def buy(minutes: int, amount: str = "10.00") -> dict[str, Any]:
        return {"contact_id": "a", "occurred_at": iso(minutes), "amount": amount, "product": "p"}

    jm.import_files([write(tmp_path / "one.jsonl", [buy(0), buy(0), buy(5)])])
    result = jm.import_files([write(tmp_path / "two.jsonl", [buy(0), buy(0), buy(0), buy(9)])])
    assert result.files[0].duplicates == 2
    assert result.written == {"purchases": 2, "contacts": 0}
    got = [(r["occurred_at"], str(r["amount"])) for r in rows(jm, "purchases")]
    assert got == [
        (at(0), "10.00"),
        (at(0), "10.00"),
        (at(0), "10.00"),
        (at(5), "10.00"),
        (at(9), "10.00"),
    ]


def test_overlapping_email_page_and_cost_files(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    email = [
        {"contact_id": "a", "event": "sent", "occurred_at": iso(0)},
        {"contact_id": "a", "event": "opened", "occurred_at": iso(3)},
    ]
    pages = [
        {"visitor_id": "v1", "url": "/pricing", "utm_source": "ads", "occurred_at": iso(0)},
        {"contact_id": "a", "url": "/pricing", "occurred_at": iso(1)},
    ]
    costs = [
        {
            "utm_field": "source",
            "utm_value": "ads",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "amount": "250",
        }
    ]
    jm.import_files([write(tmp_path / "e1.csv", email[:1]), write(tmp_path / "p1.csv", pages[:1])])
    jm.import_files([write(tmp_path / "c1.csv", costs)])
    again = jm.import_files(
        [
            write(tmp_path / "e2.csv", email),
            write(tmp_path / "p2.csv", pages),
            write(tmp_path / "c2.jsonl", costs),
        ]
    )
    assert [f.duplicates for f in again.files] == [1, 1, 1]
    assert counts(jm)["email_events"] == 2
    assert counts(jm)["page_visits"] == 2
    assert counts(jm)["marketing_costs"] == 1


def test_contacts_file_again_changes_nothing(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    people = [{"contact_id": "a", "created_at": iso(0), "utm_source": "ads", "tags": "x;y"}]
    jm.import_files([write(tmp_path / "c1.csv", people)])
    first = rows(jm, "contacts")
    jm.import_files([write(tmp_path / "c2.jsonl", people)])
    assert rows(jm, "contacts") == first


def test_visits_after_a_recorded_exit_start_a_new_entry(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    first = [_visit("a", "start", 0), _visit("a", "welcome", 1, left_at=iso(4))]
    jm.import_files([write(tmp_path / "one.csv", first)], map_id="journey")
    jm.import_files([write(tmp_path / "two.csv", [_visit("a", "nurture", 9)])], map_id="journey")
    assert moves(jm) == [
        (1, "a", 1, None, "start", None, "enter", at(0)),
        (2, "a", 1, "start", "welcome", "k1", "flow", at(1)),
        (3, "a", 1, "welcome", None, None, "exit", at(4)),
        (4, "a", 4, None, "nurture", None, "enter", at(9)),
    ]
