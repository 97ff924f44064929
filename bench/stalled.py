"""Stalled clients: the server's memory while thousands of connections send part of a request
and stop, beside the same against a bare uvicorn app.

`python -m bench stalled` opens `JM_BENCH_STALLED_CONNECTIONS` (default 3000) connections of
each kind, one kind at a time, against a fresh server, and holds them:

- headers: part of a request's headers, then nothing;
- anonymous body: a POST /api/events declaring a 1,000,000-byte body, with no token, sending
  64 KiB of it, then nothing;
- token body: the same with a valid write token;
- idle: one complete GET, then the connection is kept open and silent.

It samples the server's resident memory (RSS) before, every 0.1 s while the connections open
and for `JM_BENCH_STALLED_HOLD` seconds (default 35: longer than the
server's header and body time limits) after (the peak is "during"), and once more
`JM_BENCH_STALLED_SETTLE` seconds (default 15) after the clients closed. It counts how many of
the held connections the server itself had closed by the end of the hold. The baseline is
bench/bare_api.py under plain `uvicorn` (no header or body time limit: its own 5 s keep-alive).
The load average is printed beside the figures: the machine may be shared.
"""

from __future__ import annotations

import os
import resource
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.api import BIN, CLI, free_port, make_token, process

CONNECTIONS = int(os.environ.get("JM_BENCH_STALLED_CONNECTIONS", "3000"))
HOLD = float(os.environ.get("JM_BENCH_STALLED_HOLD", "35"))
SETTLE = float(os.environ.get("JM_BENCH_STALLED_SETTLE", "15"))
DECLARED = 1_000_000
SENT = 65_536


def _post(token: str | None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (
        f"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
        f"Content-Type: application/json\r\nContent-Length: {DECLARED}\r\n\r\n"
    )
    return head.encode() + b'{"kind": "purchase", "contact_id": "' + b"a" * SENT


KINDS: dict[str, Callable[[str], bytes]] = {
    "headers": lambda _token: b"POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
    "anonymous body": lambda _token: _post(None),
    "token body": _post,
    "idle": lambda _token: b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def closed_by_server(sockets: list[socket.socket]) -> int:
    """How many connections the server has closed (an EOF is waiting after any answer)."""
    closed = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            while sock.recv(65536):
                pass  # an answer before the close
            closed += 1
        except BlockingIOError:
            pass  # still open, nothing to read
        except OSError:
            closed += 1  # reset
    return closed


def hold(port: int, pid: int, payload: bytes) -> dict[str, float]:
    """Open the connections, send each the payload, hold them; the server's RSS throughout."""
    before = rss_mb(pid)
    peak = before
    sockets: list[socket.socket] = []
    refused = 0
    last = time.monotonic()
    for _ in range(CONNECTIONS):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(payload)
            sockets.append(sock)
        except OSError:
            refused += 1
        if time.monotonic() - last >= 0.1:
            peak, last = max(peak, rss_mb(pid)), time.monotonic()
    end = time.monotonic() + HOLD
    while time.monotonic() < end:
        peak = max(peak, rss_mb(pid))
        time.sleep(0.1)
    closed = closed_by_server(sockets)
    for sock in sockets:
        sock.close()
    time.sleep(SETTLE)
    return {
        "before": before,
        "peak": peak,
        "after": rss_mb(pid),
        "held": len(sockets),
        "refused": refused,
        "closed": closed,
    }


def run_kind(name: str, folder: Path, journeymap: bool) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    token = ""
    if journeymap:
        db = folder / f"stalled-{name.replace(' ', '-')}.duckdb"
        token = make_token(db)
        args = [CLI, "serve", "--db", str(db), "--port", str(port)]
    else:
        uvicorn = str(BIN / "uvicorn")
        args = [uvicorn, "bench.bare_api:app", "--port", str(port), "--no-access-log"]
    with process(args, base) as proc:
        time.sleep(1)  # let the server settle after its first request
        return hold(port, proc.pid, KINDS[name](token))


def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, CONNECTIONS + 1024)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # the servers inherit it
    print(
        f"{CONNECTIONS} stalled connections of each kind; hold {HOLD:g} s, settle {SETTLE:g} s; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cpus {os.cpu_count()}",
        flush=True,
    )
    header = (
        f"{'server':<11} {'kind':<15} {'RSS before':>10} {'peak':>8} {'after':>8} "
        f"{'held':>6} {'refused':>7} {'closed by server':>16}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for name in KINDS:
            for server, journeymap in (("bare", False), ("journeymap", True)):
                got = run_kind(name, Path(tmp), journeymap)
                print(
                    f"{server:<11} {name:<15} {got['before']:>8.0f}MB {got['peak']:>6.0f}MB "
                    f"{got['after']:>6.0f}MB {got['held']:>6.0f} {got['refused']:>7.0f} "
                    f"{got['closed']:>16.0f}",
                    flush=True,
                )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
