"""The email courier: one outbox message over SMTP, a refusal told temporary or permanent."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage as MimeMessage
from typing import Any

from journeymap.channels.email.smtp import SmtpConfig, SmtpTransport, addresses, build_message
from journeymap.channels.outcomes import Attempt, reason
from journeymap.model.addresses import ADDRESS_FIELD, address_problem

NOTIFY = "notify"
"""The outbox kind of a notification about a contact, to the team (never suppressed)."""

Send = Callable[[MimeMessage], dict[str, tuple[int, bytes]]]
"""Hands a message to the SMTP server; returns the recipients it refused while taking it."""


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _failed(what: str, exc: Exception) -> str:
    return reason(f"{what}: {type(exc).__name__}: {exc}")


def smtp_failure(exc: smtplib.SMTPException | OSError) -> Attempt:
    """A 5xx answer refuses the message for good; anything else (4xx, a login the server does not
    take, the network) is tried again."""
    error = reason(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = [f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items()]
        error = reason(f"SMTPRecipientsRefused: {'; '.join(refusals)}")
        permanent = all(500 <= code < 600 for code, _msg in exc.recipients.values())
        return Attempt("refused" if permanent else "deferred", error)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Attempt("deferred", error)  # the server's settings, not this message
    if isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600:
        error = reason(f"{type(exc).__name__}: {exc.smtp_code} {_text(exc.smtp_error)}")
        return Attempt("refused", error)
    return Attempt("deferred", error)


class EmailCourier:
    """Delivers the email outbox: messages to contacts and notifications to the team."""

    channel = "email"
    query = "email_due"

    def __init__(self, config: SmtpConfig, send: Send | None = None) -> None:
        self.config = config
        self.send: Send = send or SmtpTransport(config).send

    def attempt(self, row: dict[str, Any]) -> Attempt:
        """One message: whatever goes wrong with it is its status, never the pass's."""
        notify = row["kind"] == NOTIFY
        fields = json.loads(row["contact_fields"] or "{}")
        if not notify and fields.get("email_status") == "unsubscribed":
            return Attempt("suppressed", "the contact unsubscribed before the message went")
        to = row["to_address"] or (self.config.notify_to if notify else None)
        if not to:
            missing = "notify_to setting" if notify else f"{ADDRESS_FIELD!r} field"
            return Attempt("no_address", f"no address to send to: no {missing}")
        for address in addresses(to):
            problem = address_problem(address)
            if problem is not None:
                why = f"the address {address!r} cannot receive mail: {problem}"
                return Attempt("invalid", reason(why))
        try:
            message = build_message({**row, "to_address": to}, self.config.sender)
        except Exception as exc:  # a message that cannot be built fails alone
            return Attempt("invalid", _failed("the message cannot be built", exc))
        try:
            refused = self.send(message)
        except (smtplib.SMTPException, OSError) as exc:
            return smtp_failure(exc)
        except Exception as exc:  # this message cannot be sent; the rest can
            return Attempt("invalid", _failed("the message cannot be sent", exc))
        error: str | None = None
        if refused:  # some recipients of a notification refused, the others took it
            parts = [f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in refused.items()]
            error = reason(f"refused by some recipients: {'; '.join(parts)}")
        if notify:
            return Attempt("delivered", error)
        where = (row["map_id"], row["element_id"], row["contact_id"])
        return Attempt("delivered", error, on_delivery=lambda at: sent_event(where, at))


def sent_event(where: tuple[str, str, str], at: datetime) -> dict[str, list[tuple[Any, ...]]]:
    """The `sent` email event of a message (map, element, contact) the server took at `at`."""
    return {"email_events": [("sent", *where, at)]}
