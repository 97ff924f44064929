"""Tokens: list them, make one, revoke one (a write token may do each)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field

from journeymap.api.deps import WRITE, LiveDep
from journeymap.api.errors import documented
from journeymap.api.schemas.common import Time
from journeymap.api.tokens import ID_LENGTH, Scope, Token
from journeymap.model.limits import LINE

router = APIRouter(
    prefix="/api/tokens",
    tags=["tokens"],
    dependencies=[WRITE],
    responses=documented(401, 403, 404, 413, 422),
)

TokenId = Annotated[
    str,
    Path(
        min_length=ID_LENGTH,
        max_length=64,
        pattern=r"^[0-9a-f]+$",
        description="The token's id as listed (the first 12 hex digits of its sha256 hash).",
    ),
]


class TokenOut(Token):
    """A token as listed: its id, scope, name, times and status; never the token itself."""

    status: str


class TokenIn(BaseModel):
    """A token to make: its scope, an optional name, an optional expiry."""

    model_config = ConfigDict(extra="forbid")

    scope: Scope
    name: Annotated[str | None, Field(max_length=LINE.max_length, pattern=LINE.pattern)] = None
    expires_at: Time | None = Field(None, description="When it stops working; default: never.")


class TokenMade(TokenOut):
    """The new token, shown this once, and what is known about it."""

    token: str


def _out(now: datetime, t: Token) -> TokenOut:
    return TokenOut(**t.model_dump(), status=t.status_at(now))


@router.get("")
def get_tokens(live: LiveDep) -> list[TokenOut]:
    """Every token made, oldest first, with its status: active, expired or revoked."""
    now = live.jm.clock.now()
    return [_out(now, t) for t in live.tokens.listed()]


@router.post("", status_code=status.HTTP_201_CREATED)
def make_token(body: TokenIn, live: LiveDep) -> TokenMade:
    """Make a token; the answer is the only time it is shown."""
    token, made = live.write(
        lambda _jm: live.tokens.create(body.scope, name=body.name, expires_at=body.expires_at),
        engine_state=False,
    )
    return TokenMade(**_out(live.jm.clock.now(), made).model_dump(), token=token)


@router.post("/{token_id}/revoke")
def revoke(token_id: TokenId, live: LiveDep) -> TokenOut:
    """Revoke a token: the next request with it, or with a session signed in with it, gets 401."""
    revoked = live.write(lambda _jm: live.tokens.revoke(token_id), engine_state=False)
    return _out(live.jm.clock.now(), revoked)
