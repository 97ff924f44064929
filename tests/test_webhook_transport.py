"""How webhooks travel: redirects (followed only when allowed, every hop checked), a receiver
slower than the read timeout, and https to a receiver whose certificate a private CA signed."""

from __future__ import annotations

import json
import ssl
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme

import journeymap
from journeymap.api.settings import Settings
from journeymap.channels.webhook import WebhookConfig
from journeymap.clock import ManualClock
from journeymap.model.loading import parse_map
from test_webhook_delivery import figures, hook_map, log, signup, worker
from test_webhook_support import receiver, trickler, verify


def config(**given: Any) -> WebhookConfig:
    settings: dict[str, Any] = {
        "connect_timeout_seconds": 5,
        "read_timeout_seconds": 5,
        "allowed": "127.0.0.1",
    }
    return WebhookConfig(**(settings | given))


def test_a_307_is_followed_with_the_same_post_when_redirects_are_allowed(
    jm: journeymap.Journeymap,
) -> None:
    with receiver((307, {"Location": "/moved?x=1"}, b""), 200) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        assert worker(jm, config=config(max_redirects=2)).deliver_due() == {"delivered": 1}
    first, second = r.requests
    assert (first.path, second.path) == ("/hook", "/moved?x=1")
    assert second.method == "POST"
    assert second.body == first.body
    assert json.loads(second.body)["contact"]["id"] == "ann"
    for name in ("journeymap-delivery", "journeymap-signature"):
        assert second.headers[name] == first.headers[name]
    assert figures(jm) == (1, 0, 0, None)


@pytest.mark.parametrize(
    ("redirects", "answer", "requested", "error"),
    [
        (
            0,
            (307, {"Location": "/moved"}, b""),
            1,
            "HTTP 307 Temporary Redirect (a redirect to /moved; redirects are not followed)",
        ),
        (
            1,
            (308, {"Location": "/again"}, b""),
            2,  # followed once, then one too many
            "HTTP 308 Permanent Redirect (a redirect to /again; more than 1 in a row)",
        ),
        (
            2,
            (302, {"Location": "/moved"}, b""),
            1,
            "HTTP 302 Found (a redirect to /moved; only 307 and 308 are followed, as they keep "
            "the POST and its body)",
        ),
    ],
)
def test_redirects_not_followed_fail_the_delivery_naming_where_they_point(
    jm: journeymap.Journeymap, redirects: int, answer: Any, requested: int, error: str
) -> None:
    with receiver(answer) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        assert worker(jm, config=config(max_redirects=redirects)).deliver_due() == {"refused": 1}
    assert len(r.requests) == requested
    assert figures(jm) == (0, 0, 1, error)


def test_a_redirect_to_a_forbidden_address_is_blocked_and_never_requested(
    jm: journeymap.Journeymap,
) -> None:
    metadata = "http://169.254.169.254/latest/meta-data"
    with receiver((307, {"Location": metadata}, b"")) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        assert worker(jm, config=config(max_redirects=3)).deliver_due() == {"blocked": 1}
    assert len(r.requests) == 1  # the receiver once; the metadata address never
    (delivery,) = jm.deliveries().deliveries
    assert (delivery.state, delivery.status) == ("failed", "blocked")
    assert delivery.error == (
        "169.254.169.254 resolves to 169.254.169.254, a link-local address; webhooks may reach "
        "only public addresses unless the webhook_allowed setting lists the host or network "
        f"(redirected to {metadata} from {r.url()})"
    )


def test_a_receiver_slower_than_the_read_timeout_is_retried_and_then_delivered(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    with receiver(hold=True) as r:
        jm.add_map(parse_map(hook_map(r.url())))
        signup(jm)
        w = worker(jm, base=10, config=config(read_timeout_seconds=0.5))
        assert w.deliver_due() == {"deferred": 1}  # the receiver holds its answer back
        assert r.hold is not None
        r.hold.set()  # from now on it answers at once
        clock.advance(timedelta(seconds=10))
        assert w.deliver_due() == {"delivered": 1}
    first, second = r.requests
    assert first.headers["journeymap-delivery"] == second.headers["journeymap-delivery"]
    assert [(a[1], a[2], a[3]) for a in log(jm)] == [
        (1, "deferred", "TimeoutError: timed out"),
        (2, "delivered", None),
    ]
    assert figures(jm) == (1, 0, 0, None)


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_attempt_timeout(
    jm: journeymap.Journeymap,
) -> None:
    with trickler() as port:
        jm.add_map(parse_map(hook_map(f"http://127.0.0.1:{port}/hook")))
        signup(jm)
        slow = config(read_timeout_seconds=5, attempt_timeout_seconds=0.5)
        assert worker(jm, config=slow).deliver_due() == {"deferred": 1}
    assert figures(jm) == (0, 1, 0, None)
    assert [(a[1], a[2], a[3]) for a in log(jm)] == [
        (1, "deferred", "TimeoutError: no whole answer within 0.5 seconds")
    ]


@pytest.fixture
def private_ca(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A receiver's TLS context with a certificate for hooks.shop.example, and the CA's PEM file."""
    ca = trustme.CA()
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("hooks.shop.example").configure_cert(server)
    pem = tmp_path / "hooks-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return server, pem


def test_https_to_a_receiver_signed_by_the_ca_the_setting_names(
    jm: journeymap.Journeymap, clock: ManualClock, private_ca: tuple[ssl.SSLContext, Path]
) -> None:
    tls, pem = private_ca
    table = {"hooks.shop.example": ["127.0.0.1"]}
    with receiver(tls=tls) as r:
        jm.add_map(parse_map(hook_map(r.url(host="hooks.shop.example", scheme="https"))))
        signup(jm)
        untrusted = Settings(webhook_allowed="127.0.0.1").webhook()
        w = worker(jm, resolver=lambda h, _p: table[h], config=untrusted)
        assert w.deliver_due() == {"deferred": 1}  # the system's CAs do not know this one
        trusted = Settings(webhook_allowed="127.0.0.1", webhook_ca_file=str(pem)).webhook()
        clock.advance(timedelta(seconds=10))
        w = worker(jm, resolver=lambda h, _p: table[h], config=trusted)
        assert w.deliver_due() == {"delivered": 1}
    (request,) = r.requests
    assert request.headers["host"] == f"hooks.shop.example:{r.port}"
    secret = jm.webhook_keys.current()
    assert verify(secret, request.headers["journeymap-signature"], request.body) > 0
    error = log(jm)[0][3]
    assert error.startswith("SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED]")
    assert figures(jm) == (1, 0, 0, None)


def test_a_redirect_from_https_to_http_is_refused(
    jm: journeymap.Journeymap, private_ca: tuple[ssl.SSLContext, Path]
) -> None:
    tls, pem = private_ca
    table = {"hooks.shop.example": ["127.0.0.1"]}
    with receiver() as plain:
        target = plain.url()
        with receiver((307, {"Location": target}, b""), tls=tls) as r:
            jm.add_map(parse_map(hook_map(r.url(host="hooks.shop.example", scheme="https"))))
            signup(jm)
            c = config(max_redirects=3, ca_file=str(pem))
            assert worker(jm, resolver=lambda h, _p: table[h], config=c).deliver_due() == {
                "refused": 1
            }
    assert len(r.requests) == 1
    assert plain.requests == []
    assert figures(jm)[2:] == (1, f"a redirect to '{target}', which leaves https for http")
