"""One HTTP POST to an address already checked: the URL's host in the Host header and TLS."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

MAX_RESPONSE_BYTES = 65_536
"""The most of a response body read (for the error text); the rest is never waited for."""


@dataclass(frozen=True)
class Response:
    """What the receiver answered: status, reason, headers and the start of the body."""

    status: int
    reason: str
    headers: Message
    body: bytes


class _Pinned(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name would resolve to now."""

    def __init__(self, host: str, port: int, address: str, connect: float, read: float) -> None:
        super().__init__(host, port, timeout=read)
        self.address = address
        self.connect_timeout = connect

    def _socket(self) -> socket.socket:
        sock = socket.create_connection((self.address, self.port), self.connect_timeout)
        sock.settimeout(self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect(self) -> None:
        self.sock = self._socket()


class _PinnedTLS(_Pinned):
    """As _Pinned, over TLS with the URL's host as SNI and as the name the certificate must hold."""

    def __init__(
        self, host: str, port: int, address: str, connect: float, read: float, tls: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, address, connect, read)
        self.tls = tls

    def connect(self) -> None:
        self.sock = self.tls.wrap_socket(self._socket(), server_hostname=self.host)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    address: str,
    connect_timeout: float,
    read_timeout: float,
    tls: ssl.SSLContext | None = None,
    attempt_timeout: float | None = None,
) -> Response:
    """POST `body` to `url` over a connection to `address`; redirects are answers, not followed.

    Each read waits up to `read_timeout`; the whole attempt, up to `attempt_timeout`, so a
    receiver that trickles its answer a byte at a time cannot hold the attempt for ever."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme.lower() == "https"
    port = parts.port or (443 if secure else 80)
    conn: _Pinned
    if secure:
        context = tls or ssl.create_default_context()
        conn = _PinnedTLS(host, port, address, connect_timeout, read_timeout, context)
    else:
        conn = _Pinned(host, port, address, connect_timeout, read_timeout)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        if conn.sock is not None:  # the blocked read returns; the TLS layer, if any, with it
            with contextlib.suppress(OSError):
                socket.socket.shutdown(conn.sock, socket.SHUT_RDWR)

    timer = threading.Timer(attempt_timeout, expire) if attempt_timeout else None
    if timer is not None:
        timer.start()
    try:
        conn.request("POST", target, body=body, headers=headers)
        answer = conn.getresponse()
        start = answer.read(MAX_RESPONSE_BYTES)
    except Exception:
        if not expired.is_set():
            raise
    finally:
        if timer is not None:
            timer.cancel()
        conn.close()
    if expired.is_set():  # cut off: what was read may end anywhere, even look whole
        raise TimeoutError(f"no whole answer within {attempt_timeout:g} seconds")
    return Response(answer.status, answer.reason, answer.headers, start)
