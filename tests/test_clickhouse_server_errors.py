"""A `clickhouse://` store whose server cannot be used says so by its address, with no traceback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

runner = CliRunner()

OLD_SERVER_REPLY = b"Code: 47, e.displayText() = DB::Exception: Unknown identifier: readonly"
"""What Debian 12's ClickHouse 18.16 answers clickhouse-connect's first query (seen by hand)."""


class _OldServer(BaseHTTPRequestHandler):
    """Answers every query as a ClickHouse server too old for the client does."""

    def _refuse(self) -> None:
        self.send_response(404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(OLD_SERVER_REPLY)))
        self.end_headers()
        self.wfile.write(OLD_SERVER_REPLY)

    def do_GET(self) -> None:
        self._refuse()

    def do_POST(self) -> None:
        self._refuse()

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads the CLI's output, not the stub's."""


@pytest.fixture
def old_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OldServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _simulate(url: str) -> str:
    result = runner.invoke(app, ["simulate", "--db", url, "--contacts", "3", "--days", "1"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_server_nobody_listens_on_is_named() -> None:
    port = _closed_port()
    out = _simulate(f"clickhouse://jm:secret@127.0.0.1:{port}/shop")
    assert f"[store_unreachable] clickhouse://127.0.0.1:{port}: cannot open the ClickHouse" in out
    assert "Connection refused" in out
    assert "secret" not in out


def test_a_server_that_refuses_the_first_query_is_named_with_its_reply(old_server: int) -> None:
    out = _simulate(f"clickhouse://default@127.0.0.1:{old_server}/shop")
    assert f"[store_unreachable] clickhouse://127.0.0.1:{old_server}: cannot open" in out
    assert "Unknown identifier: readonly" in out
