"""The intake tests run again on the ClickHouse store (chDB): events through the intake log and
the applier into the store, restarts applying what was logged exactly once, dead letters, due
waits and reports read while the applier holds a batch, as on DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import journeymap
from journeymap.clock import ManualClock
from test_intake_applier import (
    test_a_restart_applies_what_was_logged_and_not_applied_exactly_once,
    test_a_retry_of_a_contact_upsert_finds_the_contact_its_first_try_made,
    test_an_event_the_engine_refuses_becomes_a_dead_letter_and_the_rest_is_applied,
    test_events_flow_through_the_log_into_every_report,
    test_reports_answer_while_the_applier_holds_an_uncommitted_transaction,
    test_the_applier_releases_waits_that_fell_due,
)

__all__ = [
    "test_a_restart_applies_what_was_logged_and_not_applied_exactly_once",
    "test_a_retry_of_a_contact_upsert_finds_the_contact_its_first_try_made",
    "test_an_event_the_engine_refuses_becomes_a_dead_letter_and_the_rest_is_applied",
    "test_events_flow_through_the_log_into_every_report",
    "test_reports_answer_while_the_applier_holds_an_uncommitted_transaction",
    "test_the_applier_releases_waits_that_fell_due",
]


@pytest.fixture
def jm(tmp_path: Path, clock: ManualClock) -> Iterator[journeymap.Journeymap]:
    """A journeymap over a fresh ClickHouse store in this process (chDB)."""
    lib = journeymap.open(f"chdb://{tmp_path / 'store'}", clock=clock)
    yield lib
    lib.close()
