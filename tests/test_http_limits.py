"""Slow and stalled clients against a real `journeymap serve`: headers, bodies and idle
connections each have a time limit, and a body that needs a token is refused before it is read."""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from test_api_server import _token, serve

LIMITS = (
    "header_timeout_seconds=0.5",
    "body_timeout_seconds=0.5",
    "keep_alive_seconds=1",
    "max_header_bytes=2048",
    "max_anonymous_bodies=1",
)
WAIT = 30.0
"""How long a socket waits for the server; the server's own limits are far shorter."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    db = tmp_path_factory.mktemp("limits") / "limits.duckdb"
    token = _token(db, "write")
    with serve(db, *LIMITS) as (_proc, base):
        yield int(base.rsplit(":", 1)[1]), token


@contextmanager
def connection(port: int) -> Iterator[socket.socket]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    try:
        yield sock
    finally:
        sock.close()


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def status_and_body(answer: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def post_head(path: str, length: int, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def test_a_connection_that_never_sends_its_headers_is_closed(server: tuple[int, str]) -> None:
    port, _token = server
    with connection(port) as sock:
        assert read_until_closed(sock) == b""
    with connection(port) as sock:
        sock.sendall(b"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert read_until_closed(sock) == b""


def test_headers_trickled_a_byte_at_a_time_are_cut_off(server: tuple[int, str]) -> None:
    port, _token = server
    with connection(port) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        for _ in range(600):  # a byte every 0.1 s: each arrives well within any read timeout
            readable, _, _ = select.select([sock], [], [], 0.1)
            if readable:
                break
            sock.sendall(b"a")
        assert readable, "the server kept reading the trickled header"
        assert read_until_closed(sock) == b""


def test_headers_over_the_size_limit_get_431(server: tuple[int, str]) -> None:
    port, _token = server
    with connection(port) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 4000)
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_a_large_body_without_a_token_gets_401_before_it_is_sent(
    server: tuple[int, str],
) -> None:
    port, _token = server
    for token in (None, "jm_not-a-token"):
        with connection(port) as sock:
            sock.sendall(post_head("/api/events", 1_000_000, token))  # and not one byte of body
            status, body = status_and_body(read_until_closed(sock))
        assert status == 401
        assert body["error"]["code"] == "unauthorized"  # type: ignore[index]


def test_a_body_that_stalls_midway_gets_408_and_the_connection_closes(
    server: tuple[int, str],
) -> None:
    port, token = server
    with connection(port) as sock:
        sock.sendall(post_head("/api/events", 1000, token) + b'{"kind": "purch')
        status, body = status_and_body(read_until_closed(sock))
    assert status == 408
    assert body == {
        "error": {
            "code": "request_timeout",
            "message": "the request body did not arrive within 0.5 seconds",
        }
    }


def test_bodies_without_a_token_are_read_one_at_a_time_here(server: tuple[int, str]) -> None:
    port, _token = server
    form = "application/x-www-form-urlencoded"
    head = (
        f"POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:{port}\r\n"
        f"Content-Type: {form}\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    with connection(port) as first, connection(port) as second:
        first.sendall(head)
        assert first.recv(100).startswith(b"HTTP/1.1 100 ")  # the server reads the first body
        first.sendall(b"token=jm_")
        second.sendall(head)
        status, body = status_and_body(read_until_closed(second))
        assert status == 503
        assert body["error"]["code"] == "busy"  # type: ignore[index]
        status, _ = status_and_body(read_until_closed(first))
        assert status == 408


def test_an_idle_keep_alive_connection_is_closed(server: tuple[int, str]) -> None:
    port, _token = server
    with connection(port) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = read_until_closed(sock)  # kept alive after the answer, then closed idle
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"connection: close" not in answer.lower()
