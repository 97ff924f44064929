"""API tokens: made once, shown once, kept only as a sha256 hash with their scope."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from journeymap.clock import Clock
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

PREFIX = "jm_"


class Scope(StrEnum):
    """What a token may do: read reports and lists, or also write maps, contacts and events."""

    read = "read"
    write = "write"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, clock: Clock, scope: Scope) -> str:
    """Make a token with a scope, store its hash, and return the token itself."""
    token = PREFIX + secrets.token_urlsafe(32)
    batch = FactBatch()
    batch.add("tokens", (token_hash(token), scope.value, clock.now()))
    store.append(batch)
    return token


class TokenBook:
    """Looks tokens up by hash; a token found once is remembered (tokens are never revoked)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, Scope] = {}

    def scope_of(self, token: str) -> Scope | None:
        digest = token_hash(token)
        scope = self._known.get(digest)
        if scope is None:
            found = self.store.scalar("token_scope", {"token_hash": digest})
            if found is None:
                return None
            scope = self._known[digest] = Scope(found)
        return scope
