"""A contacts file's email addresses are held to the check every address entering the store passes:
a bad one rejects the file, naming its row and the email column, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import journeymap
from journeymap.engine.events import Event
from journeymap.errors import EventRejected, ImportRejected
from test_import_support import EMPTY, T0, counts, iso, rows, write

BAD = [
    pytest.param(
        "ann@x.org\nBcc: all@x.org",
        "The part after the @-sign contains invalid characters: ':', '@', SPACE, U+000A.",
        id="header-injection",
    ),
    pytest.param("not an address", "An email address must have an @-sign.", id="no-at"),
    pytest.param(
        "Ann <ann@x.org>",
        "A display name and angle brackets around the email address are not permitted here.",
        id="display-name",
    ),
    pytest.param(
        "a@b", "The part after the @-sign is not valid. It should have a period.", id="tld"
    ),
    pytest.param("ann@x..org", "An email address cannot have two periods in a row.", id="dots"),
    pytest.param(
        "ann@x.test",
        "The part after the @-sign is a special-use or reserved name that cannot be used with "
        "email.",
        id="reserved",
    ),
]


def _person(contact: str, email: str | None = None, created: str | None = None) -> dict[str, str]:
    row = {"contact_id": contact, "created_at": created or iso(0), "plan": "pro"}
    return row if email is None else {**row, "email": email}


def _reject(jm: journeymap.Journeymap, path: Path) -> tuple[int | None, str | None, str]:
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path])
    assert err.value.file == path.name
    assert counts(jm) == EMPTY
    return err.value.row, err.value.column, err.value.reason


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
@pytest.mark.parametrize(("address", "problem"), BAD)
def test_an_address_no_message_can_go_to_rejects_the_file(
    jm: journeymap.Journeymap, tmp_path: Path, suffix: str, address: str, problem: str
) -> None:
    people = [
        _person("a", "ann@x.org"),
        _person("b"),
        _person("c", address),
        _person("d", "d@x.org"),
    ]
    path = write(tmp_path / f"people{suffix}", people)
    assert _reject(jm, path) == (3, "email", f"{address!r} is not an email address: {problem}")


@pytest.mark.parametrize(("address", "problem"), BAD)
def test_the_same_address_is_refused_as_an_event(
    jm: journeymap.Journeymap, address: str, problem: str
) -> None:
    with pytest.raises(EventRejected) as err:
        jm.track(Event("contact_created", "c", T0, fields={"email": address}))
    assert (
        str(err.value)
        == f"[event_rejected] field 'email': {address!r} is not an email address: {problem}"
    )


def test_the_first_refused_row_is_named_whichever_rule_it_breaks(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    # row 3 lacks created_at, row 4 has a bad address: row 3 is reported
    people = [_person("a"), _person("b"), _person("c"), _person("d", "a@b")]
    people[2]["created_at"] = ""
    path = write(tmp_path / "late.csv", people)
    assert _reject(jm, path) == (3, "created_at", "missing value")
    # the address comes first: row 2
    people = [_person("a"), _person("b", "a@b"), _person("c"), _person("d")]
    people[2]["created_at"] = ""
    path = write(tmp_path / "early.csv", people)
    reason = "'a@b' is not an email address: The part after the @-sign is not valid. It should "
    assert _reject(jm, path) == (2, "email", reason + "have a period.")
    # one row breaking both: the row's value rules come before its address
    people = [_person("a"), _person("b", "a@b")]
    people[1]["created_at"] = "yesterday"
    path = write(tmp_path / "both.csv", people)
    time_reason = "'yesterday' is not an ISO 8601 time such as 2026-01-05T09:00:00Z"
    assert _reject(jm, path) == (2, "created_at", time_reason)


def test_an_address_repeated_is_named_at_its_first_row(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    people = [_person("a", "x@y"), _person("b", "ok@x.org"), _person("c", "x@y")]
    people.insert(0, _person("z", "zed@x.org"))
    path = write(tmp_path / "people.csv", people)
    row, column, reason = _reject(jm, path)
    assert (row, column) == (2, "email")
    assert reason.startswith("'x@y' is not an email address: ")


def test_good_addresses_and_empty_cells_are_imported(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    people = [
        _person("a", "ann@x.org"),
        _person("b", "ä@bücher.de"),
        _person("c", ""),
        _person("d", "first.last+tag@sub.example.co.uk"),
    ]
    jm.import_files([write(tmp_path / "people.csv", people)])
    assert [(r["contact_id"], json.loads(r["fields"])) for r in rows(jm, "contacts")] == [
        ("a", {"plan": "pro", "email": "ann@x.org"}),
        ("b", {"plan": "pro", "email": "ä@bücher.de"}),
        ("c", {"plan": "pro"}),
        ("d", {"plan": "pro", "email": "first.last+tag@sub.example.co.uk"}),
    ]
