"""A local webhook receiver for tests: an HTTP server on 127.0.0.1, stopped by the test."""

from __future__ import annotations

import hashlib
import hmac
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Received:
    """One request as the receiver saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every request; answers each with the next scripted answer (the last one repeats)."""

    port: int
    answers: list[Answer]
    requests: list[Received] = field(default_factory=list)
    hold: threading.Event | None = None
    """When set up, each request waits for it before answering (a slow receiver)."""
    arrived: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/hook", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def next_answer(self) -> Answer:
        return self.answers[min(len(self.requests) - 1, len(self.answers) - 1)]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            receiver.requests.append(
                Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            receiver.arrived.set()
            if receiver.hold is not None:
                receiver.hold.wait(30)
            status, headers, payload = receiver.next_answer()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def receiver(
    *answers: int | Answer, tls: ssl.SSLContext | None = None, hold: bool = False
) -> Iterator[Receiver]:
    """A receiver on a free 127.0.0.1 port answering `answers` in turn (default 200)."""
    script = [a if isinstance(a, tuple) else (a, {}, b"") for a in answers] or [(200, {}, b"")]
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    got = Receiver(server.server_address[1], script, hold=threading.Event() if hold else None)
    server.RequestHandlerClass = _handler(got)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        if got.hold is not None:
            got.hold.set()
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def trickler() -> Iterator[int]:
    """A receiver on a free 127.0.0.1 port that answers each request a byte every 0.1 s, each
    byte well within any read timeout, for at most 60 s; its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)  # so the loop sees `stop`
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(600):
                    if stop.wait(0.1):
                        break
                    try:
                        conn.sendall(b"a")
                    except OSError:
                        break  # the client gave up

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def verify(secret: str, header: str, body: bytes) -> int:
    """What a receiver does (docs/maps.md): the signed timestamp when a `v1` signature over
    `<t>.<body>` matches; raises otherwise. Written from the docs, sharing no code."""
    parts = [p.split("=", 1) for p in header.split(",")]
    stamp = next(v for k, v in parts if k == "t")
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(k == "v1" and hmac.compare_digest(v, expected) for k, v in parts):
        raise AssertionError("no v1 signature matches")
    return int(stamp)
