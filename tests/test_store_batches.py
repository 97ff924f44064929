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
