"""Crash safety: kill -9 the server's front or back process at random moments while clients post
with retries; every acknowledged event is stored exactly once, and no event is ever stored
twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2

import journeymap
from test_api_server import back_of
from test_api_support import purchases
from test_email_support import free_port

CLI = str(Path(sys.executable).parent / "journeymap")
CLIENTS = 4
EVENTS_PER_CLIENT = 150
KILLS = 4
MAP = {
    "id": "shop",
    "elements": [
        {"id": "buy", "kind": "trigger", "event": {"on": "purchase"}, "reentry": "always"},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [{"id": "c1", "from": "buy", "to": "done"}],
}


def _start(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [CLI, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(2400):  # after a kill of the front, its back applies the log first
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/api/health").status_code == 200:
                return proc
        except httpx2.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not start")


def _client(
    base: str,
    auth: dict[str, str],
    c: int,
    acked: set[str],
    lock: threading.Lock,
    killed: threading.Event,
) -> None:
    """Post purchases with event ids, each retried until acknowledged, and note the acked."""
    with httpx2.Client(base_url=base, headers=auth, timeout=10) as http:
        n = 0
        # at least EVENTS_PER_CLIENT, and on until every kill is done, however fast intake is
        while n < EVENTS_PER_CLIENT or not killed.is_set():
            contact = f"c{c}-{n}"
            n += 1
            body = {
                "kind": "purchase",
                "contact_id": contact,
                "amount": f"{c + 1}.{n % 100:02d}",
                "event_id": f"order-{contact}",
            }
            while True:  # retry until acknowledged, as a client with event ids should
                try:
                    if http.post("/api/events", json=body).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                time.sleep(0.02)
            with lock:
                acked.add(contact)


def test_kill_9_at_random_moments_loses_and_doubles_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    token = subprocess.run(
        [CLI, "token", "create", "--scope", "write", "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(db, port)
    httpx2.post(f"{base}/api/maps", json=MAP, headers=auth).raise_for_status()
    acked: set[str] = set()
    lock = threading.Lock()
    killed = threading.Event()

    threads = [
        threading.Thread(target=_client, args=(base, auth, c, acked, lock, killed))
        for c in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    rng = random.Random(20261201)
    kills = 0
    try:
        while kills < KILLS:
            time.sleep(rng.uniform(0.2, 1.2))
            # the front (which takes events) and the back (which applies them) in turn
            if kills % 2:
                os.kill(back_of(server.pid), signal.SIGKILL)  # the front then stops itself
            else:
                server.send_signal(signal.SIGKILL)  # no shutdown, nothing flushed
            server.wait(timeout=60)
            kills += 1
            server = _start(db, port)
        killed.set()
        for t in threads:
            t.join(120)
        # everything accepted is applied once the applier catches up
        for _ in range(1200):
            if httpx2.get(f"{base}/api/health").json()["intake"]["lag_events"] == 0:
                break
            time.sleep(0.05)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert kills == KILLS
    assert len(acked) >= CLIENTS * EVENTS_PER_CLIENT
    with journeymap.open(db) as jm:
        stored = [p[0] for p in purchases(jm)]
        entered = jm.store.query("engine_entry_counts")
    assert len(stored) == len(set(stored))  # nothing applied twice
    assert set(stored) == acked  # nothing acknowledged lost
    assert sorted(r["contact_id"] for r in entered) == sorted(acked)
    assert {r["entries"] for r in entered} == {1}
