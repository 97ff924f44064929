"""Shared fixtures: a throwaway store, a manual clock, an engine and the library over them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import journeymap
from journeymap.clock import ManualClock

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""A Monday morning: the start of every scenario unless a test says otherwise."""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def jm(tmp_path: Path, clock: ManualClock) -> Iterator[journeymap.Journeymap]:
    """A journeymap over a fresh DuckDB file."""
    lib = journeymap.open(tmp_path / "test.duckdb", clock=clock)
    yield lib
    lib.close()


SHARED = frozenset({"module", "class", "package"})
"""Fixture scopes whose value is built once for many tests of a file."""


LONGEST_FIRST = (
    "test_store_engines.py",
    "test_api_schema.py",
    "test_api_engines.py",
    "test_cli_engines.py",
    "test_reference.py",
    "test_intake_crash.py",
    "test_reports_properties.py",
    "test_import_shaping.py",
    "test_drilldown_properties.py",
    "test_reports_bottlenecks.py",
    "test_live_positions.py",
    "test_api_server.py",
    "test_reports_attribution.py",
    "test_store_copy.py",
    "test_engine_properties.py",
)
"""Files holding the longest tests, run first (in this order, the rest after them in their usual
order): under `pytest -n` the workers take tests in collection order, and a long test taken last
keeps one worker busy while the other has nothing left."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n`, tests sharing a file's fixtures stay on one worker; the rest spread,
    the longest first."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
    for item in items:
        if item.get_closest_marker("xdist_group") is not None or not isinstance(
            item, pytest.Function
        ):
            continue
        defs = item._fixtureinfo.name2fixturedefs.values()
        if any(d[-1].scope in SHARED for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else ""))
