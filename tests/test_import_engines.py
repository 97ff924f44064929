"""History imports on both store engines: the same files imported into DuckDB and into ClickHouse
(chDB) give the same facts, reports and drill-downs; bad files the same errors, with nothing
written on either; a file imported again counts nothing twice; a ClickHouse import that fails
while its rows are inserted takes them out again."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.clock import ManualClock
from journeymap.errors import ImportRejected
from journeymap.importer.landing import WRITTEN
from journeymap.store.clickhouse.store import ClickHouseStore
from journeymap.store.facts import TABLES
from test_engine_support import T0, buy, form
from test_import_support import JOURNEY, add_journey, iso, write
from test_import_visits import VISITS
from test_reports_import import PURCHASES
from test_store_engines import ENGINES, FILTERS, _journey, _plain, every_list, every_report

FACTS = WRITTEN
"""The tables an import writes (the hand-worked counts below name each)."""

CONTACTS: list[dict[str, Any]] = [
    {"contact_id": "c1", "created_at": iso(-60), "utm_source": "ads", "tags": "vip;beta",
     "plan": "pro"},
    {"contact_id": "c2", "created_at": iso(20), "utm_source": "news", "last_utm_source": "ads",
     "city": "Oslo"},
    {"contact_id": "a", "created_at": iso(-5), "utm_campaign": "spring", "email": "a@example.com"},
    {"contact_id": "c9", "created_at": iso(3), "tags": "cold"},
]  # fmt: skip
"""c1 and c2 are imported visitors, a is an engine contact, c9 is new."""

EMAILS: list[dict[str, Any]] = [
    {"contact_id": "c1", "map_id": "journey", "element_id": "welcome", "event": "sent",
     "occurred_at": iso(1)},
    {"contact_id": "c1", "map_id": "journey", "element_id": "welcome", "event": "opened",
     "occurred_at": iso(5)},
    {"contact_id": "c2", "map_id": "journey", "element_id": "welcome", "event": "sent",
     "occurred_at": iso(31)},
    {"contact_id": "b", "map_id": None, "element_id": None, "event": "unsubscribed",
     "occurred_at": iso(50)},
]  # fmt: skip

PAGES: list[dict[str, Any]] = [
    {"visitor_id": "v1", "contact_id": None, "url": "/pricing", "utm_source": "ads",
     "occurred_at": iso(-30)},
    {"visitor_id": "v1", "contact_id": "c1", "url": "/signup", "utm_source": None,
     "occurred_at": iso(0)},
    {"visitor_id": None, "contact_id": "c4", "url": "/blog", "utm_source": "news",
     "occurred_at": iso(9)},
]  # fmt: skip

COSTS: list[dict[str, Any]] = [
    {"utm_field": "source", "utm_value": "ads", "period_start": "2026-01-01",
     "period_end": "2026-01-31", "amount": "120.50"},
    {"utm_field": "source", "utm_value": "google", "period_start": "2026-01-01",
     "period_end": "2026-01-31", "amount": "30"},
]  # fmt: skip

ON_ENGINE_MAP: list[dict[str, Any]] = [
    # b stands at the goal g of the engine's map m since the tick at T0 + 2 days: on to x
    {"contact_id": "b", "element_id": "x", "entered_at": T0 + timedelta(days=2, minutes=30)},
    # d is new to map m: it enters at t and stands at the wait w
    {"contact_id": "d", "element_id": "t", "entered_at": T0 + timedelta(hours=5)},
    {"contact_id": "d", "element_id": "mail", "entered_at": T0 + timedelta(hours=5)},
    {"contact_id": "d", "element_id": "w", "entered_at": T0 + timedelta(hours=5)},
]
"""Visits on the map the engine drives, written by hand in the file's own time text."""


def _files(folder: Path) -> list[Path]:
    """Every kind of file, each in another format."""
    on_m = [{**r, "entered_at": r["entered_at"].isoformat()} for r in ON_ENGINE_MAP]
    return [
        write(folder / "visits.csv", VISITS),
        write(folder / "contacts.jsonl", CONTACTS),
        write(folder / "purchases.parquet", PURCHASES),
        write(folder / "email_events.csv", EMAILS),
        write(folder / "page_visits.jsonl", PAGES),
        write(folder / "costs.csv", COSTS),
        write(folder / "on_m.jsonl", on_m),
    ]


def _facts(jm: journeymap.Journeymap) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of each table an import writes, in one order whatever the engine's."""
    out = {}
    for table in FACTS:
        block = jm.store.read_keyed((table,), None, ())[table]
        rows = [tuple(r[c] for c in TABLES[table]) for r in block.to_pylist()]
        out[table] = sorted(rows, key=repr)
    return out


