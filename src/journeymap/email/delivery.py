"""The outbox worker: delivers due messages, records each attempt, retries with backoff."""

from __future__ import annotations

import json
import logging
import smtplib
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage as MimeMessage
from typing import Any

from journeymap.clock import Clock, as_utc
from journeymap.email.outbox import SIMULATED
from journeymap.email.smtp import SmtpConfig, SmtpTransport, build_message
from journeymap.model.addresses import ADDRESS_FIELD, address_problem
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

log = logging.getLogger(__name__)

INVALID = "invalid"
"""A message that can never be sent as it is (a bad address, a header that cannot be built)."""

FINAL = ("delivered", "suppressed", "no_address", SIMULATED, INVALID)
"""Statuses that settle a message (email_outbox_pending.sql names the same); `failed` leaves it
in the outbox for another attempt."""


def _reason(text: str) -> str:
    """An error as stored: one line, at most 500 characters, any character escaped if need be."""
    one_line = " ".join(text.split())[:500]
    return one_line.encode("utf-8", "backslashreplace").decode("utf-8")


def backoff_delay(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling from base, capped at max."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


class DeliveryWorker:
    """Works through the outbox; a message is never dropped, only delivered or settled."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: SmtpConfig,
        *,
        retry_base_seconds: float = 30.0,
        retry_max_seconds: float = 3600.0,
        poll_seconds: float = 1.0,
        send: Callable[[MimeMessage], None] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.config = config
        self.retry_base_seconds = retry_base_seconds
        self.retry_max_seconds = retry_max_seconds
        self.poll_seconds = poll_seconds
        self.send = send or SmtpTransport(config).send
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def deliver_due(self) -> Counter[str]:
        """One pass over the outbox: attempt every message that is due; counts by status."""
        now = self.clock.now()
        done: Counter[str] = Counter()
        for row in self.store.query("email_outbox_pending"):
            attempts = int(row["attempts"])
            if (
                attempts
                and as_utc(row["last_attempt_at"])
                + backoff_delay(attempts, self.retry_base_seconds, self.retry_max_seconds)
                > now
            ):
                continue
            status, error = self._attempt(row)
            batch = FactBatch()
            batch.add("email_deliveries", (row["message_id"], attempts + 1, status, error, now))
            self.store.append(batch)
            done[status] += 1
        return done

    def _attempt(self, row: dict[str, Any]) -> tuple[str, str | None]:
        """One message's attempt: whatever goes wrong with it is its status, never the pass's."""
        fields = json.loads(row["contact_fields"] or "{}")
        if fields.get("email_status") == "unsubscribed":
            return "suppressed", None
        address = row["to_address"]
        if not address:
            return "no_address", f"the contact has no {ADDRESS_FIELD!r} field"
        problem = address_problem(address)
        if problem is not None:
            return INVALID, _reason(f"the address {address!r} cannot receive mail: {problem}")
        try:
            message = build_message(row, self.config.sender)
        except Exception as exc:  # a message that cannot be built fails alone
            return INVALID, _reason(f"the message cannot be built: {type(exc).__name__}: {exc}")
        try:
            self.send(message)
        except (smtplib.SMTPException, OSError) as exc:  # the server or network: try again later
            return "failed", _reason(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # this message cannot be sent; the rest can
            return INVALID, _reason(f"the message cannot be sent: {type(exc).__name__}: {exc}")
        return "delivered", None

    # --- background thread ----------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="journeymap-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.deliver_due()
            except Exception:  # keep the worker alive; the outbox row stays for the next pass
                log.exception("outbox pass failed")
            self._wake.wait(self.poll_seconds)
