"""Dependencies routes declare: the running installation, and the token scope a call needs."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote_to_bytes

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from journeymap.api.errors import Forbidden, InvalidRequest, Unauthorized
from journeymap.api.live import Live
from journeymap.api.tokens import Scope
from journeymap.web import session

_bearer = HTTPBearer(
    auto_error=False,
    description="A token made by `journeymap token create --scope read|write`.",
)


async def utf8_url(request: Request) -> None:
    """Refuse a path or query string whose %-escapes are not UTF-8 (they would read as U+FFFD)."""
    for part in ("path", "query"):
        raw: bytes = request.scope.get("raw_path" if part == "path" else "query_string") or b""
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidRequest(
                part, f"the {part} is not UTF-8 once %-escapes are decoded"
            ) from None


async def get_live(request: Request) -> Live:
    """The running installation (no I/O: resolved on the event loop, not in a worker thread)."""
    live: Live = request.app.state.live
    return live


LiveDep = Annotated[Live, Depends(get_live)]


async def get_sessions(request: Request) -> session.Sessions:
    """The page's session cookies (no I/O: resolved on the event loop)."""
    sessions: session.Sessions = request.app.state.sessions
    return sessions


SessionsDep = Annotated[session.Sessions, Depends(get_sessions)]


async def token_scope(
    request: Request,
    live: LiveDep,
    sessions: SessionsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Scope:
    """The scope of the bearer token, or of the page's session cookie; 401 when neither is valid."""
    if credentials is None:
        cookie = request.cookies.get(session.COOKIE)
        if cookie is not None:
            return _cookie_scope(request, sessions, cookie)
        raise Unauthorized("this call needs an 'Authorization: Bearer <token>' header")
    scope = live.tokens.scope_of(credentials.credentials)
    if scope is None:
        raise Unauthorized("the bearer token is not known, or was revoked, or has expired")
    return scope


async def presented_scope(request: Request) -> Scope:
    """What `token_scope` answers for a request not yet routed (its body still unread)."""
    app = request.app
    return await token_scope(request, app.state.live, app.state.sessions, await _bearer(request))


def _cookie_scope(request: Request, sessions: session.Sessions, cookie: str) -> Scope:
    found = sessions.scope(cookie)
    if found is None:
        raise Unauthorized("the session has ended; sign in again")
    origin, referer = request.headers.get("origin"), request.headers.get("referer")
    if not session.same_origin(request.method, origin, referer, str(request.base_url)):
        raise Forbidden("a signed-in page may write only from this server's own pages")
    return found


async def writer(scope: Annotated[Scope, Depends(token_scope)]) -> Scope:
    """A token that may write; a read token gets 403."""
    if scope is not Scope.write:
        raise Forbidden("this call needs a write token; the token's scope is 'read'")
    return scope


READ = Depends(token_scope)
WRITE = Depends(writer)
