"""Webhook signing: the store's secret (made on first use, rotatable) and the signature header.

The header is `Journeymap-Signature: t=<unix seconds>,v1=<hex>`: the hex HMAC-SHA256, keyed with
the secret, of the timestamp, a dot and the exact body. For a day after a rotation, a second
`v1=` signed with the previous secret follows, so receivers can switch secrets without a gap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from journeymap.clock import Clock, as_utc
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

HEADER = "Journeymap-Signature"
ROTATION_OVERLAP = timedelta(hours=24)
"""How long after a rotation requests are signed with the previous secret as well."""
SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix that marks a secret, no secret itself


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` under the secret."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(keys: list[str], timestamp: int, body: bytes) -> str:
    """The header's value: the timestamp, then one signature per secret."""
    return ",".join([f"t={timestamp}", *(f"v1={sign(k, timestamp, body)}" for k in keys)])


class WebhookKeys:
    """The signing secrets kept in the store: the newest signs, the one before it for a day."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def current(self) -> str:
        """The secret requests are signed with (made and kept on first use)."""
        rows = self._kept()
        return str(rows[0]["secret"]) if rows else self.rotate()

    def rotate(self) -> str:
        """Make a new secret; the previous one still signs for ROTATION_OVERLAP."""
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        batch = FactBatch()
        batch.add("webhook_keys", (secret, self.clock.now()))
        self.store.append(batch)
        return secret

    def signing(self, now: datetime) -> list[str]:
        """The secrets a request made at `now` is signed with, newest first."""
        rows = self._kept()
        if not rows:
            return [self.rotate()]
        keys = [str(rows[0]["secret"])]
        if len(rows) > 1 and now - as_utc(rows[0]["created_at"]) < ROTATION_OVERLAP:
            keys.append(str(rows[1]["secret"]))
        return keys

    def _kept(self) -> list[dict[str, Any]]:
        return self.store.query("webhook_keys")