def _drive(jm: journeymap.Journeymap) -> None:
    """Engine traffic on map m (test_store_engines' journey): a buys and goes to x, b waits at
    the goal g, c entered at g and went on to x."""
    m = _journey()
    jm.add_map(m)
    jm.track(buy("c", T0 - timedelta(hours=1), "7"))
    jm.track(form("a", T0))
    jm.track(form("b", T0 + timedelta(minutes=30), utm={"source": "google"}))
    jm.track(buy("a", T0 + timedelta(hours=2), "25"))
    jm.tick(T0 + timedelta(days=2))


def _import_all(where: str, folder: Path) -> dict[str, Any]:
    """Engine traffic, then every kind of file imported, again, and overlapping; the engine moves
    on after the import; what each step gave, and the facts and figures at the end."""
    out: dict[str, Any] = {}
    files = _files(folder)
    with journeymap.open(where, clock=ManualClock(T0 + timedelta(days=2))) as jm:
        _drive(jm)
        add_journey(jm)
        first = jm.import_files(files[:1], map_id="journey")
        rest = jm.import_files(files[1:-1])
        on_m = jm.import_files(files[-1:], map_id="m")
        out["results"] = [f for r in (first, rest, on_m) for f in r.files]
        out["once"] = _facts(jm)
        out["again"] = jm.import_files(files[:1], map_id="journey").files
        overlap = [*PURCHASES, {"contact_id": "c4", "occurred_at": iso(200), "amount": "-10"}]
        out["overlap"] = jm.import_files([write(folder / "more.csv", overlap)]).files
        out["twice"] = _facts(jm)
        # the engine carries on from imported positions: d waits out w (due a day after 5 h)
        jm.tick(T0 + timedelta(days=2, hours=1))
        jm.track(buy("d", T0 + timedelta(days=2, hours=2), "11"))
        out["facts"] = _facts(jm)
        journey = jm.map("journey")
        out["figures"] = {  # chDB is slow at this: the imported map in full, two of m's reports
            "journey": every_report(jm, journey, FILTERS[:2])
            | every_list(jm, journey, FILTERS[:1]),
            "m": {
                "contact-flow/0": _plain(jm.report("contact-flow", map_id="m")),
                "goal-conversion-rate/g/0": _plain(
                    jm.report("goal-conversion-rate", map_id="m", goal="g")
                ),
            },
        }
    return out


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """_import_all on each engine, from the same files."""
    out = {}
    for name, where in ENGINES.items():
        folder = tmp_path_factory.mktemp(name)
        out[name] = _import_all(where(folder), folder)
    return out


def test_every_kind_of_file_writes_the_same_facts_on_both_engines(
    imported: dict[str, dict[str, Any]],
) -> None:
    duck, click = imported["duckdb"], imported["chdb"]
    assert [f.kind for f in click["results"]] == [
        "visits",
        "contacts",
        "purchases",
        "email_events",
        "page_visits",
        "marketing_costs",
        "visits",
    ]
    assert click["results"] == duck["results"]
    assert click["once"] == duck["once"]
    assert click["facts"] == duck["facts"]


def test_every_report_filter_and_drill_down_is_the_same_after_imports(
    imported: dict[str, dict[str, Any]],
) -> None:
    duck, click = imported["duckdb"]["figures"], imported["chdb"]["figures"]
    assert click.keys() == duck.keys() == {"m", "journey"}
    for map_id, figures in duck.items():
        assert click[map_id].keys() == figures.keys()
        for key, value in figures.items():
            assert click[map_id][key] == value, (map_id, key)


