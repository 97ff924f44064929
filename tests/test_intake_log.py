"""The intake log: durable, ordered, group-committed, deduplicated by client event id."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.intake import IntakeLog
from journeymap.intake.records import decode, encode

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _buy(contact: str, amount: int, event_id: str | None = None) -> Event:
    return Event("purchase", contact, T0, amount=Decimal(amount), event_id=event_id)


@pytest.fixture
def log(tmp_path: Path) -> IntakeLog:
    return IntakeLog(str(tmp_path / "store.duckdb.intake"), ManualClock(T0))


def test_an_event_reads_back_exactly_as_it_was_accepted() -> None:
    event = Event(
        "form_submitted",
        "ann",
        T0,
        form="signup",
        utm={"source": "google", "campaign": "spring"},
        tags=("lead", "vip"),
        fields={"name": "Ann \u00e9", "email": "ann@example.org"},
        event_id="e-1",
    )
    anonymous = Event("page_visited", None, T0, url="https://x.example/a?b=1", visitor_id="v1")
    refund = Event("purchase", "bob", T0, amount=Decimal("-12.50"), product="hat")
    assert decode(encode([event, anonymous, refund])) == [event, anonymous, refund]


def test_requests_get_increasing_positions_and_read_back_in_order(log: IntakeLog) -> None:
    first = log.append("events", [_buy("ann", 1), _buy("bob", 2)])
    second = log.append("contact", [Event("contact_created", "cy", T0)])
    assert (first.pos, first.accepted, first.duplicates) == (1, 2, 0)
    assert (second.pos, second.accepted) == (2, 1)
    entries = log.read(0, 100)
    assert [(e.pos, e.kind, [x.contact_id for x in e.events]) for e in entries] == [
        (1, "events", ["ann", "bob"]),
        (2, "contact", ["cy"]),
    ]
    assert [e.pos for e in log.read(1, 100)] == [2]
    assert log.pending(0) == (3, T0)
    assert log.pending(2) == (0, None)


def test_a_read_stops_at_the_event_budget_but_always_returns_one_entry(log: IntakeLog) -> None:
    for n in range(4):
        log.append("events", [_buy(f"c{n}", 1), _buy(f"c{n}", 2), _buy(f"c{n}", 3)])
    assert [e.pos for e in log.read(0, 7)] == [1, 2]
    assert [e.pos for e in log.read(0, 1)] == [1]  # one entry of three events
    assert [e.pos for e in log.read(2, 100)] == [3, 4]


def test_ids_seen_before_in_the_request_in_the_log_or_remembered_are_duplicates(
    log: IntakeLog,
) -> None:
    r = log.append("events", [_buy("ann", 1, "o-1"), _buy("ann", 1, "o-1"), _buy("ann", 2)])
    assert (r.accepted, r.duplicates, r.kept) == (2, 1, (0, 2))
    r = log.append("events", [_buy("bob", 5, "o-2"), _buy("ann", 1, "o-1")])
    assert (r.accepted, r.duplicates, r.kept) == (1, 1, (0,))
    r = log.append("events", [_buy("ann", 1, "o-1")])
    assert (r.pos, r.accepted, r.duplicates) == (None, 0, 1)  # nothing new: no entry
    log.remember_ids(["old-1"])
    r = log.append("events", [_buy("dan", 9, "old-1"), _buy("dan", 9, "new-1")])
    assert (r.accepted, r.duplicates) == (1, 1)
    assert [len(e.events) for e in log.read(0, 100)] == [2, 1, 1]


def test_requests_queued_during_a_commit_share_the_next_one(log: IntakeLog) -> None:
    before = log.commits
    with log._write_lock:  # the writer is busy committing: requests queue up behind it
        first = log.submit("events", [_buy("ann", 1)])
        while log._queue:  # the writer has taken the first request and waits for the disk
            pass
        rest = [log.submit("events", [_buy(f"c{n}", n + 1)]) for n in range(9)]
    assert [f.result(10).pos for f in (first, *rest)] == list(range(1, 11))
    assert log.commits == before + 2  # ten requests, two disk commits


def test_what_was_committed_survives_a_reopen_and_positions_are_never_reused(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "log.intake")
    log = IntakeLog(path, ManualClock(T0))
    log.append("events", [_buy("ann", 1, "o-1")])
    log.append("events", [_buy("bob", 2)])
    log_id = log.log_id
    log.close()
    again = IntakeLog(path, ManualClock(T0))
    assert again.log_id == log_id
    assert [(e.pos, e.events[0].contact_id) for e in again.read(0, 10)] == [(1, "ann"), (2, "bob")]
    again.trim(2)  # the writer deletes them with its next commit, or when it stops
    again.close()
    third = IntakeLog(path, ManualClock(T0))
    assert third.read(0, 10) == []
    assert third.append("events", [_buy("ann", 1, "o-1")]).duplicates == 1  # ids outlive trims
    assert third.append("events", [_buy("cy", 3)]).pos == 3  # positions outlive trims too
    third.close()


def test_a_stopped_log_refuses_requests_and_a_restarted_one_takes_them(log: IntakeLog) -> None:
    log.stop()
    with pytest.raises(RuntimeError, match="not taking requests"):
        log.submit("events", [_buy("ann", 1)])
    log.start()
    assert log.append("events", [_buy("ann", 1)]).pos == 1
