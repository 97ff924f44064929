"""The front's pass-through: every request it does not answer itself goes to the back, streamed.

The back (the process that holds the store) listens on a Unix socket. Each passed request opens
one connection to it and is sent as it arrives: headers at once, the body chunk by chunk (only
once the back asks for it, when the client expects `100 Continue`), while the back's answer is
read at the same time, so an answer before the body (401, 413) comes back at once, as it would
from the back itself. The answer is passed on as the back writes it: status, headers (every
cookie) and body chunks, so streams and large files are never held whole. Only hop-by-hop
headers stay behind; a `connection: close` from the back is passed on, so the client's
connection closes when the back would close its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import h11
from starlette.types import Receive, Scope, Send

from journeymap.api.errors import error_body

_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
"""Headers that belong to one connection, never passed on as they are."""

_READ = 65536


class PassThrough:
    """ASGI app that forwards HTTP requests to the back over its Unix socket."""

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            reader, writer = await asyncio.open_unix_connection(self.socket_path)
        except OSError as exc:
            await _unavailable(send, exc)
            return
        try:
            await _Exchange(scope, receive, send, reader, writer).run()
        finally:
            writer.transport.abort()


class _Exchange:
    """One request passed to the back and its answer passed back."""

    def __init__(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self.reader = reader
        self.writer = writer
        self.conn = h11.Connection(h11.CLIENT)
        self.body_wanted = asyncio.Event()

    async def run(self) -> None:
        scope = self.scope
        headers = [(k, v) for k, v in scope["headers"] if k not in _HOP]
        chunked = any(k == b"transfer-encoding" for k, _ in scope["headers"])
        if chunked:
            headers.append((b"transfer-encoding", b"chunked"))
        with_body = chunked or any(k == b"content-length" for k, _ in headers)
        if not any(k == b"host" for k, _ in headers):
            headers.append((b"host", b"journeymap"))
        if (b"expect", b"100-continue") not in [(k, v.lower()) for k, v in headers]:
            self.body_wanted.set()
        target = scope["raw_path"] or scope["path"].encode("utf-8")
        if scope["query_string"]:
            target += b"?" + scope["query_string"]
        self.writer.write(
            self.conn.send(h11.Request(method=scope["method"], target=target, headers=headers))
        )
        if not with_body:
            self.writer.write(self.conn.send(h11.EndOfMessage()))
        pump = asyncio.ensure_future(self._pump(with_body))
        try:
            await self._relay()
        finally:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump

    async def _pump(self, with_body: bool) -> None:
        """Send the client's body on when the back wants it; notice the client going away."""
        try:
            if with_body:
                await self.body_wanted.wait()
                while True:
                    message = await self.receive()
                    if message["type"] != "http.request":
                        break
                    chunk = message.get("body", b"")
                    if chunk:
                        self.writer.write(self.conn.send(h11.Data(data=chunk)))
                        await self.writer.drain()
                    if not message.get("more_body", False):
                        self.writer.write(self.conn.send(h11.EndOfMessage()))
                        await self.writer.drain()
                        break
            while (await self.receive())["type"] != "http.disconnect":
                pass
        except (ConnectionError, h11.LocalProtocolError):
            return  # the back answered without the rest of the body: its answer says why
        self.writer.transport.abort()  # the client is gone: so is its request

    async def _next(self) -> object:
        """The next thing the back says (an h11 event)."""
        while True:
            event = self.conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            try:
                data = await self.reader.read(_READ)
            except ConnectionError:
                data = b""
            self.conn.receive_data(data)

    async def _relay(self) -> None:
        try:
            event = await self._next()
            while isinstance(event, h11.InformationalResponse):
                if event.status_code == 100:
                    self.body_wanted.set()
                event = await self._next()
        except h11.RemoteProtocolError as exc:
            await _unavailable(self.send, exc)
            return
        if not isinstance(event, h11.Response):
            await _unavailable(self.send, ConnectionError("it closed the connection"))
            return
        headers = [(k, v) for k, v in event.headers if k not in _HOP]
        if any(k == b"connection" and b"close" in v.lower() for k, v in event.headers):
            headers.append((b"connection", b"close"))
        await self.send(
            {"type": "http.response.start", "status": event.status_code, "headers": headers}
        )
        while isinstance(event := await self._next(), h11.Data):
            await self.send({"type": "http.response.body", "body": event.data, "more_body": True})
        if not isinstance(event, h11.EndOfMessage):  # the client's connection is dropped
            raise ConnectionError("the back process closed its connection mid-answer")
        await self.send({"type": "http.response.body", "body": b"", "more_body": False})


async def _unavailable(send: Send, exc: Exception) -> None:
    payload = json.dumps(
        error_body("unavailable", f"the server's back process did not answer: {exc}")
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(payload)),
                (b"retry-after", b"1"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
