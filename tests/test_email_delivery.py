"""SMTP delivery from the outbox: real messages to a local server, retries with backoff."""

from __future__ import annotations

import ssl
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.smtp import AuthResult

import journeymap
from journeymap.channels import DeliveryWorker, RetryPolicy, backoff_delay
from journeymap.channels.email import EmailCourier, Signer, SmtpConfig
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import EventRejected, MapInvalid
from journeymap.model.loading import parse_map
from journeymap.store.facts import FactBatch
from test_api_support import welcome_map
from test_email_support import free_port, html_part, smtp_server, text_part
from test_engine_support import T0

BASE = "http://127.0.0.1:9"


def _setup(jm: journeymap.Journeymap, port: int) -> DeliveryWorker:
    ids = iter(f"msg{i}" for i in range(1, 100))
    jm.configure_tracking(public_url=BASE, secret="k")  # noqa: S106 - a test key
    jm.email.new_id = lambda: next(ids)
    jm.add_map(parse_map(welcome_map()))
    config = SmtpConfig(port=port, sender="news@shop.example", timeout_seconds=5)
    policy = RetryPolicy(base_seconds=30, max_seconds=90, jitter=0)
    return DeliveryWorker(jm.store, jm.clock, EmailCourier(config), policy)


def _contact(jm: journeymap.Journeymap, contact: str, **fields: str) -> None:
    jm.track(Event("contact_created", contact, jm.clock.now(), fields=fields))


