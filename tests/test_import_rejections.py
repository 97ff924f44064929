"""A file with any bad row is rejected whole, naming file, row and column; nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import journeymap
from journeymap.errors import ImportRejected
from test_import_support import EMPTY, add_journey, counts, iso, write


def _visit(contact: str | None = "a", element: str = "start", **kw: Any) -> dict[str, Any]:
    return {"contact_id": contact, "element_id": element, "entered_at": iso(0), **kw}


GOOD = _visit()

VISIT_CASES = [
    pytest.param(
        [GOOD, _visit(element="nowhere")],
        2,
        "element_id",
        "'nowhere' is not an element of map 'journey' (version 1)",
        id="unknown-element",
    ),
    pytest.param(
        [GOOD, _visit(map_id="other")],
        2,
        "map_id",
        "unknown map 'other'",
        id="unknown-map",
    ),
    pytest.param(
        [GOOD, GOOD, _visit(entered_at="yesterday")],
        3,
        "entered_at",
        "'yesterday' is not an ISO 8601 time such as 2026-01-05T09:00:00Z",
        id="unparsable-time",
    ),
    pytest.param(
        [GOOD, _visit(entered_at="2026-02-30T10:00:00Z")],
        2,
        "entered_at",
        "'2026-02-30T10:00:00Z' is not an ISO 8601 time such as 2026-01-05T09:00:00Z",
        id="impossible-date",
    ),
    pytest.param([GOOD, _visit(contact=None)], 2, "contact_id", "missing value", id="no-contact"),
    pytest.param(
        [GOOD, _visit(entered_at=None)], 2, "entered_at", "missing value", id="no-entered-at"
    ),
    pytest.param(
        [GOOD, _visit(left_at="2026-01-05T08:59:00Z")],
        2,
        "left_at",
        "left_at 2026-01-05T08:59:00+00:00 is before entered_at 2026-01-05T09:00:00+00:00",
        id="left-before-entered",
    ),
    pytest.param(
        [GOOD, _visit(duration_s="-5")], 2, "duration_s", "negative duration", id="negative"
    ),
    pytest.param(
        [GOOD, _visit(duration_s="ten")],
        2,
        "duration_s",
        "'ten' is not a number",
        id="non-numeric-duration",
    ),
    pytest.param(
        [GOOD, _visit(left_at=iso(10), duration_s="60")],
        2,
        "duration_s",
        "60.0 s disagrees with left_at - entered_at",
        id="duration-disagrees",
    ),
    pytest.param(
        [GOOD, _visit(element="welcome", achieved_at=iso(5))],
        2,
        "achieved_at",
        "given on element 'welcome', which is not a goal",
        id="achieved-off-goal",
    ),
    pytest.param(
        [GOOD, _visit(element="buy", entered_at=iso(5), achieved_at=iso(1))],
        2,
        "achieved_at",
        "achieved_at 2026-01-05T09:01:00+00:00 is before entered_at 2026-01-05T09:05:00+00:00",
        id="achieved-before-entered",
    ),
    pytest.param(
        [GOOD, _visit(element="welcome", from_element_id="ghost")],
        2,
        "from_element_id",
        "'ghost' is not an element of map 'journey' (version 1)",
        id="unknown-from-element",
    ),
    pytest.param(
        [
            _visit(),
            _visit(element="buy", entered_at=iso(5), achieved_at=iso(30)),
            _visit(element="done", entered_at=iso(20)),
        ],
        2,
        "achieved_at",
        "is after the contact's next visit at 2026-01-05T09:20:00+00:00",
        id="achieved-after-moving-on",
    ),
    pytest.param(
        [GOOD, _visit(element="nowhere"), _visit(entered_at="soon")],
        2,
        "element_id",
        "'nowhere' is not an element of map 'journey' (version 1)",
        id="first-bad-row-wins",
    ),
    pytest.param(
        [GOOD, _visit(entered_at="soon"), _visit(element="nowhere")],
        2,
        "entered_at",
        "'soon' is not an ISO 8601 time such as 2026-01-05T09:00:00Z",
        id="first-bad-row-wins-over-later-rule",
    ),
]


@pytest.mark.parametrize(("visits", "row", "column", "reason"), VISIT_CASES)
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_bad_visit_rejects_the_file(
    jm: journeymap.Journeymap,
    tmp_path: Path,
    suffix: str,
    visits: list[dict[str, Any]],
    row: int,
    column: str,
    reason: str,
) -> None:
    add_journey(jm)
    rows = [{"map_id": "journey", **v} if "map_id" not in v else v for v in visits]
    path = write(tmp_path / f"visits{suffix}", rows)
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path])
    assert (err.value.file, err.value.row, err.value.column, err.value.reason) == (
        f"visits{suffix}",
        row,
        column,
        reason,
    )
    assert err.value.code == "import_rejected"
    assert counts(jm) == EMPTY


def test_message_names_file_row_and_column(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    path = write(tmp_path / "v.csv", [GOOD, _visit(element="nowhere")])
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path], map_id="journey")
    assert str(err.value) == (
        "[import_rejected] v.csv, row 2, column 'element_id': "
        "'nowhere' is not an element of map 'journey' (version 1)"
    )


def test_rows_are_counted_across_batches(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    good = [_visit(contact=f"c{i}") for i in range(6)]
    path = write(tmp_path / "v.parquet", [*good, _visit(contact=None), *good])
    pq.write_table(pq.read_table(path), path, row_group_size=2)  # rows counted over row groups
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path], map_id="journey")
    assert (err.value.row, err.value.column) == (7, "contact_id")
    assert counts(jm) == EMPTY


def test_visit_before_the_recorded_history_is_rejected(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    jm.import_files([write(tmp_path / "one.csv", [_visit(entered_at=iso(30))])], map_id="journey")
    before = counts(jm)
    late = write(tmp_path / "two.csv", [_visit(contact="b"), _visit(element="welcome")])
    with pytest.raises(ImportRejected) as err:
        jm.import_files([late], map_id="journey")
    assert (err.value.row, err.value.column, err.value.reason) == (
        2,
        "entered_at",
        "is before this contact's last recorded move on the map at 2026-01-05T09:30:00+00:00",
    )
    assert counts(jm) == before


def test_missing_map_and_unknown_map_option(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    path = write(tmp_path / "v.csv", [GOOD])
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path])
    assert (err.value.row, err.value.column, err.value.reason) == (
        1,
        "map_id",
        "missing value (or give --map)",
    )
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path], map_id="other")
    assert (err.value.row, err.value.column, err.value.reason) == (
        None,
        "map_id",
        "unknown map 'other' (given by --map)",
    )
    assert counts(jm) == EMPTY


RECORD_CASES = [
    pytest.param(
        [
            {"contact_id": "a", "map_id": "journey", "event": "sent", "occurred_at": iso(0)},
            {"contact_id": "a", "map_id": "journey", "event": "bounced", "occurred_at": iso(1)},
        ],
        2,
        "event",
        "unknown event 'bounced'; one of sent, opened, clicked, unsubscribed",
        id="unknown-email-event",
    ),
    pytest.param(
        [
            {"contact_id": "a", "occurred_at": iso(0), "amount": "12.50"},
            {"contact_id": "a", "occurred_at": iso(1), "amount": "12,50"},
        ],
        2,
        "amount",
        "'12,50' is not a number",
        id="non-numeric-amount",
    ),
    pytest.param(
        [{"contact_id": "a", "occurred_at": iso(0), "amount": "nan"}],
        1,
        "amount",
        "'nan' is not a number",
        id="not-finite-amount",
    ),
    pytest.param(
        [{"visitor_id": None, "contact_id": None, "url": "/x", "occurred_at": iso(0)}],
        1,
        "visitor_id",
        "missing value: a page visit needs visitor_id or contact_id",
        id="anonymous-without-visitor",
    ),
    pytest.param(
        [
            {
                "utm_field": "channel",
                "utm_value": "ads",
                "period_start": "2026-01-01",
                "period_end": "2026-01-31",
                "amount": "100",
            }
        ],
        1,
        "utm_field",
        "unknown UTM field 'channel'; one of source, medium, campaign, content, term",
        id="unknown-utm-field",
    ),
    pytest.param(
        [
            {
                "utm_field": "source",
                "utm_value": "ads",
                "period_start": "2026-01-31",
                "period_end": "2026-01-01",
                "amount": "100",
            }
        ],
        1,
        "period_end",
        "period_end 2026-01-01 is before period_start 2026-01-31",
        id="period-backwards",
    ),
    pytest.param(
        [
            {
                "utm_field": "source",
                "utm_value": "ads",
                "period_start": "2026-01-01",
                "period_end": "2026-01-31",
                "amount": "-1",
            }
        ],
        1,
        "amount",
        "a cost cannot be negative",
        id="negative-cost",
    ),
    pytest.param(
        [{"contact_id": "a", "created_at": "last tuesday"}],
        1,
        "created_at",
        "'last tuesday' is not an ISO 8601 time such as 2026-01-05T09:00:00Z",
        id="contact-bad-time",
    ),
    pytest.param(
        [{"contact_id": "a", "occurred_at": iso(0), "amount": "1", "colour": "red"}],
        None,
        "colour",
        "unknown column for purchases",
        id="unknown-column",
    ),
]


@pytest.mark.parametrize(("records", "row", "column", "reason"), RECORD_CASES)
def test_bad_record_rejects_the_file(
    jm: journeymap.Journeymap,
    tmp_path: Path,
    records: list[dict[str, Any]],
    row: int | None,
    column: str,
    reason: str,
) -> None:
    add_journey(jm)
    with pytest.raises(ImportRejected) as err:
        jm.import_files([write(tmp_path / "f.csv", records)])
    assert (err.value.row, err.value.column, err.value.reason) == (row, column, reason)
    assert counts(jm) == EMPTY


def test_unknown_kind_and_file_type(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", [{"who": "a", "when": iso(0)}])
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path])
    assert err.value.reason == "cannot tell the kind of file from columns ['when', 'who']"
    other = tmp_path / "f.xlsx"
    other.write_text("x")
    with pytest.raises(ImportRejected) as err:
        jm.import_files([other])
    assert err.value.reason == (
        "unknown file type; name it .csv, .json, .jsonl, .ndjson, .parquet, .pq"
    )


def test_json_value_of_another_type(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"contact_id": "a", "occurred_at": "2026-01-05T09:00:00Z", "amount": 5}\n'
        '{"contact_id": "a", "occurred_at": "2026-01-05T09:00:00Z", "amount": [5]}\n'
    )
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path])
    assert (err.value.row, err.value.column) == (2, "amount")
    assert counts(jm) == EMPTY


def test_rejected_file_leaves_earlier_files_written(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    good = write(tmp_path / "good.csv", [GOOD])
    bad = write(tmp_path / "bad.csv", [_visit(contact=None)])
    with pytest.raises(ImportRejected) as err:
        jm.import_files([good, bad], map_id="journey")
    assert err.value.file == "bad.csv"
    assert counts(jm) == {**EMPTY, "contacts": 1, "entries": 1, "transitions": 1, "imports": 1}


def test_rejection_tells_which_files_were_imported_before_it(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add_journey(jm)
    good = write(tmp_path / "good.csv", [GOOD])
    buys = write(tmp_path / "buys.csv", [{"contact_id": "b", "occurred_at": iso(3), "amount": 4}])
    bad = write(tmp_path / "bad.csv", [_visit(contact=None)])
    later = write(tmp_path / "later.csv", [_visit(contact="c")])
    with pytest.raises(ImportRejected) as err:
        jm.import_files([good, buys, bad, later], map_id="journey")
    assert err.value.file == "bad.csv"
    assert [(f.file, f.kind, f.rows, f.written) for f in err.value.imported] == [
        ("good.csv", "visits", 1, {"transitions": 1, "achievements": 0, "entries": 1,
                                   "contacts": 1}),
        ("buys.csv", "purchases", 1, {"purchases": 1, "contacts": 1}),
    ]  # fmt: skip
    assert err.value.not_read == ("later.csv",)
    assert counts(jm) == {**EMPTY, "contacts": 2, "entries": 1, "transitions": 1,
                          "purchases": 1, "imports": 2}  # fmt: skip
