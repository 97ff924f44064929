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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n`, a module's tests stay on one worker, so its fixtures are built once."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else ""))
