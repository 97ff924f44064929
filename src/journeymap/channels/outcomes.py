"""What a delivery attempt ends in: its status, and the delivery's outcome after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Outcome = Literal["delivered", "pending", "failed"]

STATUSES: dict[str, Outcome] = {
    "delivered": "delivered",  # the SMTP server or the webhook's receiver took it
    "simulated": "delivered",  # the simulator's readers got it; nothing was sent
    "deferred": "pending",  # failed for now: tried again at its next attempt time
    "reopened": "pending",  # a failed delivery retried by hand (not an attempt itself)
    "refused": "failed",  # the server or receiver refused it for good
    "expired": "failed",  # still failing when its retry horizon passed
    "blocked": "failed",  # a webhook address the server may not reach; never requested
    "invalid": "failed",  # it can never be sent as it is
    "no_address": "failed",  # an email with no address to go to
    "suppressed": "failed",  # the contact unsubscribed before its message went
}
"""Every status an attempt row may have, and what it makes of the delivery."""

REASON_CHARS = 500
"""The longest error text kept with an attempt."""


def reason(text: str) -> str:
    """An error as stored: one line, at most REASON_CHARS characters, escaped where need be."""
    one_line = " ".join(text.split())[:REASON_CHARS]
    return one_line.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class Attempt:
    """What one attempt did, as the channel saw it."""

    status: str
    error: str | None = None
    retry_after: float | None = None
    """Seconds the receiver asked to wait before the next attempt (HTTP Retry-After)."""
    on_delivery: Callable[[datetime], dict[str, list[tuple[Any, ...]]]] | None = None
    """Given the attempt's time, the facts a delivery records with it (an email's `sent`)."""

    @property
    def outcome(self) -> Outcome:
        return STATUSES[self.status]
