"""The page's session cookie: the token's hash, signed, so the browser never keeps the token."""

from __future__ import annotations

from journeymap.api.tokens import Scope, token_hash
from journeymap.email import Signer
from journeymap.store.protocol import Store

COOKIE = "jm_session"
MAX_AGE_S = 14 * 24 * 3600
"""How long a sign-in lasts in the browser (the cookie's Max-Age)."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_value(signer: Signer, token: str) -> str:
    """Cookie value for a token: its sha256 hash and an HMAC of it."""
    digest = token_hash(token)
    return f"{digest}.{signer.sign('session', digest)}"


def session_scope(signer: Signer, store: Store, value: str | None) -> Scope | None:
    """The scope of the token a session cookie stands for; None when it is forged or unknown."""
    if not value:
        return None
    digest, _, signature = value.partition(".")
    if not signer.verify(signature, "session", digest):
        return None
    found = store.scalar("token_scope", {"token_hash": digest})
    return Scope(found) if found is not None else None


def same_origin(method: str, origin: str | None, referer: str | None, host_url: str) -> bool:
    """Whether a cookie-authenticated request may go on: reads always, writes only same-origin."""
    if method.upper() in SAFE_METHODS:
        return True
    base = host_url.rstrip("/")
    if origin is not None:
        return origin.rstrip("/") == base
    return referer is not None and (referer == base or referer.startswith(base + "/"))
