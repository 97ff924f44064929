"""A local SMTP server for email tests: aiosmtpd on a free loopback port, stopped by the test."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

import journeymap
from journeymap.channels import DeliveryWorker
from journeymap.channels.email import EmailCourier, SmtpConfig


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Inbox:
    """Collects every message the local server accepts; answers RCPT for the addresses in
    `refuse` with the reply given there (`550 ...` refuses for good, `450 ...` for now)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port: int | None = None, **server: Any) -> Iterator[tuple[Inbox, int]]:
    """A running SMTP server on 127.0.0.1; stopped when the block ends. `server` goes to
    aiosmtpd: `ssl_context` for implicit TLS, `tls_context` and `require_starttls` for
    STARTTLS, `authenticator` and `auth_require_tls` for a login."""
    inbox = Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **server)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def html_part(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def text_part(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def deliver_emails(jm: journeymap.Journeymap) -> Counter[str]:
    """Hand every queued email to a local SMTP server that takes them all; counts by status."""
    with smtp_server() as (_inbox, port):
        courier = EmailCourier(SmtpConfig(port=port))
        return DeliveryWorker(jm.store, jm.clock, courier).deliver_due()
