"""`journeymap store copy`: a store built by engine traffic and an import, copied from DuckDB to
ClickHouse (chDB) and back, gives every report (and, back on DuckDB, every drill-down) figure for
figure; a target that is not empty, a bad URL or a failure half way writes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.api.tokens import Scope, create_token, list_tokens
from journeymap.cli import app
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import JourneymapError
from journeymap.model.map import AutomationMap
from journeymap.store import open_store
from journeymap.store.copy import copy_store
from test_engine_support import T0, buy, form
from test_import_support import add_journey, write
from test_import_visits import VISITS
from test_reports_import import PURCHASES
from test_reports_support import flow, links
from test_store_engines import FILTERS, _journey, every_list, every_report

runner = CliRunner()


def _build(where: str) -> list[AutomationMap]:
    """Map m driven by the engine (as test_store_engines' hand-worked journey, with an email
    opened), map journey filled by importing visits and purchases, a marketing cost, a token."""
    m = _journey()
    with journeymap.open(where, clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        jm.track(buy("c", T0 - timedelta(hours=1), "7"))
        jm.track(form("a", T0))
        jm.track(form("b", T0 + timedelta(minutes=30), utm={"source": "google"}))
        jm.track(Event("email_opened", "a", T0 + timedelta(hours=1), map_id="m", element_id="mail"))
        jm.track(buy("a", T0 + timedelta(hours=2), "25"))
        jm.track(buy("a", T0 + timedelta(hours=3), "-5"))
        jm.tick(T0 + timedelta(days=2))
        add_journey(jm)
        folder = Path(where).parent
        jm.import_files([write(folder / "visits.csv", VISITS)], map_id="journey")
        jm.import_files([write(folder / "purchases.csv", PURCHASES)])
        jm.add_marketing_cost("source", "google", "2026-01-01", "2026-01-31", "12.50")
        create_token(jm.store, jm.clock, Scope.read, name="reports")
        return [m, jm.map("journey")]


def _figures(where: str, maps: list[AutomationMap], *, lists: bool = True) -> dict[str, Any]:
    """Every report (and, with `lists`, every drill-down list) of each map, unfiltered."""
    with journeymap.open(where, clock=ManualClock(T0 + timedelta(days=3)), create=False) as jm:
        out: dict[str, Any] = {}
        for m in maps:
            out[m.id] = every_report(jm, m, FILTERS[:1])
            if lists:
                out[m.id] |= every_list(jm, m, FILTERS[:1])
        return out


def _counts(where: str) -> dict[str, int]:
    store = open_store(where, create=False)
    try:
        return {t: n for t, n in store.row_counts().items() if n}
    finally:
        store.close()


def _copy(source: str, target: str) -> Any:
    return runner.invoke(app, ["store", "copy", "--from", source, "--to", target, "--no-progress"])


def test_a_store_copied_to_chdb_and_back_gives_every_figure(tmp_path: Path) -> None:
    duck, click, back = (
        str(tmp_path / "shop.duckdb"),
        f"chdb://{tmp_path / 'shop'}",
        str(tmp_path / "back.duckdb"),
    )
    maps = _build(duck)
    before = _counts(duck)
    done = _copy(duck, click)
    assert done.exit_code == 0, done.output
    total = sum(before.values())
    assert done.output.startswith(f"copied {total:,} rows in {len(before)} tables from {duck}")
    # every table the source has rows in arrives whole: the import's 13 moves and the engine's
    # 11 (a: t, mail, w, pulled to g, x; b: t, mail, w, g; c: entered at g, x)
    assert _counts(click) == before
    assert before["transitions"] == 24
    assert (before["maps"], before["tokens"], before["marketing_costs"]) == (2, 1, 1)
    source = _figures(duck, maps)
    # the drill-down lists on ClickHouse over the same facts are the engines suite's to prove
    # (test_store_engines); here the copy's reports, and below every list after the way back
    copied = _figures(click, maps, lists=False)
    assert copied.keys() == source.keys()
    for m, figures in copied.items():
        for key, value in figures.items():
            assert source[m][key] == value, (m, key)
    with journeymap.open(click, clock=ManualClock(T0 + timedelta(days=3)), create=False) as jm:
        # figures worked by hand in test_store_engines and test_reports_import
        m = jm.report("contact-flow", map_id="m")
        assert {e.id: (e.were_here, e.here_now, e.visits) for e in m.elements} == {
            "t": (2, 0, 2),
            "mail": (2, 0, 2),
            "w": (2, 0, 2),
            "g": (2, 1, 3),
            "x": (0, 2, 2),
        }
        assert (m.element("mail").sent, m.element("mail").opened) == (0, 1)  # no mail server ran
        j = jm.report("contact-flow", map_id="journey")
        assert flow(j) == {
            "start": (3, 0, 3),
            "welcome": (3, 0, 3),
            "nurture": (1, 0, 1),
            "buy": (1, 2, 3),
            "done": (1, 1, 2),
        }
        assert links(j) == {"k1": (3, 1.0), "k2": (1, 1.0), "k3": (1, 1.0), "k4": (1, 1.0)}
        roi = jm.report("roi", map_id="m").as_dict()
        assert [(r["utm_field"], r["contacts"], r["cost"]) for r in roi["rows"][:2]] == [
            ("source", 2, 0.0),
            ("source", 1, 12.5),
        ]
    # and back to DuckDB, where the summaries are rebuilt from the copied facts
    done = _copy(click, back)
    assert done.exit_code == 0, done.output
    assert _counts(back) == before
    assert _figures(back, maps) == source
    with journeymap.open(back, create=False) as jm, journeymap.open(duck, create=False) as orig:
        assert list_tokens(jm.store) == list_tokens(orig.store)
        assert jm.map("journey") == orig.map("journey")


def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    duck, click = str(tmp_path / "shop.duckdb"), f"chdb://{tmp_path / 'shop'}"
    _build(duck)
    assert _copy(duck, click).exit_code == 0
    held = _counts(click)
    again = _copy(duck, click)
    assert again.exit_code == 1
    assert "[store_not_empty]" in again.output
    assert f"it holds maps (2 rows), contacts ({held['contacts']} rows)" in again.output
    assert _counts(click) == held
    other = str(tmp_path / "other.duckdb")
    with journeymap.open(other) as jm:
        add_journey(jm)
    into_duck = _copy(duck, other)
    assert into_duck.exit_code == 1
    assert "[store_not_empty]" in into_duck.output
    # opening made its link key, closing wrote the engine's flush mark
    assert _counts(other) == {"maps": 1, "tracking_keys": 1, "engine_marks": 1}


@pytest.mark.parametrize(
    ("source", "target", "code"),
    [
        ("{duck}", "nosuch://x", "[bad_store_url] nosuch://x: no store engine 'nosuch'"),
        ("{duck}", "chdb://", "[bad_store_url] chdb://: name the store's directory"),
        ("{tmp}/missing.duckdb", "{tmp}/new.duckdb", "[no_store] no store at"),
        ("ftp://{tmp}/shop", "{tmp}/new.duckdb", "[bad_store_url] ftp://"),
    ],
)
def test_a_bad_url_is_an_error_and_writes_nothing(
    tmp_path: Path, source: str, target: str, code: str
) -> None:
    duck = str(tmp_path / "shop.duckdb")
    _build(duck)
    before = _counts(duck)
    names = {"duck": duck, "tmp": str(tmp_path)}
    done = _copy(source.format(**names), target.format(**names))
    assert done.exit_code == 1
    assert code in done.output
    assert _counts(duck) == before
    assert not (tmp_path / "new.duckdb").exists()
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("target", ["chdb://{tmp}/target", "{tmp}/target.duckdb"])
def test_a_copy_that_fails_half_way_leaves_the_target_empty(tmp_path: Path, target: str) -> None:
    duck = str(tmp_path / "shop.duckdb")
    _build(duck)
    where = target.format(tmp=tmp_path)
    written: list[tuple[str, int]] = []

    def broken(table: str, rows: int) -> None:
        written.append((table, rows))
        if table == "transitions":
            raise JourneymapError("the disk filled up", code="disk_full")

    source, into = open_store(duck, create=False), open_store(where)
    try:
        with pytest.raises(JourneymapError, match="disk_full"):
            copy_store(source, into, batch_rows=2, progress=broken)
        assert {t: n for t, n in into.row_counts().items() if n} == {}
    finally:
        source.close()
        into.close()
    # maps, 2 rows; contacts, 7 rows (4 imported, a, b, c) in batches of 2; then the failure
    assert written[:1] == [("maps", 2)]
    assert [n for t, n in written if t == "contacts"] == [2, 2, 2, 1]
    assert written[-1] == ("transitions", 2)
    assert _counts(where) == {}