def _log(jm: journeymap.Journeymap) -> list[tuple[str, str, int, str]]:
    return [
        (r["delivery_id"], r["contact_id"], r["attempt"], r["status"])
        for r in jm.store.query("delivery_log", {"channel": "email"})
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
    assert worker.deliver_due() == {"deferred": 1}
    clock.advance(timedelta(seconds=29))
    assert worker.deliver_due() == {}
    clock.advance(timedelta(seconds=1))
    assert worker.deliver_due() == {"deferred": 1}
    clock.advance(timedelta(seconds=59))
    assert worker.deliver_due() == {}
    with smtp_server(port) as (inbox, _port):
        clock.advance(timedelta(seconds=1))
        assert worker.deliver_due() == {"delivered": 1}
    assert len(inbox.messages) == 1
    assert _log(jm) == [
        ("msg1", "ann", 1, "deferred"),
        ("msg1", "ann", 2, "deferred"),
        ("msg1", "ann", 3, "delivered"),
    ]
    errors = [r["error"] for r in jm.store.query("delivery_log", {"channel": "email"})]
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


@pytest.mark.parametrize(
    "event",
    [
        Event("contact_created", "ann", T0, fields={"email": "ann@x.org\nBcc: all@x.org"}),
        Event("field_updated", "ann", T0, field="email", value="not an address"),
        Event("form_submitted", "ann", T0, form="f", fields={"email": "Ann <ann@x.org>"}),
    ],
)
def test_an_address_that_cannot_receive_mail_is_refused_where_it_enters(
    jm: journeymap.Journeymap, event: Event
) -> None:
    jm.add_map(parse_map(welcome_map()))
    with pytest.raises(EventRejected, match=r"field .email.: .* is not an email address"):
        jm.track(event)
    assert jm.store.query("contact", {"contact_id": "ann"}) == []
    assert jm.outbox() == []


def test_a_map_setting_a_bad_address_is_refused(jm: journeymap.Journeymap) -> None:
    m = welcome_map()
    m["elements"][1]["action"] = {"type": "update_field", "field": "email", "value": "a@b"}
    with pytest.raises(MapInvalid) as caught:
        jm.add_map(parse_map(m))
    (problem,) = caught.value.problems
    assert (problem.code, problem.element_id) == ("invalid_setting", "hello")
    assert "'a@b' is not an email address" in problem.message


def _queue_around_checks(jm: journeymap.Journeymap, message_id: str, to: str, subject: str) -> None:
    """An outbox row as an older version could have written it, before addresses were checked."""
    batch = FactBatch()
    where = ("welcome", "hello", message_id)
    batch.add("deliveries", (message_id, "email", *where, T0))
    row = (message_id, *where, to, subject, "", "hi", "[]", "u", T0, "message")
    batch.add("email_outbox", row)
    jm.store.append(batch)


def test_a_message_that_cannot_be_built_fails_alone_and_the_rest_are_delivered(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    with smtp_server() as (inbox, port):
        worker = _setup(jm, port)
        _contact(jm, "ann", email="ann@x.org", name="Ann")
        _queue_around_checks(jm, "m-newline", "bob@x.org\nBcc: all@x.org", "Hi")
        _queue_around_checks(jm, "m-header", "cy@x.org", "Hi\nBcc: all@x.org")
        _contact(jm, "dan", email="dan@x.org", name="Dan")
        assert worker.deliver_due() == {"delivered": 2, "invalid": 2}
        clock.advance(timedelta(days=1))
        assert worker.deliver_due() == {}  # an invalid message is settled, never retried
    assert sorted(m["To"] for m in inbox.messages) == ["ann@x.org", "dan@x.org"]
    settled = {r["message_id"]: (r["status"], r["error"]) for r in jm.outbox()}
    status, reason = settled["m-newline"]
    assert status == "invalid"
    assert reason.startswith("the address 'bob@x.org\\nBcc: all@x.org' cannot receive mail: ")
    assert "U+000A" in reason
    assert settled["m-header"][0] == "invalid"
    assert settled["m-header"][1].startswith("the message cannot be built: ValueError: ")
    assert settled["msg1"] == settled["msg2"] == ("delivered", None)


def test_the_message_id_carries_the_senders_domain(jm: journeymap.Journeymap) -> None:
    with smtp_server() as (inbox, port):
        worker = _setup(jm, port)
        worker.courier = EmailCourier(
            SmtpConfig(port=port, sender="Shop News <news@mail.shop.example>")
        )
        _contact(jm, "ann", email="ann@x.org", name="Ann")
        assert worker.deliver_due() == {"delivered": 1}
    msg = inbox.messages[0]
    assert msg["From"] == "Shop News <news@mail.shop.example>"
    assert msg["Message-ID"].startswith("<")
    assert msg["Message-ID"].endswith(".msg1@mail.shop.example>")


class _Logins:
    """An aiosmtpd authenticator that accepts one user and notes every login it was asked."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(
        self, _server: object, _session: object, _envelope: object, mechanism: str, auth: Any
    ) -> AuthResult:
        login = (auth.login.decode(), auth.password.decode())
        self.seen.append(login)
        return AuthResult(success=login == ("shop", "s3cret"))


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_delivery_over_starttls_and_implicit_tls_checks_the_certificate(
    jm: journeymap.Journeymap, tmp_path: Path, security: str
) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_tls)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    logins = _Logins()
    # aiosmtpd offers AUTH on an implicit TLS connection only when it need not require TLS
    tls_kwargs: dict[str, Any] = (
        {"tls_context": server_tls, "require_starttls": True, "auth_require_tls": True}
        if security == "starttls"
        else {"ssl_context": server_tls, "auth_require_tls": False}
    )
    with smtp_server(authenticator=logins, **tls_kwargs) as (inbox, port):
        worker = _setup(jm, port)
        _contact(jm, "ann", email="ann@x.org", name="Ann")
        # the system's CAs do not know this server's certificate: no message leaves
        untrusted = SmtpConfig(
            port=port,
            security=security,  # type: ignore[arg-type]
            username="shop",
            password="s3cret",  # noqa: S106 - the test server's password
        )
        worker.courier = EmailCourier(untrusted)
        assert worker.deliver_due() == {"deferred": 1}
        assert inbox.messages == []
        trusted = replace(untrusted, ca_file=str(ca_file))
        worker.courier = EmailCourier(trusted)
        jm.clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]
        assert worker.deliver_due() == {"delivered": 1}
    assert logins.seen == [("shop", "s3cret")]
    assert [m["To"] for m in inbox.messages] == ["ann@x.org"]
    log = jm.store.query("delivery_log", {"channel": "email"})
    assert [r["status"] for r in log] == ["deferred", "delivered"]
    assert "CERTIFICATE_VERIFY_FAILED" in log[0]["error"]


def _email_figures(jm: journeymap.Journeymap) -> tuple[Any, ...]:
    hello = jm.report("contact-flow", map_id="welcome").element("hello")
    return (hello.sent, hello.queued, hello.failed, hello.last_error)


def test_a_recipient_refused_with_550_fails_the_message_and_it_is_not_sent(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    with smtp_server() as (inbox, port):
        inbox.refuse["bob@x.org"] = "550 5.1.1 <bob@x.org>: no such user"
        worker = _setup(jm, port)
        _contact(jm, "ann", email="ann@x.org", name="Ann")
        _contact(jm, "bob", email="bob@x.org", name="Bob")
        _contact(jm, "cy", email="cy@x.org", name="Cy")
        assert _email_figures(jm) == (0, 3, 0, None)  # queued: none sent yet
        assert worker.deliver_due() == {"delivered": 2, "refused": 1}
        clock.advance(timedelta(days=1))
        assert worker.deliver_due() == {}  # refused for good: not tried again
    assert sorted(m["To"] for m in inbox.messages) == ["ann@x.org", "cy@x.org"]
    error = "SMTPRecipientsRefused: bob@x.org: 550 5.1.1 <bob@x.org>: no such user"
    assert _email_figures(jm) == (2, 0, 1, error)
    sent = sorted(r["contact_id"] for r in jm.store.query("email_events_log"))
    assert sent == ["ann", "cy"]  # `sent` only for what the server took
    (failed,) = jm.deliveries(state="failed", channel="email").deliveries
    assert (failed.contact_id, failed.status, failed.error) == ("bob", "refused", error)
    listed = jm.contacts("welcome", figure="failed", element="hello")
    assert [(row.contact_id, row.value) for row in listed.rows] == [("bob", 1)]


def test_a_temporary_refusal_is_retried_and_the_message_then_counts_as_sent(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    with smtp_server() as (inbox, port):
        inbox.refuse["ann@x.org"] = "450 4.2.1 mailbox busy"
        worker = _setup(jm, port)
        _contact(jm, "ann", email="ann@x.org", name="Ann")
        assert worker.deliver_due() == {"deferred": 1}
        assert _email_figures(jm) == (0, 1, 0, None)
        del inbox.refuse["ann@x.org"]
        clock.advance(timedelta(seconds=30))
        assert worker.deliver_due() == {"delivered": 1}
    assert len(inbox.messages) == 1
    assert _email_figures(jm) == (1, 0, 0, None)


def test_retries_stop_at_the_horizon_and_the_message_fails_with_the_reason(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    port = free_port()  # nothing listens
    worker = _setup(jm, port)
    worker.policy = RetryPolicy(base_seconds=30, max_seconds=90, horizon_seconds=100, jitter=0)
    _contact(jm, "ann", email="ann@x.org", name="Ann")
    # tries at 0, 30 and 90 s; the next (180 s) would be past the 100 s horizon
    for wait, status in [(0, "deferred"), (30, "deferred"), (60, "expired")]:
        clock.advance(timedelta(seconds=wait))
        assert worker.deliver_due() == {status: 1}
    sent, queued, failed, error = _email_figures(jm)
    assert (sent, queued, failed) == (0, 0, 1)
    assert error.startswith("gave up after 3 attempt(s) over 90 s (horizon 100 s); last error: ")
    assert "ConnectionRefusedError" in error
