"""The request body limits: a size, a time, a token before the body, and few bodies without one.

A body over `max_bytes` gets 413 before any route sees it. An operation that needs a token (its
OpenAPI entry says so) checks it before the body is read: a request without a valid one gets 401
at once, and its connection is closed rather than drained. A body must arrive within `seconds`
(408 and the connection closed); bodies for operations without a token (sign-in, unsubscribe)
are read `anonymous` at a time at most (503 beyond), so clients without a token cannot make the
server hold many bodies.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from journeymap.api.deps import presented_scope
from journeymap.api.errors import Forbidden, Unauthorized, error_body


@dataclass(frozen=True)
class BodyRules:
    """How large a body may be, how long it may take, how many may be read without a token."""

    max_bytes: int
    seconds: float
    anonymous: int


class BodyTimeout(Exception):
    """The client did not send the whole body in time."""


def replaying(body: bytes, receive: Receive, ended: Message | None = None) -> Receive:
    """A `receive` that gives the whole body read so far in one message, then carries on with
    `ended` (the message that ended the body early, if one did) or the client's own."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return ended if ended is not None else await receive()

    return replay


async def too_slow(send: Send, seconds: float) -> None:
    """408: the body did not arrive in time (the connection closes)."""
    text = f"the request body did not arrive within {seconds:g} seconds"
    await _answer(send, 408, "request_timeout", text)


class BodyLimit:
    """ASGI middleware that reads the body within the limits and replays it to the app."""

    def __init__(self, app: ASGIApp, rules: BodyRules) -> None:
        self.app = app
        self.rules = rules
        self._anonymous = 0
        self._guarded: list[tuple[str, re.Pattern[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        most = self.rules.max_bytes
        if declared is not None and (not declared.isdigit() or int(declared) > most):
            text = f"the request body is larger than {self.rules.max_bytes} bytes"
            await _answer(send, 413, "payload_too_large", text)
            return
        has_body = (declared is not None and int(declared) > 0) or b"transfer-encoding" in headers
        if not has_body:
            await self.app(scope, receive, send)
            return
        if self._needs_token(scope):
            try:
                await presented_scope(Request(scope))
            except (Unauthorized, Forbidden) as exc:
                status = 401 if isinstance(exc, Unauthorized) else 403
                extra = [(b"www-authenticate", b"Bearer")] if status == 401 else []
                await _answer(send, status, exc.code, exc.message, extra)
                return
            await self._read_and_call(scope, receive, send)
            return
        if self._anonymous >= self.rules.anonymous:
            text = "too many requests without a token are sending their bodies; retry soon"
            await _answer(send, 503, "busy", text, [(b"retry-after", b"1")])
            return
        self._anonymous += 1
        try:
            await self._read_and_call(scope, receive, send)
        finally:
            self._anonymous -= 1

    async def _read_and_call(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout(self.rules.seconds):
                body = await self._read(receive)
        except TimeoutError:
            await too_slow(send, self.rules.seconds)
            return
        if body is None:
            text = f"the request body is larger than {self.rules.max_bytes} bytes"
            await _answer(send, 413, "payload_too_large", text)
            return
        await self.app(scope, replaying(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None when it grows over the limit."""
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; let the app see it
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.rules.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _needs_token(self, scope: Scope) -> bool:
        """Whether the operation the request goes to needs a token (unknown paths need none)."""
        if self._guarded is None:
            self._guarded = guarded_operations(scope["app"].openapi())
        method, path = scope["method"], scope["path"]
        return any(m == method and pattern.fullmatch(path) for m, pattern in self._guarded)


def guarded_operations(openapi: dict[str, Any]) -> list[tuple[str, re.Pattern[str]]]:
    """The method and path pattern of each operation whose OpenAPI entry asks for a token."""
    found = []
    for path, operations in openapi["paths"].items():
        parts = re.split(r"(\{[^}]+\})", path)
        pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        for method, operation in operations.items():
            if operation.get("security"):
                found.append((method.upper(), re.compile(pattern)))
    return found


async def _answer(
    send: Send, status: int, code: str, text: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """An error answered before the body is read: the connection closes, the body unread."""
    payload = json.dumps(error_body(code, text)).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode("ascii")),
        (b"connection", b"close"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
