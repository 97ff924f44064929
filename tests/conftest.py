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
