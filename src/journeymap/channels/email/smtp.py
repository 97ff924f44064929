"""SMTP delivery: the server settings, the MIME message built from an outbox row, and the send."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any, Literal

Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to deliver: host, port, TLS mode, optional login, sender address."""

    host: str = "127.0.0.1"
    port: int = 25
    security: Security = "none"
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 10.0
    sender: str = "journeymap@localhost"
    ca_file: str | None = None
    """PEM file of the CA that signs the server's certificate; None: the system's CAs."""
    notify_to: str | None = None
    """Where notify actions without their own `to` send their notification (the team)."""


def addresses(to: str) -> list[str]:
    """The addresses of a comma-separated list, blanks dropped."""
    return [a.strip() for a in to.split(",") if a.strip()]


def sender_domain(sender: str) -> str:
    """The domain of the sender's address (`news@shop.example` or `Shop <news@shop.example>`)."""
    _name, address = parseaddr(sender)
    return address.rpartition("@")[2] or "localhost"


def build_message(row: dict[str, Any], sender: str) -> MimeMessage:
    """The MIME message of an outbox row: text part, HTML alternative, unsubscribe headers."""
    msg = MimeMessage()
    msg["From"] = formataddr(("", sender)) if "<" not in sender else sender
    msg["To"] = ", ".join(addresses(row["to_address"]))
    msg["Subject"] = row["subject"]
    msg["Message-ID"] = make_msgid(idstring=row["message_id"], domain=sender_domain(sender))
    if row["unsubscribe_url"]:  # a message to the contact, not a notification about it
        msg["List-Unsubscribe"] = f"<{row['unsubscribe_url']}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Journeymap-Message"] = row["message_id"]
    msg.set_content(row["text"] or "")
    if row["html"]:
        msg.add_alternative(row["html"], subtype="html")
    return msg


class SmtpTransport:
    """Sends one message per connection to the configured SMTP server."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def send(self, msg: MimeMessage) -> dict[str, tuple[int, bytes]]:
        """Send one message; the recipients the server refused while it took the others."""
        c = self.config
        client: smtplib.SMTP
        if c.security == "tls":
            client = smtplib.SMTP_SSL(
                c.host, c.port, timeout=c.timeout_seconds, context=self._tls()
            )
        else:
            client = smtplib.SMTP(c.host, c.port, timeout=c.timeout_seconds)
        with client:
            if c.security == "starttls":
                client.starttls(context=self._tls())
            if c.username:
                client.login(c.username, c.password or "")
            refused: dict[str, tuple[int, bytes]] = client.send_message(msg)
            return refused

    def _tls(self) -> ssl.SSLContext:
        """Certificate and host name checked, against the configured CA or the system's."""
        return ssl.create_default_context(cafile=self.config.ca_file)
