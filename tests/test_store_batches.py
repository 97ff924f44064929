"""A batch of facts is written as given: an upsert table keeps the last row of each key, and a row
of the wrong width is refused before anything is written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from journeymap.store.duckdb.store import DuckDBStore
from journeymap.store.facts import FactBatch

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _contact(contact_id: str, source: str | None, tags: list[str]) -> tuple[object, ...]:
    return (
        contact_id,
        T0,
        source,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        tags,
        "{}",
    )


def test_an_upsert_batch_keeps_the_last_row_of_each_key(tmp_path: Path) -> None:
    store = DuckDBStore(str(tmp_path / "store.duckdb"))
    batch = FactBatch()
    batch.add("contacts", _contact("c1", "ads", []))
    batch.add("contacts", _contact("c2", None, ["a"]))
    batch.add("contacts", _contact("c1", "news", ["vip"]))
    batch.add("contacts", _contact("c1", "mail", ["vip", "buyer"]))
    store.append(batch)
    got = {
        r["contact_id"]: (r["first_utm_source"], list(r["tags"]))
        for c in ("c1", "c2")
        for r in store.query("contact", {"contact_id": c})
    }
    store.close()
    assert got == {"c1": ("mail", ["vip", "buyer"]), "c2": (None, ["a"])}


def test_a_row_of_the_wrong_width_is_refused_and_nothing_written(tmp_path: Path) -> None:
    store = DuckDBStore(str(tmp_path / "store.duckdb"))
    batch = FactBatch()
    batch.add("purchases", ("c1", T0, 5, "book"))
    batch.add("purchases", ("c2", T0, 5))
    with pytest.raises(ValueError, match="a row of purchases does not have the 4 columns"):
        store.append(batch)
    rows = store.query("import_rows_purchases")
    store.close()
    assert rows == []


def test_a_one_row_upsert_replaces_the_row_of_its_key_or_adds_one(tmp_path: Path) -> None:
    store = DuckDBStore(str(tmp_path / "store.duckdb"))
    for log_id, pos in (("a", 1), ("b", 7), ("a", 2), ("a", 5)):
        store.append(FactBatch({"intake_positions": [(log_id, pos, T0)]}))
    with store.transaction():  # in the transaction that wrote it, as the applier does
        store.append(FactBatch({"intake_positions": [("b", 8, T0)]}))
        store.append(FactBatch({"intake_positions": [("b", 9, T0)]}))
        store.append(FactBatch({"intake_positions": [("c", 1, T0)]}))
        store.append(FactBatch({"intake_positions": [("c", 3, T0)]}))
    rows = store._con.execute("SELECT log_id, pos FROM intake_positions ORDER BY log_id").fetchall()
    store.close()
    assert rows == [("a", 5), ("b", 9), ("c", 3)]
