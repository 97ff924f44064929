"""`journeymap import --db F [--map ID] FILE...` through typer's CliRunner."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.model import parse_map
from test_import_support import EMPTY, JOURNEY, at, counts, iso, moves, write

runner = CliRunner()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "cli.duckdb"
    with journeymap.open(db) as jm:
        jm.add_map(parse_map(JOURNEY))
    return db


def test_import_command_writes_and_then_skips(tmp_path: Path) -> None:
    db = _store(tmp_path)
    visits = write(
        tmp_path / "visits.csv",
        [
            {"contact_id": "a", "element_id": "start", "entered_at": iso(0)},
            {"contact_id": "a", "element_id": "welcome", "entered_at": iso(1)},
        ],
    )
    buys = write(
        tmp_path / "buys.jsonl",
        [{"contact_id": "a", "occurred_at": iso(5), "amount": 12}],
    )
    args = ["import", "--db", str(db), "--map", "journey", str(visits), str(buys)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "visits.csv: visits, 2 rows; wrote 2 transitions, 1 entries, 1 contacts",
        "buys.jsonl: purchases, 1 rows; wrote 1 purchases",
    ]
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert [line.split(" (sha256")[0] for line in again.output.splitlines()] == [
        "visits.csv: skipped, imported before",
        "buys.jsonl: skipped, imported before",
    ]
    with journeymap.open(db) as jm:
        assert moves(jm) == [
            (1, "a", 1, None, "start", None, "enter", at(0)),
            (2, "a", 1, "start", "welcome", "k1", "flow", at(1)),
        ]


def test_import_command_reports_a_rejected_file(tmp_path: Path) -> None:
    db = _store(tmp_path)
    visits = write(
        tmp_path / "visits.csv",
        [
            {"contact_id": "a", "element_id": "start", "entered_at": iso(0)},
            {"contact_id": "a", "element_id": "nowhere", "entered_at": iso(1)},
        ],
    )
    result = runner.invoke(app, ["import", "--db", str(db), "--map", "journey", str(visits)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error [import_rejected] visits.csv, row 2, column 'element_id': "
        "'nowhere' is not an element of map 'journey' (version 1)"
    )
    with journeymap.open(db) as jm:
        assert counts(jm) == EMPTY


def test_import_command_tells_which_files_were_imported_before_a_rejected_one(
    tmp_path: Path,
) -> None:
    db = _store(tmp_path)
    good = write(tmp_path / "good.csv", [{"contact_id": "a", "element_id": "start",
                                           "entered_at": iso(0)}])  # fmt: skip
    buys = write(tmp_path / "buys.jsonl", [{"contact_id": "a", "occurred_at": iso(5), "amount": 3}])
    bad = write(tmp_path / "bad.csv", [{"contact_id": "", "element_id": "start",
                                         "entered_at": iso(0)}])  # fmt: skip
    later = write(tmp_path / "later.csv", [{"contact_id": "b", "element_id": "start",
                                             "entered_at": iso(0)}])  # fmt: skip
    runner.invoke(app, ["import", "--db", str(db), "--map", "journey", str(buys)])
    args = ["import", "--db", str(db), "--map", "journey"]
    result = runner.invoke(app, [*args, str(good), str(buys), str(bad), str(later)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "good.csv: visits, 1 rows; wrote 1 transitions, 1 entries",
        f"buys.jsonl: skipped, imported before (sha256 {_sha(buys)[:12]})",
        "bad.csv rejected, nothing of it written; imported before it: good.csv, buys.jsonl; "
        "not read: later.csv",
        "error [import_rejected] bad.csv, row 1, column 'contact_id': missing value",
    ]
    with journeymap.open(db) as jm:
        assert counts(jm) == {**EMPTY, "contacts": 1, "entries": 1, "transitions": 1,
                              "purchases": 1, "imports": 2}  # fmt: skip


def test_import_command_turns_an_unexpected_failure_into_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _store(tmp_path)
    visits = write(tmp_path / "visits.csv", [{"contact_id": "a", "element_id": "start",
                                              "entered_at": iso(0)}])  # fmt: skip

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("No space left on device\nmore detail")

    monkeypatch.setattr(journeymap.Journeymap, "import_files", broken)
    result = runner.invoke(app, ["import", "--db", str(db), "--map", "journey", str(visits)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error [import_failed] the import stopped: OSError: No space left on device; the file "
        "it was importing was not written (the files before it were)"
    )
