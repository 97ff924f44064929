"""Webhooks delivered to a real local receiver: signed body, retries, horizon, restarts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.channels import DeliveryWorker, RetryPolicy
from journeymap.channels.webhook import WebhookConfig, WebhookCourier
from journeymap.channels.webhook.address import Resolve, resolve
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.loading import parse_map
from test_email_support import free_port
from test_engine_support import T0
from test_webhook_support import receiver, verify


def hook_map(url: str, map_id: str = "crm") -> dict[str, Any]:
    """Newsletter form -> webhook -> end."""
    return {
        "id": map_id,
        "elements": [
            {"id": "signup", "kind": "trigger", "event": {"on": "form_submitted", "form": "news"}},
            {"id": "push", "kind": "action", "action": {"type": "webhook", "url": url}},
            {"id": "done", "kind": "end"},
        ],
        "connectors": [
            {"id": "c1", "from": "signup", "to": "push"},
            {"id": "c2", "from": "push", "to": "done"},
        ],
    }


def ids(prefix: str) -> Callable[[], str]:
    numbers: Iterator[int] = iter(range(1, 1000))
    return lambda: f"{prefix}{next(numbers)}"


def worker(
    jm: journeymap.Journeymap,
    *,
    allowed: str = "127.0.0.1",
    base: float = 10,
    cap: float = 40,
    horizon: float = 3600,
    resolver: Resolve = resolve,
    config: WebhookConfig | None = None,
) -> DeliveryWorker:
    config = config or WebhookConfig(
        connect_timeout_seconds=5, read_timeout_seconds=5, allowed=allowed
    )
    courier = WebhookCourier(config, jm.webhook_keys, jm.clock, resolver=resolver)
    policy = RetryPolicy(base_seconds=base, max_seconds=cap, horizon_seconds=horizon, jitter=0)
    return DeliveryWorker(jm.store, jm.clock, courier, policy)


def signup(jm: journeymap.Journeymap, contact: str = "ann", **extra: Any) -> None:
    jm.track(
        Event(
            "form_submitted",
            contact,
            jm.clock.now(),
            form="news",
            fields={"email": f"{contact}@x.org", "name": contact.title()},
            **extra,
        )
    )


def figures(jm: journeymap.Journeymap, element: str = "push") -> tuple[Any, ...]:
    e = jm.report("contact-flow", map_id="crm").element(element)
    return (e.delivered, e.pending, e.failed, e.last_error)


def log(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    return [
        (r["delivery_id"], r["attempt"], r["status"], r["error"], r["occurred_at"])
        for r in jm.store.query("delivery_log", {"channel": "webhook"})
    ]


def test_the_body_is_documented_json_and_the_signature_verifies(
    jm: journeymap.Journeymap,
) -> None:
    jm.webhook.new_id = ids("dlv")
    with receiver() as r:
        jm.add_map(parse_map(hook_map(r.url("/hook?source=jm"))))
        signup(jm, tags=("lead",), utm={"source": "google"}, event_id="form-1")
        assert worker(jm).deliver_due() == {"delivered": 1}
    (request,) = r.requests
    assert (request.method, request.path) == ("POST", "/hook?source=jm")
    assert request.headers["host"] == f"127.0.0.1:{r.port}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["journeymap-delivery"] == "dlv1"
    assert request.headers["user-agent"].startswith("journeymap-webhook")
    secret = jm.webhook_keys.current()
    assert secret.startswith("whsec_")
    assert verify(secret, request.headers["journeymap-signature"], request.body) == 1767603600
    with pytest.raises(AssertionError):
        verify(secret, request.headers["journeymap-signature"], request.body + b" ")
    assert json.loads(request.body) == {
        "id": "dlv1",
        "type": "action.webhook",
        "created_at": "2026-01-05T09:00:00Z",
        "map": {"id": "crm"},
        "element": {"id": "push"},
        "contact": {
            "id": "ann",
            "created_at": "2026-01-05T09:00:00Z",
            "fields": {"email": "ann@x.org", "name": "Ann"},
            "tags": ["lead"],
            "first_touch": {"source": "google"},
            "last_touch": {"source": "google"},
        },
        "event": {
            "kind": "form_submitted",
            "occurred_at": "2026-01-05T09:00:00Z",
            "event_id": "form-1",
            "form": "news",
            "utm": {"source": "google"},
            "fields": {"email": "ann@x.org", "name": "Ann"},
            "tags": ["lead"],
        },
    }
    assert figures(jm) == (1, 0, 0, None)


def test_two_500s_then_200_send_the_same_delivery_three_times_and_count_one_delivery(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    jm.webhook.new_id = ids("dlv")
    with receiver(500, 500, 200) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        w = worker(jm, base=10)
        assert w.deliver_due() == {"deferred": 1}
        assert figures(jm) == (0, 1, 0, None)
        clock.advance(timedelta(seconds=9))
        assert w.deliver_due() == {}  # backoff: 10 s after the first failure
        clock.advance(timedelta(seconds=1))
        assert w.deliver_due() == {"deferred": 1}
        clock.advance(timedelta(seconds=20))  # doubled
        assert w.deliver_due() == {"delivered": 1}
        assert w.deliver_due() == {}
    assert [q.headers["journeymap-delivery"] for q in r.requests] == ["dlv1", "dlv1", "dlv1"]
    assert len({q.body for q in r.requests}) == 1  # the same bytes every time
    secret = jm.webhook_keys.current()
    stamps = [verify(secret, q.headers["journeymap-signature"], q.body) for q in r.requests]
    assert stamps == [1767603600, 1767603610, 1767603630]  # each try signed when made
    assert [(a[1], a[2], a[3]) for a in log(jm)] == [
        (1, "deferred", "HTTP 500 Internal Server Error"),
        (2, "deferred", "HTTP 500 Internal Server Error"),
        (3, "delivered", None),
    ]
    assert figures(jm) == (1, 0, 0, None)


def test_a_dead_receiver_fails_with_the_reason_once_the_horizon_passes(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    port = free_port()  # nothing listens here
    jm.add_map(parse_map(hook_map(f"http://127.0.0.1:{port}/hook")))
    signup(jm)
    w = worker(jm, base=10, cap=20, horizon=60)
    # tries at 0, 10, 30 and 50 s; the next (70 s) would be past the 60 s horizon
    for wait, expected in [(0, "deferred"), (10, "deferred"), (20, "deferred"), (20, "expired")]:
        clock.advance(timedelta(seconds=wait))
        assert w.deliver_due() == {expected: 1}
    clock.advance(timedelta(days=2))
    assert w.deliver_due() == {}  # failed for good: never tried again
    statuses = [a[2] for a in log(jm)]
    assert statuses == ["deferred", "deferred", "deferred", "expired"]
    last = log(jm)[-1][3]
    assert last.startswith("gave up after 4 attempt(s) over 50 s (horizon 60 s); last error: ")
    assert "ConnectionRefusedError" in last
    assert figures(jm) == (0, 0, 1, last)
    (failed,) = jm.deliveries(state="failed").deliveries
    assert (failed.status, failed.attempts, failed.error) == ("expired", 4, last)


@pytest.mark.parametrize(
    ("addresses", "kind"),
    [
        (["127.0.0.1"], "loopback"),
        (["10.0.0.7"], "private"),
        (["169.254.169.254"], "link-local"),
        (["93.184.215.14", "192.168.1.9"], "private"),  # one bad address is enough
    ],
)
def test_a_name_resolving_to_a_forbidden_address_is_refused_and_never_requested(
    jm: journeymap.Journeymap, addresses: list[str], kind: str
) -> None:
    with receiver() as r:
        jm.add_map(parse_map(hook_map(f"http://hooks.shop.example:{r.port}/hook")))
        signup(jm)
        table = {"hooks.shop.example": addresses}
        assert worker(jm, allowed="", resolver=lambda h, _p: table[h]).deliver_due() == {
            "blocked": 1
        }
    assert r.requests == []
    (delivery,) = jm.deliveries().deliveries
    bad = addresses[-1]
    assert (delivery.state, delivery.status) == ("failed", "blocked")
    assert delivery.error == (
        f"hooks.shop.example resolves to {bad}, a {kind} address; webhooks may reach only "
        f"public addresses unless the webhook_allowed setting lists the host or network"
    )
    assert figures(jm) == (0, 0, 1, delivery.error)


def test_localhost_is_refused_without_the_setting(jm: journeymap.Journeymap) -> None:
    with receiver() as r:
        jm.add_map(parse_map(hook_map(r.url(host="localhost"))))
        signup(jm)
        assert worker(jm, allowed="").deliver_due() == {"blocked": 1}
    assert r.requests == []


@pytest.mark.parametrize("allowed", ["hooks.shop.example", "127.0.0.0/8"])
def test_an_allowed_host_is_reached_at_the_checked_address_under_its_own_name(
    jm: journeymap.Journeymap, allowed: str
) -> None:
    with receiver() as r:
        jm.add_map(parse_map(hook_map(f"http://hooks.shop.example:{r.port}/in")))
        signup(jm)
        table = {"hooks.shop.example": ["127.0.0.1"]}
        w = worker(jm, allowed=allowed, resolver=lambda h, _p: table[h])
        assert w.deliver_due() == {"delivered": 1}
    (request,) = r.requests
    assert request.headers["host"] == f"hooks.shop.example:{r.port}"


def test_a_restart_in_the_middle_of_retries_resumes_them(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "store.duckdb"
    with receiver(503, 200) as r:
        with journeymap.open(path, clock=clock) as jm:
            jm.add_map(parse_map(hook_map(r.url())))
            signup(jm)
            assert worker(jm, base=10).deliver_due() == {"deferred": 1}
        with journeymap.open(path, clock=clock) as jm:
            w = worker(jm, base=10)
            assert w.deliver_due() == {}  # still waiting out its backoff
            clock.advance(timedelta(seconds=10))
            assert w.deliver_due() == {"delivered": 1}
            assert [(a[1], a[2]) for a in log(jm)] == [(1, "deferred"), (2, "delivered")]
            assert figures(jm) == (1, 0, 0, None)
    first, second = r.requests
    assert first.headers["journeymap-delivery"] == second.headers["journeymap-delivery"]
    assert first.body == second.body


@pytest.mark.parametrize("header", ["seconds", "date"])
def test_retry_after_is_honoured_when_longer_than_the_backoff(
    jm: journeymap.Journeymap, clock: ManualClock, header: str
) -> None:
    value = "120" if header == "seconds" else format_datetime(T0 + timedelta(seconds=120), True)
    with receiver((429, {"Retry-After": value}, b"slow down"), 200) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        w = worker(jm, base=10)
        assert w.deliver_due() == {"deferred": 1}
        clock.advance(timedelta(seconds=119))
        assert w.deliver_due() == {}
        clock.advance(timedelta(seconds=1))
        assert w.deliver_due() == {"delivered": 1}
    assert log(jm)[0][3] == "HTTP 429 Too Many Requests: slow down"
    assert len(r.requests) == 2


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((410, {}, b"gone"), "HTTP 410 Gone: gone"),
        ((400, {}, b""), "HTTP 400 Bad Request"),
        (
            (302, {"Location": "http://10.0.0.1/admin"}, b""),
            "HTTP 302 Found (a redirect to http://10.0.0.1/admin; redirects are not followed)",
        ),
    ],
)
def test_other_answers_refuse_the_delivery_for_good(
    jm: journeymap.Journeymap, clock: ManualClock, answer: Any, error: str
) -> None:
    with receiver(answer) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        w = worker(jm)
        assert w.deliver_due() == {"refused": 1}
        clock.advance(timedelta(days=1))
        assert w.deliver_due() == {}
    assert len(r.requests) == 1
    assert figures(jm) == (0, 0, 1, error)


def test_a_failed_delivery_retried_by_hand_is_delivered_and_counted_once(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    jm.webhook.new_id = ids("dlv")
    with receiver(404, 200) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        signup(jm, "bob")
        w = worker(jm)
        assert w.deliver_due() == {"refused": 1, "delivered": 1}
        assert figures(jm) == (1, 0, 1, "HTTP 404 Not Found")
        clock.advance(timedelta(hours=1))
        again = jm.retry_delivery("dlv1")
        assert (again.state, again.status, again.error) == (
            "pending",
            "reopened",
            "retried by hand",
        )
        assert figures(jm) == (1, 1, 0, None)
        assert w.deliver_due() == {"delivered": 1}
    assert figures(jm) == (2, 0, 0, None)
    (record,) = jm.deliveries(contact_id="ann").deliveries
    assert [(a.attempt, a.status, a.outcome) for a in record.attempt_log] == [
        (1, "refused", "failed"),
        (2, "reopened", "pending"),
        (3, "delivered", "delivered"),
    ]
    assert record.attempts == 2  # the retry by hand is no attempt
    with pytest.raises(journeymap.errors.JourneymapError) as caught:
        jm.retry_delivery("dlv1")
    assert caught.value.code == "delivery_not_failed"
    with pytest.raises(journeymap.errors.NotFound) as missing:
        jm.retry_delivery("nope")
    assert missing.value.code == "unknown_delivery"
