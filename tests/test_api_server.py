"""A real server: `journeymap serve` on a loopback port, end to end with a local SMTP server."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import httpx2

import journeymap
from test_api_support import purchases, welcome_map
from test_email_support import free_port, html_part, smtp_server

CLI = str(Path(sys.executable).parent / "journeymap")


def _token(db: Path, scope: str) -> str:
    out = subprocess.run(
        [CLI, "token", "create", "--scope", scope, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def back_of(pid: int) -> int:
    """The back process `journeymap serve` (process `pid`) started: the one holding the store."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


@contextmanager
def serve(db: str | Path, *settings: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`journeymap serve` on a free port; stopped (SIGTERM) when the block ends, if still up."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sets = [arg for s in settings for arg in ("--set", s)]
    proc = subprocess.Popen(
        [CLI, "serve", "--db", str(db), "--port", str(port), "--set", f"public_url={base}", *sets],
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
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def test_end_to_end_contact_email_open_click_purchase_reports(tmp_path: Path) -> None:
    db = tmp_path / "e2e.duckdb"
    write = {"Authorization": f"Bearer {_token(db, 'write')}"}
    read = {"Authorization": f"Bearer {_token(db, 'read')}"}
    with (
        smtp_server() as (inbox, smtp_port),
        serve(db, f"smtp_port={smtp_port}", "email_poll_seconds=0.1") as (proc, base),
        httpx2.Client(base_url=base) as http,
    ):
        assert http.post("/api/maps", json=welcome_map(), headers=write).status_code == 201
        contact = {
            "utm": {"source": "newsletter", "campaign": "spring"},
            "fields": {"email": "ann@example.org", "name": "Ann"},
        }
        assert http.put("/api/contacts/ann", json=contact, headers=write).status_code == 201
        for _ in range(300):
            if inbox.messages:
                break
            time.sleep(0.05)
        (msg,) = inbox.messages
        assert (msg["To"], msg["Subject"]) == ("ann@example.org", "Welcome, Ann")
        body = html_part(msg)
        pixel = html.unescape(re.findall(r'<img src="([^"]+)"', body)[0])
        click = html.unescape(re.findall(r'<a href="([^"]+)">Offer</a>', body)[0])
        assert urlsplit(pixel).netloc == urlsplit(base).netloc
        assert http.get(pixel).content.startswith(b"GIF89a")
        r = http.get(click)
        assert (r.status_code, r.headers["location"]) == (302, "https://shop.example/offer?x=1&y=2")
        buy = {"kind": "purchase", "contact_id": "ann", "amount": "49.90", "event_id": "order-1"}
        # read-your-writes: answered once applied, with the open and click logged before it
        posted = http.post("/api/events", json=buy, headers=write, params={"wait": "applied"})
        assert posted.json() == {
            "accepted": 1,
            "duplicates": 0,
            "applied": True,
            "dead_letters": [],
        }
        reports = "/api/maps/welcome/reports"
        flow = http.get(f"{reports}/contact-flow", headers=read).json()
        hello = next(e for e in flow["elements"] if e["id"] == "hello")
        assert {k: hello[k] for k in ("sent", "opened", "clicked", "open_rate", "click_rate")} == {
            "sent": 1,
            "opened": 1,
            "clicked": 1,
            "open_rate": 1.0,
            "click_rate": 1.0,
        }
        params = {"goal": "bought", "utm_source": "newsletter"}
        rate = http.get(f"{reports}/goal-conversion-rate", params=params, headers=read).json()
        bought = next(e for e in rate["elements"] if e["id"] == "bought")
        assert (rate["cohort_size"], bought["achieved"], bought["conversion_rate"]) == (1, 1, 1.0)
        ltv = http.get(f"{reports}/lifetime-value", headers=read).json()
        spent = next(e for e in ltv["elements"] if e["id"] == "hello")
        assert (spent["amount_spent"], spent["average_spent"]) == (49.9, 49.9)
    assert proc.returncode == 0


def test_an_accepted_event_survives_a_crash_right_after_the_response(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    write = {"Authorization": f"Bearer {_token(db, 'write')}"}
    batch = {
        "events": [
            {"kind": "purchase", "contact_id": "ann", "amount": 12, "event_id": "o-1"},
            {"kind": "purchase", "contact_id": "bob", "amount": 5, "event_id": "o-2"},
        ]
    }
    with serve(db) as (proc, base):
        r = httpx2.post(f"{base}/api/events/batch", json=batch, headers=write)
        proc.kill()  # SIGKILL: no shutdown, no flush
        proc.wait(timeout=30)
    assert r.json() == {"accepted": 2, "duplicates": 0, "applied": False, "dead_letters": []}
    with serve(db) as (_proc, base):  # a restart applies what the log holds, once
        r = httpx2.post(
            f"{base}/api/events/batch", json=batch, headers=write, params={"wait": "applied"}
        )
        assert r.json() == {"accepted": 0, "duplicates": 2, "applied": True, "dead_letters": []}
    with journeymap.open(db) as jm:
        assert sorted((p[0], p[1]) for p in purchases(jm)) == [
            ("ann", Decimal(12)),
            ("bob", Decimal(5)),
        ]


def test_access_log_is_off_by_default_and_on_when_set(tmp_path: Path) -> None:
    """`access_log` prints one line per request; without it the console names no request."""
    for setting, expected in (((), False), (("--set", "access_log=true"), True)):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        err = tmp_path / f"console-{expected}.txt"
        with err.open("wb") as sink:
            proc = subprocess.Popen(
                [CLI, "serve", "--db", str(tmp_path / "a.duckdb"), "--port", str(port), *setting],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            try:
                for _ in range(300):
                    try:
                        if httpx2.get(f"{base}/api/health").status_code == 200:
                            break
                    except httpx2.TransportError:
                        time.sleep(0.1)
                assert httpx2.get(f"{base}/api/maps").status_code == 401
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        logged = err.read_text("utf-8")
        assert ('"GET /api/maps HTTP/1.1" 401' in logged) is expected, logged
