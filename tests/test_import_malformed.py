"""A malformed file is rejected whole, naming the row and column, and nothing of it is written.

Each file here is written byte for byte the way a broken export or a wrong editor writes it; the
expected row, column and reason are worked out from the bytes.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.errors import ImportRejected
from test_import_support import EMPTY, add_journey, counts, rows

T = "2026-01-05T09:00:00Z"
PEOPLE = "contact_id,created_at,plan\n"
VISITS = "contact_id,map_id,element_id,entered_at\n"


def _reject(jm: journeymap.Journeymap, path: Path) -> tuple[int | None, str | None, str]:
    with pytest.raises(ImportRejected) as err:
        jm.import_files([path])
    assert err.value.file == path.name
    assert counts(jm) == EMPTY  # nothing written, the file not marked imported
    return err.value.row, err.value.column, err.value.reason


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_csv_quote_left_open_is_rejected_not_folded(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    data = PEOPLE + f'a,{T},"pro\nb,{T},basic\nc,{T},basic\n'
    path = _file(tmp_path, "people.csv", data.encode())
    assert _reject(jm, path) == (
        1,
        "plan",
        "a quoted value is never closed (a quote left open folds the rows after it)",
    )


def test_csv_text_after_a_closing_quote(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    data = PEOPLE + f'a,{T},pro\nb,"{T}"x,basic\n'
    path = _file(tmp_path, "people.csv", data.encode())
    assert _reject(jm, path) == (
        2,
        "created_at",
        "text after the closing quote of a quoted value",
    )


def test_csv_quoted_values_may_span_lines(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    data = PEOPLE + f'a,{T},"pro\nplus"\nb,{T},"say ""hi"""\n'
    jm.import_files([_file(tmp_path, "people.csv", data.encode())])
    assert [r["fields"] for r in rows(jm, "contacts")] == [
        '{"plan":"pro\\nplus"}',
        '{"plan":"say \\"hi\\""}',
    ]