def test_hand_worked_figures_of_the_imported_files_on_chdb(
    imported: dict[str, dict[str, Any]],
) -> None:
    """As test_reports_import works them out for the visits and purchases files, with d: the
    engine's contacts a, b, c are on map m only. On m, b moved from g to x by the import, and d
    entered by the import, was released from w to g by the first tick and went on to x when it
    bought; its purchase also took it into the journey at its goal buy, and on to done."""
    click = imported["chdb"]
    flow = click["figures"]["journey"]["contact-flow/0"]
    assert flow["cohort_size"] == 5
    assert {e["id"]: (e["were_here"], e["here_now"], e["visits"]) for e in flow["elements"]} == {
        "start": (3, 0, 3),
        "welcome": (3, 0, 3),
        "nurture": (1, 0, 1),
        "buy": (2, 2, 4),
        "done": (1, 2, 3),
    }
    ltv = click["figures"]["journey"]["lifetime-value/False/0"]
    spent = {e["id"]: (e["amount_spent"], e["average_spent"]) for e in ltv["elements"]}
    # the purchases file and the overlapping one: c1 40.50, c4 30 - 10 - 10; d 11 (on m)
    assert spent["start"] == (50.5, 16.83)  # c1, c2, c4
    assert spent["buy"] == (61.5, 15.38)  # c1, c3, c4, d
    on_m = click["figures"]["m"]["contact-flow/0"]
    assert on_m["cohort_size"] == 4
    assert {e["id"]: (e["were_here"], e["here_now"]) for e in on_m["elements"]} == {
        "t": (3, 0),
        "mail": (3, 0),
        "w": (3, 0),
        "g": (4, 0),
        "x": (0, 4),
    }
    counts = {t: len(rows) for t, rows in click["once"].items()}
    # contacts: a, b, c by the engine; c1-c4 by visits; c9 by contacts; d by the visits on m.
    # entries: a, b, c; c1-c4; d
    assert counts == {
        "contacts": 9,
        "entries": 4 + 3 + 1,
        # the engine: c 2, a 5, b 4; visits: c1 6 (with its exit), c2 3, c3 1, c4 3; on m: b 1, d 3
        "transitions": 11 + 13 + 4,
        "achievements": 2 + 3,
        "purchases": 2 + 3,
        "email_events": 4,
        "page_visits": 3,
        "marketing_costs": 2,
        "imports": 7,
    }


def test_importing_again_counts_nothing_twice_on_both_engines(
    imported: dict[str, dict[str, Any]],
) -> None:
    for side in imported.values():
        (again,) = side["again"]
        assert (again.file, again.skipped) == ("visits.csv", True)
        (overlap,) = side["overlap"]
        assert (overlap.rows, overlap.duplicates, overlap.written) == (
            4,
            3,
            {"purchases": 1, "contacts": 0},
        )
        more = [r for r in side["twice"]["purchases"] if r not in side["once"]["purchases"]]
        assert more == []  # the one new row equals a stored one: one more of it
        grown = {t: len(side["twice"][t]) - len(side["once"][t]) for t in FACTS}
        assert grown == dict.fromkeys(FACTS, 0) | {"purchases": 1, "imports": 1}
    assert imported["chdb"]["twice"] == imported["duckdb"]["twice"]


BAD: dict[str, list[dict[str, Any]]] = {
    "element.csv": [
        {"contact_id": "c5", "element_id": "start", "entered_at": iso(0)},
        {"contact_id": "c5", "element_id": "nowhere", "entered_at": iso(1)},
    ],
    "missing.csv": [{"contact_id": None, "element_id": "start", "entered_at": iso(0)}],
    "before.csv": [{"contact_id": "c1", "element_id": "welcome", "entered_at": iso(150)}],
    "achieved.parquet": [
        {"contact_id": "c5", "element_id": "start", "entered_at": iso(0), "achieved_at": None},
        {"contact_id": "c5", "element_id": "buy", "entered_at": iso(10), "achieved_at": iso(30)},
        {"contact_id": "c5", "element_id": "done", "entered_at": iso(20), "achieved_at": None},
    ],
    "address.csv": [
        {"contact_id": "c1", "created_at": iso(0), "email": "c1@example.com"},
        {"contact_id": "c6", "created_at": iso(0), "email": "Ann <ann@example.org>"},
    ],
    "amount.csv": [{"contact_id": "c1", "occurred_at": iso(0), "amount": "12,50"}],
    "event.csv": [{"contact_id": "c1", "event": "bounced", "occurred_at": iso(0)}],
    "visitor.csv": [{"visitor_id": None, "contact_id": None, "url": "/", "occurred_at": iso(0)}],
    "cost.csv": [
        {"utm_field": "source", "utm_value": "ads", "period_start": "2026-01-01",
         "period_end": "2026-01-31", "amount": "-1"},
    ],
    "types.jsonl": [
        {"contact_id": "c1", "occurred_at": iso(0), "amount": 3},
        {"contact_id": "c1", "occurred_at": iso(1), "amount": "4"},
    ],
}  # fmt: skip
"""A file breaking each kind's rules; the visits files are imported with --map journey."""


