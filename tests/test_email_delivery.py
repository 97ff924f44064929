"""SMTP delivery from the outbox: real messages to a local server, retries with backoff."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.email import DeliveryWorker, Signer, SmtpConfig, backoff_delay
from journeymap.engine import Event
from journeymap.model.loading import parse_map
from test_api_support import welcome_map
from test_email_support import free_port, html_part, smtp_server, text_part

BASE = "http://127.0.0.1:9"


def _setup(jm: journeymap.Journeymap, port: int) -> DeliveryWorker:
    ids = iter(f"msg{i}" for i in range(1, 100))
    jm.configure_tracking(public_url=BASE, secret="k")  # noqa: S106 - a test key
    jm.email.new_id = lambda: next(ids)
    jm.add_map(parse_map(welcome_map()))
    config = SmtpConfig(port=port, sender="news@shop.example", timeout_seconds=5)
    return DeliveryWorker(jm.store, jm.clock, config, retry_base_seconds=30, retry_max_seconds=90)


def _contact(jm: journeymap.Journeymap, contact: str, **fields: str) -> None:
    jm.track(Event("contact_created", contact, jm.clock.now(), fields=fields))


def _log(jm: journeymap.Journeymap) -> list[tuple[str, str, int, str]]:
    return [
        (r["message_id"], r["contact_id"], r["attempt"], r["status"])
        for r in jm.store.query("email_delivery_log")
    ]


def test_a_message_reaches_the_smtp_server_rendered_and_tracked(
    jm: journeymap.Journeymap,
) -> None:
    with smtp_server() as (inbox, port):
        worker = _setup(jm, port)
        _contact(jm, "ann", email="ann@x.org", name="Ann <&>")
        assert worker.deliver_due() == {"delivered": 1}
        assert worker.deliver_due() == {}
    assert inbox.envelopes == [("news@shop.example", ["ann@x.org"])]
    msg = inbox.messages[0]
    assert (msg["Subject"], msg["To"], msg["From"]) == (
        "Welcome, Ann <&>",
        "ann@x.org",
        "news@shop.example",
    )
    unsubscribe = (
        f"{BASE}/t/unsubscribe?m=msg1&c=ann&s={Signer('k').sign('unsubscribe', 'msg1', 'ann')}"
    )
    assert msg["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # long: folded onto a new line
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert text_part(msg) == "Hi Ann <&>, see https://shop.example/offer\r\n"
    body = html_part(msg)
    assert "<p>Hi Ann &lt;&amp;&gt;</p>" in body
    sig = Signer("k").sign("click", "msg1", "ann", "0")
    click0 = f"{BASE}/t/click?m=msg1&amp;c=ann&amp;l=0&amp;s={sig}"
    assert f'<a href="{click0}">Offer</a>' in body
    assert "https://shop.example/offer" not in body
    assert _log(jm) == [("msg1", "ann", 1, "delivered")]


def test_a_failed_delivery_is_recorded_and_retried_with_backoff(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    port = free_port()  # nothing listens here yet
    worker = _setup(jm, port)
    _contact(jm, "ann", email="ann@x.org", name="Ann")
    assert worker.deliver_due() == {"failed": 1}
    clock.advance(timedelta(seconds=29))
    assert worker.deliver_due() == {}
    clock.advance(timedelta(seconds=1))
    assert worker.deliver_due() == {"failed": 1}
    clock.advance(timedelta(seconds=59))
    assert worker.deliver_due() == {}
    with smtp_server(port) as (inbox, _port):
        clock.advance(timedelta(seconds=1))
        assert worker.deliver_due() == {"delivered": 1}
    assert len(inbox.messages) == 1
    assert _log(jm) == [
        ("msg1", "ann", 1, "failed"),
        ("msg1", "ann", 2, "failed"),
        ("msg1", "ann", 3, "delivered"),
    ]
    errors = [r["error"] for r in jm.store.query("email_delivery_log")]
    assert errors[0].startswith("ConnectionRefusedError")
    assert errors[2] is None


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_delay(n, 30, 3600).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [
        30,
        60,
        120,
        1920,
        3600,
        3600,
    ]


def test_no_address_and_unsubscribed_contacts_are_settled_without_sending(
    jm: journeymap.Journeymap,
) -> None:
    with smtp_server() as (inbox, port):
        worker = _setup(jm, port)
        _contact(jm, "nomail", name="N")
        _contact(jm, "gone", email="gone@x.org")
        jm.track(Event("email_unsubscribed", "gone", jm.clock.now()))
        assert worker.deliver_due() == {"no_address": 1, "suppressed": 1}
        assert worker.deliver_due() == {}
    assert inbox.messages == []
    assert sorted(_log(jm)) == [
        ("msg1", "nomail", 1, "no_address"),
        ("msg2", "gone", 1, "suppressed"),
    ]


@pytest.mark.parametrize("when", ["before", "after"])
def test_the_worker_thread_delivers_once_woken(jm: journeymap.Journeymap, when: str) -> None:
    with smtp_server() as (inbox, port):
        worker = _setup(jm, port)
        worker.poll_seconds = 0.05
        if when == "before":
            _contact(jm, "ann", email="ann@x.org")
        worker.start()
        try:
            if when == "after":
                _contact(jm, "ann", email="ann@x.org")
                worker.wake()
            for _ in range(200):
                if inbox.messages:
                    break
                time.sleep(0.05)
        finally:
            worker.stop()
    assert [m["To"] for m in inbox.messages] == ["ann@x.org"]
