"""The intake fast path: a well-formed event POST with a write token is logged without routing.

Event intake is the one call a site makes for every page view and purchase, so its cost per
request bounds the server's throughput. This middleware takes the common case (`POST /api/events`
or `/api/events/batch` with a bearer write token, no query string, a body the event models
accept) straight to the intake log: the body is parsed as FastAPI parses it (the standard
library's JSON, then the same pydantic models) and the answer is written without FastAPI's
routing, dependency resolution and response encoding, within the same body size and time
limits as every other request. Anything else (no token or a bad one, a session cookie,
`?wait=applied`, a body without a declared length or over the limit, a body the models refuse, a
batch over the limit, backpressure) is passed on unchanged, to the body limits and then the
routes, so every error and every other answer comes from one place.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any, Protocol

from pydantic import TypeAdapter, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from journeymap.api.errors import Overloaded
from journeymap.api.limits import BodyRules, replaying, too_slow
from journeymap.api.live import Live
from journeymap.api.schemas.events import EventBatch, EventIn
from journeymap.api.tokens import Scope as TokenScope
from journeymap.engine import Event
from journeymap.intake import Receipt

_ONE: TypeAdapter[Any] = TypeAdapter(EventIn)
_PATHS = {"/api/events": False, "/api/events/batch": True}
"""The fast path's paths, and whether each takes a batch."""
_HEADERS = [(b"content-type", b"application/json")]


class Sink(Protocol):
    """Where the fast path logs events: the server's own log, or the front process's."""

    @property
    def max_batch_events(self) -> int: ...

    def now(self) -> datetime: ...

    def writes(self, token: str) -> bool:
        """Whether a bearer token may write."""
        ...

    async def append(self, events: list[Event]) -> Receipt:
        """Log events durably; Overloaded when the applier is too far behind."""
        ...


class LiveSink:
    """The fast path inside the process that holds the store."""

    def __init__(self, live: Live) -> None:
        self.live = live

    @property
    def max_batch_events(self) -> int:
        return self.live.settings.max_batch_events

    def now(self) -> datetime:
        return self.live.jm.clock.now()

    def writes(self, token: str) -> bool:
        return self.live.tokens.scope_of(token) is TokenScope.write

    async def append(self, events: list[Event]) -> Receipt:
        return (await self.live.track_async(events))[0]


class EventIntake:
    """ASGI middleware: log well-formed, authorised event POSTs; pass everything else on."""

    def __init__(self, app: ASGIApp, sink: Sink, rules: BodyRules) -> None:
        self.app = app
        self.sink = sink
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        batch = _PATHS.get(scope.get("path", "")) if scope["type"] == "http" else None
        if (
            batch is None
            or scope["method"] != "POST"
            or scope["query_string"]
            or not self._may_write(scope)
        ):
            await self.app(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.rules.seconds):
                body, message = await _whole_body(receive)
        except TimeoutError:
            await too_slow(send, self.rules.seconds)
            return
        if message is None and await self._accept(body, batch, send):
            return
        await self.app(scope, replaying(body, receive, message), send)

    def _may_write(self, scope: Scope) -> bool:
        """A bearer write token, and a declared body within the size limit (the body limit
        answers any other body)."""
        size = token = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                size = value
            elif name == b"transfer-encoding":
                return False
            elif name == b"authorization":
                token = value
        if size is None or not size.isdigit() or int(size) > self.rules.max_bytes:
            return False
        return token is not None and self._writes(token)

    def _writes(self, value: bytes) -> bool:
        """Whether an Authorization header holds a write token."""
        kind, _, token = value.decode("latin-1").partition(" ")
        if kind.lower() != "bearer":
            return False
        return self.sink.writes(token.strip())

    async def _accept(self, body: bytes, batch: bool, send: Send) -> bool:
        """Log the body's events and answer; False (nothing logged) when the routes must answer."""
        sink = self.sink
        try:
            data = json.loads(body)
            models = (
                EventBatch.model_validate(data).events if batch else [_ONE.validate_python(data)]
            )
        except (ValueError, RecursionError, ValidationError):  # the routes say why
            return False
        if len(models) > sink.max_batch_events:
            return False
        now = sink.now()
        try:
            receipt = await sink.append([m.to_event(now) for m in models])
        except Overloaded:
            return False
        payload = b'{"accepted":%d,"duplicates":%d,"applied":false,"dead_letters":[]}' % (
            receipt.accepted,
            receipt.duplicates,
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [*_HEADERS, (b"content-length", b"%d" % len(payload))],
            }
        )
        await send({"type": "http.response.body", "body": payload})
        return True


async def _whole_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The request's body; and the message that ended it early if the client went away."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None
