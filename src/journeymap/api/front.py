"""The front process of `journeymap serve`: it owns the public port and takes event POSTs itself.

The process that holds the store (the back: the applier, reports, every other route) shares one
interpreter between requests, the engine and report reads; event intake would wait for all of
them. The front takes the common event POST (a bearer write token, no query string, a body the
event models accept) without the back: it checks the token against the mirror the back keeps
in the intake log's file, validates the body with the same models, and appends the events to the
same log (SQLite lets both processes write it), answering once the group commit is on disk.
Everything else, including every refusal, `?wait=applied` and backpressure's 503, is passed to
the back unchanged (`PassThrough`), so every other answer comes from one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from time import monotonic

from starlette.types import ASGIApp, Receive, Scope, Send

from journeymap.api.errors import Overloaded
from journeymap.api.intake import EventIntake
from journeymap.api.limits import BodyRules
from journeymap.api.proxy import PassThrough
from journeymap.api.settings import Settings
from journeymap.api.tokens import Scope as TokenScope
from journeymap.api.tokens import token_hash
from journeymap.clock import Clock, SystemClock
from journeymap.engine import Event
from journeymap.intake import IntakeLog, Receipt
from journeymap.intake.tokens import TokenMirror

_LAG_SECONDS = 0.05
"""How long the front trusts the lag it last read from the log (one sum over unapplied entries)."""


class FrontSink:
    """The front's side of the fast path: the token mirror and its own writer on the log."""

    def __init__(self, log: IntakeLog, mirror: TokenMirror, settings: Settings) -> None:
        self.log = log
        self.mirror = mirror
        self.settings = settings
        self.clock: Clock = log.clock
        self._lag = (0, -1.0)

    @property
    def max_batch_events(self) -> int:
        return self.settings.max_batch_events

    def now(self) -> datetime:
        return self.clock.now()

    def writes(self, token: str) -> bool:
        scope = self.mirror.scope_of_hash(token_hash(token), self.clock.now())
        return scope == TokenScope.write.value

    async def append(self, events: list[Event]) -> Receipt:
        if self.lag() > self.settings.max_intake_lag_events:
            raise Overloaded("behind", retry_after=1)  # the back answers it, with its figures
        receipt = await asyncio.wrap_future(self.log.submit("events", events))
        lag, read_at = self._lag
        self._lag = (lag + receipt.accepted, read_at)
        return receipt

    def lag(self) -> int:
        """Events logged and not applied yet, as the back last recorded its position (read at
        most every few ms; what this process logged since is added)."""
        lag, read_at = self._lag
        if monotonic() - read_at > _LAG_SECONDS:
            lag = self.log.pending(self.log.applied_pos())[0]
            self._lag = (lag, monotonic())
        return lag


class Front:
    """ASGI app of the front process: event intake on the log, the rest passed to the back."""

    def __init__(self, settings: Settings, log_path: str, socket_path: str) -> None:
        self.log = IntakeLog(log_path, SystemClock(), shared=True)
        self.mirror = TokenMirror(log_path)
        self.passing = PassThrough(socket_path)
        rules = BodyRules(
            settings.max_body_bytes, settings.body_timeout_seconds, settings.max_anonymous_bodies
        )
        self.app: ASGIApp = EventIntake(
            self.passing, FrontSink(self.log, self.mirror, settings), rules
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(self, receive, send)
            return
        await self.app(scope, receive, send)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            self.log.close()  # commits what is queued: every answered event is on disk
            self.mirror.close()


async def _lifespan(front: Front, receive: Receive, send: Send) -> None:
    await receive()  # lifespan.startup
    async with front.running():
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
    await send({"type": "lifespan.shutdown.complete"})