def test_csv_ragged_rows(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    short = _file(tmp_path, "short.csv", (PEOPLE + f"a,{T},pro\nb,{T}\n").encode())
    assert _reject(jm, short) == (2, "plan", "the row has 2 values but the header names 3")
    long = _file(tmp_path, "long.csv", (PEOPLE + f"a,{T},pro\nb,{T},pro,x\n").encode())
    assert _reject(jm, long) == (2, None, "the row has 4 values but the header names 3")


def test_csv_header_not_utf8(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    data = b"contact_id,created_at,pl\xe9n\n" + f"a,{T},pro\n".encode()
    path = _file(tmp_path, "people.csv", data)
    assert _reject(jm, path) == (
        None,
        "pl\\xe9n",
        "the header row is not UTF-8 text; save it as UTF-8",
    )


def test_csv_data_row_not_utf8(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    data = PEOPLE.encode() + f"a,{T},pro\n".encode() + b"caf\xe9," + f"{T},pro\n".encode()
    path = _file(tmp_path, "people.csv", data)
    assert _reject(jm, path) == (
        2,
        "contact_id",
        "'caf\\xe9' is not UTF-8 text; save the file as UTF-8",
    )


def test_utf16_files(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    text = PEOPLE + f"a,{T},pro\n"
    with_bom = _file(tmp_path, "bom.csv", text.encode("utf-16"))
    assert _reject(jm, with_bom) == (None, None, "the file is UTF-16 text; save it as UTF-8")
    bare = _file(tmp_path, "bare.csv", text.encode("utf-16-le"))
    assert _reject(jm, bare) == (
        None,
        None,
        "the first line holds NUL bytes: the file is not UTF-8 text (UTF-16 without a byte "
        "order mark?); save it as UTF-8",
    )
    json = _file(tmp_path, "people.jsonl", codecs.BOM_UTF16_LE + '{"a": 1}\n'.encode("utf-16-le"))
    assert _reject(jm, json) == (None, None, "the file is UTF-16 text; save it as UTF-8")


def test_utf8_byte_order_mark_is_read_past(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    path = _file(tmp_path, "people.csv", codecs.BOM_UTF8 + (PEOPLE + f"a,{T},pro\n").encode())
    jm.import_files([path])
    assert [(r["contact_id"], r["fields"]) for r in rows(jm, "contacts")] == [
        ("a", '{"plan":"pro"}')
    ]


def test_damaged_parquet_page(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    n = 3000
    table = pa.table(
        {
            "contact_id": [f"c{i:05d}" for i in range(n)],
            "occurred_at": pa.array([1_767_603_600_000_000] * n, pa.timestamp("us", tz="UTC")),
            "amount": [1.5] * n,
        }
    )
    path = tmp_path / "buys.parquet"
    # one page per column per row group of 1,000 rows: the second group's contact_id page
    # holds rows 1,001 to 2,000
    pq.write_table(table, path, row_group_size=1000, write_batch_size=1000, use_dictionary=False)
    chunk = pq.ParquetFile(path).metadata.row_group(1).column(0)
    data = bytearray(path.read_bytes())
    middle = chunk.data_page_offset + chunk.total_compressed_size // 2
    data[middle : middle + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    row, column, reason = _reject(jm, path)
    assert (row, column) == (1001, "contact_id")
    assert reason.startswith("the page holding this row cannot be decoded (the file is damaged)")


def test_latin1_bytes_deep_in_json_lines(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    good = b"".join(
        b'{"contact_id": "c%d", "occurred_at": "2026-01-05T09:00:00Z", "amount": 3}\n' % i
        for i in range(5000)
    )
    bad = b'{"contact_id": "caf\xe9", "occurred_at": "2026-01-05T09:00:00Z", "amount": 3}\n'
    path = _file(tmp_path, "buys.jsonl", good + bad + good)
    assert _reject(jm, path) == (
        5001,
        "contact_id",
        "'caf\\xe9' is not UTF-8 text; save the file as UTF-8",
    )


def test_json_lines_that_are_no_object_or_repeat_a_key(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    line = '{"contact_id": "a", "occurred_at": "2026-01-05T09:00:00Z", "amount": 3}\n'
    listed = _file(tmp_path, "a.jsonl", (line + "[1, 2]\n").encode())
    assert _reject(jm, listed) == (2, None, "each line must be a JSON object")
    twice = line + '{"contact_id": "a", "amount": 3, "occurred_at": "x", "amount": 4}\n'
    assert _reject(jm, _file(tmp_path, "b.jsonl", twice.encode())) == (
        2,
        "amount",
        "the object has this key twice",
    )
    cut = line + '{"contact_id": "a", "amount": \n'
    assert _reject(jm, _file(tmp_path, "c.jsonl", cut.encode())) == (
        2,
        "amount",
        "not valid JSON: Expecting value",
    )


@pytest.mark.parametrize(
    ("name", "data", "column", "reason"),
    [
        pytest.param(
            "nul.csv",
            f"contact_id,occurred_at,amount,product\na,{T},3,bo\x00ok\n",
            "product",
            "'bo\\x00ok' contains a NUL character",
            id="csv-text",
        ),
        pytest.param(
            "nul.jsonl",
            '{"contact_id": "a", "occurred_at": "' + T + '", "amount": 3, "product": "x\\u0000"}',
            "product",
            "'x\\x00' contains a NUL character",
            id="json-text",
        ),
        pytest.param(
            "id.csv",
            f"contact_id,occurred_at,amount\na\x00b,{T},3\n",
            "contact_id",
            "'a\\x00b' contains a control character (tab, line break, NUL)",
            id="csv-id",
        ),
    ],
)
def test_a_value_holding_nul_is_refused(
    jm: journeymap.Journeymap, tmp_path: Path, name: str, data: str, column: str, reason: str
) -> None:
    assert _reject(jm, _file(tmp_path, name, data.encode())) == (1, column, reason)


def test_header_naming_a_column_twice(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    data = VISITS.replace("\n", ",element_id\n") + f"a,journey,start,{T},welcome\n"
    path = _file(tmp_path, "visits.csv", data.encode())
    assert _reject(jm, path) == (None, "element_id", "the header names this column twice")


def test_empty_file(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    path = _file(tmp_path, "visits.csv", b"")
    assert _reject(jm, path) == (None, None, "the file is empty: no header row")


def test_blanks_around_a_header_name_do_not_change_the_values(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    data = f"contact_id ,created_at\n007,{T}\n"
    jm.import_files([_file(tmp_path, "people.csv", data.encode())])
    assert [r["contact_id"] for r in rows(jm, "contacts")] == ["007"]


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        pytest.param(
            f"a,{T},1e20",
            "amount",
            "'1e20' is too large: a number must be under 10^14",
            id="amount",
        ),
        pytest.param(
            "a,3000-01-01T00:00:00Z,3",
            "occurred_at",
            "'3000-01-01T00:00:00Z' is outside the years 1970 to 2999",
            id="time",
        ),
        pytest.param(
            f"{'x' * 201},{T},3", "contact_id", "is longer than 200 characters", id="id-length"
        ),
        pytest.param(
            "a,2026-01-05T24:00:00Z,3",
            "occurred_at",
            "'2026-01-05T24:00:00Z' is not an ISO 8601 time such as 2026-01-05T09:00:00Z",
            id="hour-24",
        ),
        pytest.param(
            "a,2026-01-05 09:00:00 Europe/Oslo,3",
            "occurred_at",
            "'2026-01-05 09:00:00 Europe/Oslo' is not an ISO 8601 time such as "
            "2026-01-05T09:00:00Z",
            id="zone-name",
        ),
        pytest.param(f"a,{T},1_000", "amount", "'1_000' is not a number", id="underscore"),
    ],
)
def test_values_out_of_bounds(
    jm: journeymap.Journeymap, tmp_path: Path, line: str, column: str, reason: str
) -> None:
    data = f"contact_id,occurred_at,amount\n{line}\n"
    assert _reject(jm, _file(tmp_path, "buys.csv", data.encode())) == (1, column, reason)


def test_a_duration_running_past_the_years_taken(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    add_journey(jm)
    data = VISITS.replace("\n", ",duration_s\n") + f"a,journey,start,{T},1e13\n"
    assert _reject(jm, _file(tmp_path, "visits.csv", data.encode())) == (
        1,
        "duration_s",
        "10000000000000.0 s after entered_at is after the year 2999",
    )


def test_parquet_binary_and_repeated_columns(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    when = pa.array([1_767_603_600_000_000], pa.timestamp("us", tz="UTC"))
    binary = tmp_path / "binary.parquet"
    pq.write_table(pa.table({"contact_id": pa.array([b"a"]), "created_at": when}), binary)
    assert _reject(jm, binary) == (1, "contact_id", "'a' is not text")
    twice = tmp_path / "twice.parquet"
    schema = pa.schema([("contact_id", pa.string()), ("created_at", when.type),
                        ("contact_id", pa.string())])  # fmt: skip
    pq.write_table(pa.Table.from_arrays([pa.array(["a"]), when, pa.array(["b"])], schema=schema),
                   twice)  # fmt: skip
    assert _reject(jm, twice) == (None, "contact_id", "the header names this column twice")


def test_cli_says_one_line_for_every_malformed_file(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    files = {
        "quote.csv": (PEOPLE + f'a,{T},"pro\nb,{T},x\n').encode(),
        "ragged.csv": (PEOPLE + f"a,{T}\n").encode(),
        "header.csv": b"contact_id,created_at,pl\xe9n\n",
        "row.csv": PEOPLE.encode() + b"caf\xe9," + T.encode() + b",x\n",
        "wide.csv": (PEOPLE + f"a,{T},x\n").encode("utf-16"),
        "latin.jsonl": b'{"contact_id": "caf\xe9"}\n',
        "nul.csv": (PEOPLE + f"a,{T},x\x00\n").encode(),
    }
    runner = CliRunner()
    for name, data in files.items():
        path = _file(tmp_path, name, data)
        result = runner.invoke(app, ["import", "--db", str(db), str(path)])
        assert result.exit_code == 1, (name, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, (name, result.output)
        assert lines[0].startswith(f"error [import_rejected] {name}"), (name, result.output)


def test_contact_fields_named_with_quotes_and_accents(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    long = _file(tmp_path, "long.csv", f"contact_id,created_at,{'f' * 201}\nx,{T},1\n".encode())
    assert _reject(jm, long) == (
        None,
        "f" * 40 + "...",
        "a column name is longer than 200 characters",
    )
    data = f'contact_id,created_at,it\'s,Straße,"a,b"\nx,{T},yes,Main 1,c\n'
    jm.import_files([_file(tmp_path, "people.csv", data.encode())])
    assert [json.loads(r["fields"]) for r in rows(jm, "contacts")] == [
        {"a,b": "c", "it's": "yes", "Straße": "Main 1"}
    ]


def test_a_row_longer_than_the_readers_take(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    data = PEOPLE + f"a,{T},pro\nb,{T},{'x' * (3 << 20)}\n"
    path = _file(tmp_path, "people.csv", data.encode())
    assert _reject(jm, path) == (2, None, "the row is longer than 2 MiB")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_blanks_around_values_are_trimmed(
    jm: journeymap.Journeymap, tmp_path: Path, suffix: str
) -> None:
    ids = [" ann", "bob\t", "\u00a0cy", "dan", "\teve \u00a0"]
    products = ["  book ", "pen", "\tink", "", "cup"]
    path = tmp_path / f"buys{suffix}"
    if suffix == ".csv":
        lines = [f'"{i}",{T},3,"{p}"' for i, p in zip(ids, products, strict=True)]
        path.write_bytes(("contact_id,occurred_at,amount,product\n" + "\n".join(lines)).encode())
    else:
        at = (
            pa.array([T.replace("Z", "")] * 5)
            .cast(pa.timestamp("us"))
            .cast(pa.timestamp("us", tz="UTC"))
        )
        table = {"contact_id": ids, "occurred_at": at, "amount": [3.0] * 5, "product": products}
        pq.write_table(pa.table(table), path)
    jm.import_files([path])
    bought = sorted((r["contact_id"], r["product"]) for r in rows(jm, "purchases"))
    assert bought == [("ann", "book"), ("bob", "pen"), ("cy", "ink"), ("dan", None), ("eve", "cup")]


@pytest.mark.parametrize("others", [["b"], [" b "]], ids=["none-trimmed", "some-trimmed"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_control_character_inside_an_id_is_refused(
    jm: journeymap.Journeymap, tmp_path: Path, suffix: str, others: list[str]
) -> None:
    ids = [*others, "a\x01b", "c"]
    path = tmp_path / f"buys{suffix}"
    if suffix == ".csv":
        lines = [f'"{i}",{T},3' for i in ids]
        path.write_bytes(("contact_id,occurred_at,amount\n" + "\n".join(lines)).encode())
    else:
        at = (
            pa.array([T.replace("Z", "")] * 3)
            .cast(pa.timestamp("us"))
            .cast(pa.timestamp("us", tz="UTC"))
        )
        pq.write_table(pa.table({"contact_id": ids, "occurred_at": at, "amount": [3.0] * 3}), path)
    assert _reject(jm, path) == (
        2,
        "contact_id",
        "'a\\x01b' contains a control character (tab, line break, NUL)",
    )
