"""/api/health reports the applier, the scheduler, the email outbox and map errors, says `degraded`
with the reason when one is stuck."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

import journeymap
from journeymap.channels.email import EmailCourier, SmtpConfig
from journeymap.clock import ManualClock
from journeymap.engine import Engine, Event
from journeymap.model.loading import parse_map
from test_api_support import Api, open_api, welcome_map
from test_email_support import smtp_server
from test_engine_support import T0


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    jm.add_map(parse_map(welcome_map()))
    with open_api(jm, smtp_port=9) as a:  # nothing listens on port 9: deliveries fail
        yield a


def _health(api: Api) -> dict[str, Any]:
    r = api.client.get("/api/health")
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    return body


def test_a_fresh_server_is_ok(api: Api) -> None:
    assert _health(api) == {
        "status": "ok",
        "reasons": [],
        "version": "0.1.0",
        "store": "duckdb",
        "intake": {
            "status": "ok",
            "reason": None,
            "running": True,
            "position": 0,
            "lag_events": 0,
            "lag_seconds": 0.0,
            "dead_letters": 0,
            "last_error": None,
        },
        "scheduler": {"status": "ok", "reason": None, "tick_seconds": 1.0, "next_due_at": None},
        "email": {
            "status": "ok",
            "reason": None,
            "pending": 0,
            "oldest_pending_at": None,
            "failing": 0,
            "last_error": None,
            "failed": 0,
        },
        "webhooks": {
            "status": "ok",
            "reason": None,
            "pending": 0,
            "oldest_pending_at": None,
            "failing": 0,
            "last_error": None,
            "failed": 0,
        },
        "maps": {"status": "ok", "reason": None, "errors": 0, "latest_error_at": None},
    }


def test_waits_left_due_make_the_scheduler_degraded_until_released(
    api: Api, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.jm.track(Event("contact_created", "ann", T0))  # no address: settled, never failing
    api.live.outbox.deliver_due()
    due = "2026-01-06T09:00:00Z"
    assert _health(api)["scheduler"]["next_due_at"] == due

    def stuck(_engine: Engine, _now: Any = None) -> int:
        raise RuntimeError("the release of due waits fails")

    monkeypatch.setattr(Engine, "tick", stuck)  # the applier beats, but releases nothing
    clock.set(T0 + timedelta(days=1, seconds=60))  # due a minute ago: a tick may be late
    assert _health(api)["status"] == "ok"
    clock.advance(timedelta(seconds=1))
    health = _health(api)
    assert health["status"] == "degraded"
    reason = "waits due since 2026-01-06T09:00:00+00:00 are not released"
    assert health["reasons"] == [f"scheduler: {reason}"]
    assert health["scheduler"]["reason"] == reason
    for _ in range(500):  # the applier's next beat tries, and fails, to release the wait
        if _health(api)["intake"]["last_error"] is not None:
            break
        time.sleep(0.02)
    health = _health(api)
    assert health["intake"]["last_error"] == (
        "releasing due waits failed: the release of due waits fails"
    )
    assert health["reasons"] == [f"scheduler: {reason}"]
    monkeypatch.undo()  # the applier's next beat releases the wait
    for _ in range(500):
        if _health(api)["status"] == "ok":
            break
        time.sleep(0.02)
    assert _health(api)["scheduler"]["next_due_at"] is None


def test_failing_deliveries_make_email_degraded_until_they_go_through(
    api: Api, clock: ManualClock
) -> None:
    api.jm.track(Event("contact_created", "ann", T0, fields={"email": "ann@x.org"}))
    queued = _health(api)["email"]
    assert (queued["pending"], queued["oldest_pending_at"], queued["failing"]) == (
        1,
        "2026-01-05T09:00:00Z",
        0,
    )
    assert api.live.outbox.deliver_due() == {"deferred": 1}
    health = _health(api)
    email = health["email"]
    assert (health["status"], email["status"], email["pending"], email["failing"]) == (
        "degraded",
        "degraded",
        1,
        1,
    )
    assert email["last_error"].startswith("ConnectionRefusedError")
    assert health["reasons"] == [
        f"email: 1 message(s) failing to deliver; latest: {email['last_error']}"
    ]
    with smtp_server() as (inbox, port):
        api.live.outbox.workers["email"].courier = EmailCourier(SmtpConfig(port=port))
        clock.advance(timedelta(seconds=30))
        assert api.live.outbox.deliver_due() == {"delivered": 1}
    assert len(inbox.messages) == 1
    assert _health(api)["status"] == "ok"
    assert _health(api)["email"]["pending"] == 0


def test_a_message_never_tried_makes_email_degraded(api: Api, clock: ManualClock) -> None:
    api.jm.track(Event("contact_created", "ann", T0, fields={"email": "ann@x.org"}))
    clock.advance(timedelta(seconds=60))
    assert _health(api)["status"] == "ok"  # the worker polls every second: a minute is plenty
    clock.advance(timedelta(seconds=1))
    health = _health(api)
    assert health["reasons"] == [
        "email: a message queued at 2026-01-05T09:00:00+00:00 has had no delivery attempt"
    ]


def test_map_errors_are_counted_without_degrading(api: Api) -> None:
    def fail(effect: Any, _profile: Any, _batch: Any) -> None:
        raise RuntimeError("boom")

    api.jm.engine.listeners.append(fail)
    api.jm.track(Event("contact_created", "ann", T0))
    api.jm.engine.listeners.remove(fail)
    health = _health(api)
    assert health["maps"] == {
        "status": "ok",
        "reason": None,
        "errors": 1,
        "latest_error_at": "2026-01-05T09:00:00Z",
    }
    assert health["status"] == "ok"