def _bad_imports(where: str, folder: Path) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """Each bad file refused (its error as shown), and then three files at once: a good one, a
    bad one and one not read; the facts before and after."""
    errors = []
    with journeymap.open(where, clock=ManualClock(T0 + timedelta(days=2))) as jm:
        _drive(jm)
        add_journey(jm)
        jm.import_files([write(folder / "visits.csv", VISITS)], map_id="journey")
        before = _facts(jm)
        for name, rows in BAD.items():
            with pytest.raises(ImportRejected) as err:
                jm.import_files([write(folder / name, rows)], map_id="journey")
            errors.append(f"{err.value.code}: {err.value}")
        (folder / "open.csv").write_text('contact_id,element_id,entered_at\nc5,"start,x\n')
        with pytest.raises(ImportRejected) as err:
            jm.import_files([folder / "open.csv"], map_id="journey")
        errors.append(str(err.value))
        with pytest.raises(ImportRejected) as err:
            jm.import_files([write(folder / "more.csv", VISITS[:2])], map_id="nope")
        errors.append(str(err.value))
        assert _facts(jm) == before, "a refused file wrote something"
        good = write(folder / "good.csv", PURCHASES)
        with pytest.raises(ImportRejected) as err:
            jm.import_files([good, folder / "amount.csv", folder / "event.csv"])
        errors.append(f"{err.value}; imported {err.value.imported}; not read {err.value.not_read}")
        return errors, before, _facts(jm)


def test_bad_files_get_the_same_errors_and_write_nothing_on_both_engines(tmp_path: Path) -> None:
    found = {}
    for name, where in ENGINES.items():
        (tmp_path / name).mkdir()
        found[name] = _bad_imports(where(tmp_path / name), tmp_path / name)
    errors, before, after = found["chdb"]
    assert found["duckdb"] == found["chdb"]
    assert errors[:5] == [
        "import_rejected: [import_rejected] element.csv, row 2, column 'element_id': 'nowhere' "
        "is not an element of map 'journey' (version 1)",
        "import_rejected: [import_rejected] missing.csv, row 1, column 'contact_id': missing value",
        "import_rejected: [import_rejected] before.csv, row 1, column 'entered_at': is before this "
        "contact's last recorded move on the map at 2026-01-05T12:00:00+00:00",
        "import_rejected: [import_rejected] achieved.parquet, row 2, column 'achieved_at': is "
        "after the contact's next visit at 2026-01-05T09:20:00+00:00",
        "import_rejected: [import_rejected] address.csv, row 2, column 'email': 'Ann "
        "<ann@example.org>' is not an email address: A display name and angle brackets around "
        "the email address are not permitted here.",
    ]
    grown = {t: len(after[t]) - len(before[t]) for t in FACTS}
    assert grown == dict.fromkeys(FACTS, 0) | {"purchases": 3, "imports": 1}


