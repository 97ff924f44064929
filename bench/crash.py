"""Crash safety at scale: kill -9 the server's processes at random moments during a long run.

`python -m bench crash` posts `JM_BENCH_CRASH_EVENTS` purchases (default 100,000), each a new
contact with a client event id, from `JM_BENCH_CRASH_CLIENTS` threads (default 8) in batches of
`JM_BENCH_CRASH_BATCH` (default 50), retrying each batch until it is acknowledged, while one of
the server's two processes, chosen at random (seeded), is killed with SIGKILL every 1 to 4 seconds
and the server restarted: the front (which takes events into the log; its back then applies the
log and stops) or the back (which applies the log to the store; the front then stops). At the end
it counts, in the store, acknowledged events lost and events applied more than once (both must be
0).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx2

import journeymap
from bench.api import CLI, free_port, make_token, wait_up


def back_of(pid: int) -> int:
    """The back process `journeymap serve` (process `pid`) started: the one holding the store."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0])


EVENTS = int(os.environ.get("JM_BENCH_CRASH_EVENTS", "100000"))
CLIENTS = int(os.environ.get("JM_BENCH_CRASH_CLIENTS", "8"))
BATCH = int(os.environ.get("JM_BENCH_CRASH_BATCH", "50"))
MAP = {
    "id": "shop",
    "elements": [
        {"id": "buy", "kind": "trigger", "event": {"on": "purchase"}, "reentry": "always"},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [{"id": "c1", "from": "buy", "to": "done"}],
}


def client(base: str, auth: dict[str, str], c: int, acked: list[int]) -> None:
    """Post this client's share of the events in batches, each retried until acknowledged."""
    per_client = EVENTS // CLIENTS
    with httpx2.Client(base_url=base, headers=auth, timeout=30) as http:
        for first in range(0, per_client, BATCH):
            events = [
                {
                    "kind": "purchase",
                    "contact_id": f"c{c}-{n}",
                    "amount": "1.00",
                    "event_id": f"o{c}-{n}",
                }
                for n in range(first, min(per_client, first + BATCH))
            ]
            while True:
                try:
                    if http.post("/api/events/batch", json={"events": events}).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                time.sleep(0.05)
            acked[c] += len(events)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crash.duckdb"
        token = make_token(db)
        auth = {"Authorization": f"Bearer {token}"}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [CLI, "serve", "--db", str(db), "--port", str(port)]

        def start() -> subprocess.Popen[bytes]:
            proc = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_up(base)
            return proc

        server = start()
        httpx2.post(f"{base}/api/maps", json=MAP, headers=auth).raise_for_status()
        acked = [0] * CLIENTS
        started = time.perf_counter()
        threads = [
            threading.Thread(target=client, args=(base, auth, c, acked)) for c in range(CLIENTS)
        ]
        for t in threads:
            t.start()
        rng = random.Random(7)
        kills = {"front": 0, "back": 0}
        while any(t.is_alive() for t in threads):
            time.sleep(rng.uniform(1, 4))
            if not any(t.is_alive() for t in threads):
                break
            target = rng.choice(("front", "back"))
            os.kill(server.pid if target == "front" else back_of(server.pid), signal.SIGKILL)
            server.wait()
            kills[target] += 1
            server = start()
        for _ in range(12000):
            if httpx2.get(f"{base}/api/health").json()["intake"]["lag_events"] == 0:
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        server.send_signal(signal.SIGTERM)
        server.wait()
        with journeymap.open(db) as jm:
            rows = jm.store.query("bench_crash_counts")[0]
        total = sum(acked)
        lost = total - int(rows["distinct_contacts"])
        doubled = int(rows["purchases"]) - int(rows["distinct_contacts"])
        print(
            f"{total:,} events acknowledged in {elapsed:.0f} s with kill -9s of "
            f"{kills['front']} fronts and {kills['back']} backs: "
            f"{lost} lost, {doubled} applied twice ({int(rows['purchases']):,} purchases stored)"
        )
