"""The page's session cookie: the token's hash and an expiry, signed with a key kept off the store.

A copy of the store holds token hashes; without the key (a file beside the store that only its
owner may read, or a setting) they make no cookie. The token stays the authority: revoked or
expired, it ends every session signed in with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path

from journeymap.api.tokens import Scope, TokenBook, token_hash
from journeymap.clock import Clock
from journeymap.errors import JourneymapError

COOKIE = "jm_session"
MAX_AGE = timedelta(days=14)
"""How long a sign-in lasts (in the signed value, and the cookie's Max-Age)."""
KEY_SUFFIX = ".session-key"
"""The key file is the store's path with this added: `shop.duckdb.session-key`."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionKeyExposed(JourneymapError):
    """The session key file can be read by other users, so cookies could be forged."""

    code = "session_key_exposed"


def session_key(home: str | None, configured: str | None = None) -> bytes:
    """The signing key: the setting if given, else the key file beside the store's file or
    directory (made once); a store with none here (`home` None) gets a key for this process."""
    if configured:
        return configured.encode("utf-8")
    if home is None:
        return secrets.token_bytes(32)  # nothing to keep it beside: sessions end with the process
    path = Path(f"{home}{KEY_SUFFIX}")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SessionKeyExposed(
                f"the session key {str(path)!r} can be read by others (mode {mode:o}); "
                f"run: chmod 600 {path}"
            ) from None
        return path.read_bytes().strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32))
    return path.read_bytes().strip()


class Sessions:
    """Makes and checks the page's session cookies."""

    def __init__(self, key: bytes, tokens: TokenBook, clock: Clock) -> None:
        self._key = key
        self.tokens = tokens
        self.clock = clock

    def cookie_for(self, token: str) -> str:
        """Cookie value for a signed-in token: `hash.expiry.signature`."""
        digest = token_hash(token)
        expires = int((self.clock.now() + MAX_AGE).timestamp())
        return f"{digest}.{expires}.{self._sign(digest, expires)}"

    def scope(self, value: str | None) -> Scope | None:
        """The scope a cookie signs in with; None if forged, expired, or its token is not active."""
        if not value:
            return None
        digest, _, rest = value.partition(".")
        expires_text, _, signature = rest.partition(".")
        if not expires_text.isdigit() or len(expires_text) > 12:
            return None
        expires = int(expires_text)
        if not hmac.compare_digest(signature, self._sign(digest, expires)):
            return None
        if expires <= self.clock.now().timestamp():
            return None
        return self.tokens.scope_of_hash(digest)

    def _sign(self, digest: str, expires: int) -> str:
        mac = hmac.new(self._key, f"session\n{digest}\n{expires}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def same_origin(method: str, origin: str | None, referer: str | None, host_url: str) -> bool:
    """Whether a cookie-authenticated request may go on: reads always, writes only same-origin."""
    if method.upper() in SAFE_METHODS:
        return True
    base = host_url.rstrip("/")
    if origin is not None:
        return origin.rstrip("/") == base
    return referer is not None and (referer == base or referer.startswith(base + "/"))
