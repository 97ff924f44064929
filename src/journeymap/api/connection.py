"""The HTTP connection `serve` speaks: uvicorn's, with a time and a size limit on request headers.

uvicorn closes a keep-alive connection that stays idle after an answer, but nothing limits how
long a client may take to send a request's headers, nor how large they grow: a connection that
opens and says nothing, or trickles a header a byte at a time, is held for ever.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 33\r\n"
    b"connection: close\r\n\r\n"
    b"the request headers are too large"
)


class LimitedHeaders(HttpToolsProtocol):
    """A connection whose request headers must arrive in time and within a size."""

    header_seconds: float = 10.0
    """From connecting, or from a request's first byte, until its headers are complete."""
    max_header_bytes: int = 65_536
    """Most bytes of request line and headers; more get 431 and the connection closes."""

    _header_timer: asyncio.TimerHandle | None = None
    _header_bytes = 0
    _in_headers = False

    @classmethod
    def configured(cls, header_seconds: float, max_header_bytes: int) -> type[LimitedHeaders]:
        """The protocol class uvicorn builds connections from, with these limits."""
        limits = {"header_seconds": header_seconds, "max_header_bytes": max_header_bytes}
        return type(cls.__name__, (cls,), limits)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_done()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._in_headers:  # the headers are not complete yet: these bytes belong to them
            self._header_bytes += len(data)
            if self._header_bytes > self.max_header_bytes and not self.transport.is_closing():
                self._headers_done()
                self.transport.write(_TOO_LARGE)
                self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._await_headers()

    def on_headers_complete(self) -> None:
        self._headers_done()
        super().on_headers_complete()

    def _await_headers(self) -> None:
        self._in_headers = True
        if self._header_timer is None:
            self._header_bytes = 0
            self._header_timer = self.loop.call_later(self.header_seconds, self._headers_late)

    def _headers_done(self) -> None:
        self._in_headers = False
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
