"""API tokens: made once, shown once, kept only as a sha256 hash; listed, expired and revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from journeymap import dates
from journeymap.clock import Clock, as_utc
from journeymap.errors import JourneymapError, NotFound
from journeymap.intake.tokens import TokenMirror
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

PREFIX = "jm_"
ID_LENGTH = 12
"""A token's id: the first hex digits of its hash, enough to name it and useless to sign in."""


class Scope(StrEnum):
    """What a token may do: read reports and lists, or also write maps, contacts and events."""

    read = "read"
    write = "write"


class TokenInvalid(JourneymapError):
    """A token request that breaks a rule (an expiry in the past, an ambiguous id)."""

    code = "token_invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class Token(BaseModel):
    """What is known about a token: never the token itself."""

    token_id: str
    scope: Scope
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def status_at(self, now: datetime) -> str:
        """`active`, `expired` or `revoked`."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Token:
        return cls(
            token_id=row["token_hash"][:ID_LENGTH],
            scope=Scope(row["scope"]),
            name=row["name"],
            created_at=as_utc(row["created_at"]),
            expires_at=as_utc(row["expires_at"]) if row["expires_at"] is not None else None,
            revoked_at=as_utc(row["revoked_at"]) if row["revoked_at"] is not None else None,
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    store: Store,
    clock: Clock,
    scope: Scope,
    *,
    name: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """Make a token with a scope (and a name, an expiry), store its hash, return the token."""
    now = clock.now()
    if expires_at is not None:
        try:
            expires_at = dates.instant(expires_at)
        except dates.DateRejected as exc:
            raise TokenInvalid("expires_at", str(exc)) from None
        if expires_at <= now:
            raise TokenInvalid("expires_at", f"{expires_at.isoformat()} has passed")
    token = PREFIX + secrets.token_urlsafe(32)
    batch = FactBatch()
    batch.add("tokens", (token_hash(token), scope.value, now, expires_at, name))
    store.append(batch)
    return token


def list_tokens(store: Store) -> list[Token]:
    """Every token ever made, oldest first."""
    return [Token.from_row(r) for r in store.query("tokens", {"prefix": ""})]


def revoke_token(store: Store, clock: Clock, token_id: str) -> Token:
    """Revoke the token whose id (or a longer prefix of its hash) is given; it stops working."""
    if len(token_id) < ID_LENGTH:
        raise TokenInvalid("token_id", f"a token id has {ID_LENGTH} characters (token list)")
    rows = store.query("tokens", {"prefix": token_id.lower()})
    if not rows:
        raise NotFound(f"no token {token_id!r}")
    if len(rows) > 1:
        raise TokenInvalid("token_id", f"{token_id!r} names {len(rows)} tokens; give more of it")
    if rows[0]["revoked_at"] is None:
        batch = FactBatch()
        batch.add("token_revocations", (rows[0]["token_hash"], clock.now()))
        store.append(batch)
        rows = store.query("tokens", {"prefix": rows[0]["token_hash"]})
    return Token.from_row(rows[0])


class TokenBook:
    """Answers which scope a token has now, from memory: a request never reads the store for it.

    Every token is read once when the book opens; tokens made or revoked through the book are
    read again before the call returns, and an expiry is checked against the clock at each
    question. No other process can write the store while the server holds it, so the memory is
    never stale.
    """

    def __init__(self, store: Store, clock: Clock, mirror: TokenMirror | None = None) -> None:
        self.store = store
        self.clock = clock
        self.mirror = mirror
        """Where the front process reads tokens: kept equal to the book on every change."""
        self._known = self._read()

    def scope_of(self, token: str) -> Scope | None:
        """The scope of a token, or None when it is unknown, revoked or expired."""
        return self.scope_of_hash(token_hash(token))

    def scope_of_hash(self, digest: str) -> Scope | None:
        """The same, from the token's sha256 hash (as the page's session keeps it)."""
        found = self._known.get(digest)
        if found is None or found.status_at(self.clock.now()) != "active":
            return None
        return found.scope

    def listed(self) -> list[Token]:
        """Every token ever made, oldest first."""
        return list(self._known.values())

    def create(
        self, scope: Scope, *, name: str | None = None, expires_at: datetime | None = None
    ) -> tuple[str, Token]:
        """Make a token (see `create_token`); it works from the next request. The token and
        what is known about it."""
        token = create_token(self.store, self.clock, scope, name=name, expires_at=expires_at)
        self._known = self._read()
        return token, self._known[token_hash(token)]

    def revoke(self, token_id: str) -> Token:
        """Revoke a token by id; it stops working for the next request."""
        revoked = revoke_token(self.store, self.clock, token_id)
        self._known = self._read()
        return revoked

    def _read(self) -> dict[str, Token]:
        # replaced whole, never changed in place: readers on other threads see one or the other
        known = {
            r["token_hash"]: Token.from_row(r) for r in self.store.query("tokens", {"prefix": ""})
        }
        if self.mirror is not None:
            self.mirror.replace(
                (digest, t.scope.value, t.expires_at, t.revoked_at is not None)
                for digest, t in known.items()
            )
        return known
