"""HTTP intake: events per second over loopback with concurrent clients while reports are read.

`python -m bench api` starts `journeymap serve` on a free loopback port over a fresh store with
one map (form trigger -> wait 1 day -> purchase goal -> end) and runs two phases of
`JM_BENCH_API_SECONDS` seconds each (default 10):

- single: `JM_BENCH_API_CLIENTS` client threads (default 8) each POST one event per request
  (a form fill for a new contact, then a purchase by it, every event with a client event id);
- batch: the same clients POST batches of `JM_BENCH_API_BATCH` events (default 100).

In both phases one more client reads the Contact Flow report in a loop. It prints accepted
events per second, p50 and p99 latency of event POSTs and report GETs, and beside them the
library-level rate for the same kind of events in this process over the same time (`track` per
event, `track_many` per batch: one commit per call, as the server did before group commit), and
the ratio HTTP / library. The server commits the requests that queue up while one commits in one
flush (group commit), so with concurrent clients the ratio can exceed 1.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.loading import parse_map

SECONDS = float(os.environ.get("JM_BENCH_API_SECONDS", "10"))
CLIENTS = int(os.environ.get("JM_BENCH_API_CLIENTS", "8"))
BATCH = int(os.environ.get("JM_BENCH_API_BATCH", "100"))
CLI = str(Path(sys.executable).parent / "journeymap")
MAP = {
    "id": "bench",
    "elements": [
        {"id": "signup", "kind": "trigger", "event": {"on": "form_submitted", "form": "signup"}},
        {"id": "pause", "kind": "wait", "duration": "P1D"},
        {"id": "bought", "kind": "goal", "event": {"on": "purchase"}},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [
        {"id": "c1", "from": "signup", "to": "pause"},
        {"id": "c2", "from": "pause", "to": "bought"},
        {"id": "c3", "from": "bought", "to": "done"},
    ],
}


def event_body(client: int, n: int) -> dict[str, Any]:
    """The n-th event of a client: a new contact's form fill, then its purchase."""
    contact = f"c{client}-{n // 2}"
    if n % 2 == 0:
        return {
            "kind": "form_submitted",
            "contact_id": contact,
            "form": "signup",
            "utm": {"source": ("google", "newsletter", "facebook")[n % 3]},
            "event_id": f"{contact}-f",
        }
    return {
        "kind": "purchase",
        "contact_id": contact,
        "amount": "19.90",
        "event_id": f"{contact}-p",
    }


def as_event(body: dict[str, Any], at: datetime) -> Event:
    if body["kind"] == "form_submitted":
        return Event(
            "form_submitted",
            body["contact_id"],
            at,
            form="signup",
            utm=body["utm"],
            event_id=body["event_id"],
        )
    return Event(
        "purchase",
        body["contact_id"],
        at,
        amount=Decimal(body["amount"]),
        event_id=body["event_id"],
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def http_phase(base: str, write: str, read: str, batch: int, offset: int) -> dict[str, float]:
    """Clients post events (one per request, or batches) while one reads the report."""
    stop = threading.Event()
    posts: list[float] = []
    reads: list[float] = []
    accepted = [0]
    lock = threading.Lock()

    def poster(client: int) -> None:
        n = 0
        with httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {write}"}) as http:
            while not stop.is_set():
                bodies = [event_body(offset + client, n + i) for i in range(batch)]
                n += batch
                t = time.perf_counter()
                if batch == 1:
                    r = http.post("/api/events", json=bodies[0])
                else:
                    r = http.post("/api/events/batch", json={"events": bodies})
                took = time.perf_counter() - t
                r.raise_for_status()
                with lock:
                    posts.append(took)
                    accepted[0] += r.json()["accepted"]

    def reader() -> None:
        with httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {read}"}) as http:
            while not stop.is_set():
                t = time.perf_counter()
                http.get("/api/maps/bench/reports/contact-flow").raise_for_status()
                reads.append(time.perf_counter() - t)

    threads = [threading.Thread(target=poster, args=(c,)) for c in range(CLIENTS)]
    threads.append(threading.Thread(target=reader))
    start = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "events_per_s": accepted[0] / elapsed,
        "post_p50_ms": pct(posts, 0.5),
        "post_p99_ms": pct(posts, 0.99),
        "report_p50_ms": pct(reads, 0.5),
        "report_p99_ms": pct(reads, 0.99),
        "reports": len(reads),
    }


def library_rate(folder: Path, batch: int) -> float:
    """The same kind of events through the library in this process, one commit per call."""
    clock = ManualClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    with journeymap.open(folder / f"lib-{batch}.duckdb", clock=clock) as jm:
        jm.add_map(parse_map(MAP))
        track: Callable[[list[Event]], None] = (
            (lambda evs: jm.track(evs[0])) if batch == 1 else jm.track_many
        )
        done = 0
        start = time.perf_counter()
        while time.perf_counter() - start < SECONDS:
            track([as_event(event_body(0, done + i), clock.now()) for i in range(batch)])
            done += batch
        return done / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "api.duckdb"
        tokens = [
            subprocess.run(
                [CLI, "token", "create", "--scope", s, "--db", str(db)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            for s in ("write", "read")
        ]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [CLI, "serve", "--db", str(db), "--port", str(port), "--set", "max_body_bytes=4000000"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    if httpx2.get(f"{base}/api/health").status_code == 200:
                        break
                except httpx2.TransportError:
                    time.sleep(0.1)
            auth = {"Authorization": f"Bearer {tokens[0]}"}
            httpx2.post(f"{base}/api/maps", json=MAP, headers=auth).raise_for_status()
            print(f"{CLIENTS} posting clients + 1 report reader, {SECONDS:g} s per phase")
            for label, batch, offset in (("single", 1, 0), ("batch", BATCH, 1000)):
                got = http_phase(base, tokens[0], tokens[1], batch, offset)
                lib = library_rate(folder, batch)
                print(
                    f"{label:6} ({batch:>3}/request): HTTP {got['events_per_s']:8.0f} events/s | "
                    f"POST p50 {got['post_p50_ms']:6.1f} ms p99 {got['post_p99_ms']:7.1f} ms | "
                    f"report p50 {got['report_p50_ms']:6.1f} ms p99 {got['report_p99_ms']:7.1f} ms "
                    f"({got['reports']} reads) | library {lib:8.0f} events/s | "
                    f"HTTP/library {got['events_per_s'] / lib:.2f}",
                    flush=True,
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