def test_a_chdb_import_that_fails_while_inserting_takes_out_what_it_inserted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server refuses the last insert of each import (the file's hash): the rows inserted
    before it are taken out again, and what went with them is put back: c1's contact as it was,
    the stored purchase equal to the file's extra copy. Importing again once the server takes
    inserts writes each file once."""
    with journeymap.open(ENGINES["chdb"](tmp_path), clock=ManualClock(T0)) as jm:
        add_journey(jm)
        jm.import_files([write(tmp_path / "visits.csv", VISITS)], map_id="journey")
        jm.import_files([write(tmp_path / "purchases.csv", PURCHASES)])
        jm.import_files([write(tmp_path / "contacts.jsonl", CONTACTS[:1])])
        before = _facts(jm)
        files = [
            # c2 moves on from done, where it stands; c5 is new
            write(
                tmp_path / "more_visits.csv",
                [
                    {"contact_id": "c2", "element_id": "start", "entered_at": iso(300)},
                    {"contact_id": "c5", "element_id": "start", "entered_at": iso(301)},
                ],
            ),
            # a second copy of c4's stored refund, and c8, who is new
            write(
                tmp_path / "more_purchases.csv",
                [
                    {"contact_id": "c4", "occurred_at": iso(200), "amount": "-10"},
                    {"contact_id": "c4", "occurred_at": iso(200), "amount": "-10"},
                    {"contact_id": "c8", "occurred_at": iso(5), "amount": "9"},
                ],
            ),
            # c1 gets a tag and another source; c10 is new
            write(
                tmp_path / "more_contacts.csv",
                [
                    {"contact_id": "c1", "created_at": iso(0), "utm_source": "tv", "tags": "x"},
                    {"contact_id": "c10", "created_at": iso(0), "utm_source": "tv", "tags": ""},
                ],
            ),
        ]
        store = jm.store
        assert isinstance(store, ClickHouseStore)
        insert = store.transport.insert

        def refuse_the_hash(table: str, block: Any) -> None:
            if table == "imports":
                raise ConnectionResetError("the server went away")
            insert(table, block)

        monkeypatch.setattr(store.transport, "insert", refuse_the_hash)
        for path in files:
            with pytest.raises(ConnectionResetError):
                jm.import_files([path], map_id="journey")
            assert _facts(jm) == before, path.name
        monkeypatch.undo()
        written = [jm.import_files([p], map_id="journey").files[0].written for p in files]
        assert written == [
            {"transitions": 2, "achievements": 0, "entries": 1, "contacts": 1},
            {"purchases": 2, "contacts": 1},
            {"contacts": 2},
        ]
        after = _facts(jm)
        grown = {t: len(after[t]) - len(before[t]) for t in FACTS}
        assert grown == {
            "contacts": 3,
            "entries": 1,
            "transitions": 2,
            "achievements": 0,
            "purchases": 2,
            "email_events": 0,
            "page_visits": 0,
            "marketing_costs": 0,
            "imports": 3,
        }
        c1 = next(r for r in after["contacts"] if r[0] == "c1")
        assert (c1[2], c1[12]) == ("tv", ["beta", "vip", "x"])


def test_the_import_command_prints_the_same_on_both_engines(tmp_path: Path) -> None:
    """`journeymap import --store URL`: the lines for the files imported, then the error."""
    good = write(tmp_path / "visits.csv", VISITS)
    bad = write(tmp_path / "bad.csv", BAD["amount.csv"])
    printed = []
    for name, where in ENGINES.items():
        (tmp_path / name).mkdir()
        store = where(tmp_path / name)
        with journeymap.open(store, clock=ManualClock(T0)) as jm:
            add_journey(jm)
        args = ["import", "--store", store, "--map", "journey", str(good), str(bad)]
        out = CliRunner().invoke(app, args)
        printed.append((out.exit_code, out.output))
    assert printed[1] == printed[0]
    assert printed[0] == (
        1,
        "visits.csv: visits, 12 rows; wrote 13 transitions, 3 achievements, 4 entries, "
        "4 contacts\n"
        "bad.csv rejected, nothing of it written; imported before it: visits.csv\n"
        "error [import_rejected] bad.csv, row 1, column 'amount': '12,50' is not a number\n",
    )


ELEMENTS = [e["id"] for e in JOURNEY["elements"]]  # type: ignore[index]

visit_rows = st.lists(
    st.fixed_dictionaries(
        {
            "contact_id": st.sampled_from(["a", "c1", "c2"]),
            "element_id": st.sampled_from([*ELEMENTS, "nowhere"]),
            "entered_at": st.integers(0, 600).map(iso),
            "left_at": st.one_of(st.none(), st.integers(0, 700).map(iso)),
        }
    ),
    min_size=1,
    max_size=8,
)
purchase_rows = st.lists(
    st.fixed_dictionaries(
        {
            "contact_id": st.sampled_from(["a", "c1", "c3"]),
            "occurred_at": st.integers(-60, 600).map(iso),
            "amount": st.sampled_from(["5", "-2.5", "19.99"]),
        }
    ),
    max_size=4,
)


def _random_import(where: str, folder: Path, visits: Any, buys: Any) -> list[Any]:
    """The engine's a on map journey, then the files imported twice: each result or error, the
    facts, and the journey's contact flow and goal conversion rate (every figure of every report
    is compared on random traffic by test_store_engines)."""
    out: list[Any] = []
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        add_journey(jm)
        jm.track(form("a", T0 - timedelta(hours=1)))
        for _ in range(2):
            for path in (write(folder / "v.csv", visits), write(folder / "p.jsonl", buys)):
                try:
                    out.append(jm.import_files([path], map_id="journey").files)
                except ImportRejected as exc:
                    out.append(str(exc))
        out.append(_facts(jm))
        out.append(_plain(jm.report("contact-flow", map_id="journey")))
        out.append(_plain(jm.report("goal-conversion-rate", map_id="journey", goal="buy")))
    return out


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(visits=visit_rows, buys=purchase_rows)
def test_random_import_files_give_the_same_on_both_engines(
    visits: list[dict[str, Any]], buys: list[dict[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        found = []
        for name, where in ENGINES.items():
            folder = Path(tmp) / name
            folder.mkdir()
            found.append(_random_import(where(folder), folder, visits, buys))
        assert found[1] == found[0]
