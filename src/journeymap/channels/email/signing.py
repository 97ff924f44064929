"""Signed tracking URLs: an HMAC over what the link does, so no one can forge or retarget one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import quote_plus

from journeymap.clock import Clock
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

OPEN_PATH = "/t/open"
CLICK_PATH = "/t/click"
UNSUBSCRIBE_PATH = "/t/unsubscribe"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
"""Where tracking links point when nothing else says: `journeymap serve` with its defaults."""


class Signer:
    """Signs and checks the parts of a tracking link with one secret key."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode("utf-8")

    def sign(self, action: str, *parts: str) -> str:
        message = "\x1f".join((action, *parts)).encode("utf-8")
        digest = hmac.digest(self._key, message, hashlib.sha256)[:16]
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def verify(self, signature: str | None, action: str, *parts: str) -> bool:
        if not signature:
            return False
        expected = self.sign(action, *parts).encode("ascii")
        return hmac.compare_digest(signature.encode("utf-8"), expected)


class TrackingUrls:
    """The open pixel, click and unsubscribe URLs of one message, signed."""

    def __init__(self, base_url: str, signer: Signer) -> None:
        self.base_url = base_url.rstrip("/")
        self.signer = signer

    def open(self, message_id: str, contact_id: str) -> str:
        sig = self.signer.sign("open", message_id, contact_id)
        return f"{self.base_url}{OPEN_PATH}?{_ids(message_id, contact_id)}&s={sig}"

    def click(self, message_id: str, contact_id: str, link: int) -> str:
        sig = self.signer.sign("click", message_id, contact_id, str(link))
        return f"{self.base_url}{CLICK_PATH}?{_ids(message_id, contact_id)}&l={link}&s={sig}"

    def unsubscribe(self, message_id: str, contact_id: str) -> str:
        sig = self.signer.sign("unsubscribe", message_id, contact_id)
        return f"{self.base_url}{UNSUBSCRIBE_PATH}?{_ids(message_id, contact_id)}&s={sig}"

    def is_tracking(self, url: str) -> bool:
        """Whether a URL already points at this server's tracking endpoints."""
        return url.startswith(self.base_url + "/t/")


def _ids(message_id: str, contact_id: str) -> str:
    """The query's message and contact, as `urlencode` writes them (a signature and a link
    number are URL-safe as they are)."""
    return f"m={quote_plus(message_id)}&c={quote_plus(contact_id)}"


def tracking_secret(store: Store, clock: Clock, configured: str | None = None) -> str:
    """The configured secret, else the one kept in the store (made on first use)."""
    if configured:
        return configured
    kept = store.scalar("tracking_key")
    if kept:
        return str(kept)
    secret = secrets.token_urlsafe(32)
    batch = FactBatch()
    batch.add("tracking_keys", (secret, clock.now()))
    store.append(batch)
    return str(store.scalar("tracking_key"))


def public_url(store: Store, clock: Clock, configured: str | None = None) -> str:
    """The configured base URL of tracking links (kept in the store for later runs), else the
    one kept there, else the address `journeymap serve` listens on by default."""
    kept = store.scalar("public_url")
    if configured:
        url = configured.rstrip("/")
        if url != kept:
            batch = FactBatch()
            batch.add("public_urls", (url, clock.now()))
            store.append(batch)
        return url
    return str(kept) if kept else DEFAULT_PUBLIC_URL
