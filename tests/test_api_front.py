"""`journeymap serve` as two processes: the front takes events, the back holds the store.

End to end through both processes, tokens made and revoked through the API honoured by the front
at once, backpressure answered through the front, and the pass-through's streaming.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import uvicorn
from starlette.types import Receive, Scope, Send

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.front import Front
from journeymap.api.live import Live, intake_path
from journeymap.api.proxy import PassThrough
from journeymap.api.tokens import Scope as TokenScope
from journeymap.api.tokens import create_token
from test_api_server import _token, back_of, serve
from test_api_support import open_api
from test_email_support import free_port

MAP = {
    "id": "shop",
    "elements": [
        {"id": "buy", "kind": "trigger", "event": {"on": "purchase"}},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [{"id": "c1", "from": "buy", "to": "done"}],
}
FLOW = "/api/maps/shop/reports/contact-flow"


def _buy(contact: str, amount: str) -> dict[str, Any]:
    return {"kind": "purchase", "contact_id": contact, "amount": amount, "event_id": f"o-{contact}"}


def _requests() -> list[tuple[str, str, Any]]:
    """Five single purchases, a batch of three with one retry of an earlier id, and a last
    purchase that waits until everything before it is applied."""
    singles = [("/api/events", "", _buy(c, f"{n + 1}.50")) for n, c in enumerate("abcde")]
    batch = {"events": [_buy("f", "6.00"), _buy("g", "7.00"), _buy("a", "1.50")]}
    return [
        *singles,
        ("/api/events/batch", "", batch),
        ("/api/events", "?wait=applied", _buy("h", "8.00")),
    ]


def _flow(answer: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {e["id"]: (e["were_here"], e["here_now"]) for e in answer["elements"]}


def test_events_posted_to_the_front_are_reported_by_the_back_as_by_one_process(
    tmp_path: Path,
) -> None:
    db = tmp_path / "two.duckdb"
    write, read = _token(db, "write"), _token(db, "read")
    with serve(db) as (proc, base):
        assert back_of(proc.pid) != proc.pid
        auth = {"Authorization": f"Bearer {write}"}
        httpx2.post(f"{base}/api/maps", json=MAP, headers=auth).raise_for_status()
        answers = [
            httpx2.post(f"{base}{path}{query}", json=body, headers=auth).json()
            for path, query, body in _requests()
        ]
        report = httpx2.get(f"{base}{FLOW}", headers={"Authorization": f"Bearer {read}"})
    assert [(a["accepted"], a["duplicates"]) for a in answers] == [(1, 0)] * 5 + [(2, 1), (1, 0)]
    assert answers[-1]["applied"] is True
    # eight contacts bought once each (a's retry is a duplicate): all passed the trigger and
    # are at the end now (were_here counts those who left an element)
    assert _flow(report.json()) == {"buy": (8, 0), "done": (0, 8)}
    with journeymap.open(tmp_path / "one.duckdb") as jm, open_api(jm) as api:
        api.client.post("/api/maps", json=MAP, headers=api.write).raise_for_status()
        for path, query, body in _requests():
            api.client.post(f"{path}{query}", json=body, headers=api.write).raise_for_status()
        alone = api.client.get(FLOW, headers=api.read).json()
    assert report.json()["elements"] == alone["elements"]


def test_tokens_made_and_revoked_through_the_api_count_at_the_front_at_once(
    tmp_path: Path,
) -> None:
    db = tmp_path / "tokens.duckdb"
    write = _token(db, "write")
    with serve(db) as (_proc, base):
        admin = {"Authorization": f"Bearer {write}"}
        made = httpx2.post(f"{base}/api/tokens", json={"scope": "write"}, headers=admin)
        assert made.status_code == 201, made.text
        fresh = {"Authorization": f"Bearer {made.json()['token']}"}
        first = httpx2.post(f"{base}/api/events", json=_buy("ann", "5.00"), headers=fresh)
        assert (first.status_code, first.json()["accepted"]) == (200, 1)
        token_id = made.json()["token_id"]
        revoked = httpx2.post(f"{base}/api/tokens/{token_id}/revoke", headers=admin)
        assert revoked.status_code == 200, revoked.text
        after = httpx2.post(f"{base}/api/events", json=_buy("bob", "5.00"), headers=fresh)
        assert after.status_code == 401
        assert after.json()["error"]["code"] == "unauthorized"
        done = httpx2.post(
            f"{base}/api/events?wait=applied", json=_buy("cy", "5.00"), headers=admin
        )
        assert done.json()["applied"] is True
        found = {
            c: httpx2.get(f"{base}/api/contacts/{c}", headers=admin).status_code
            for c in ("ann", "bob", "cy")
        }
    assert found == {"ann": 200, "bob": 404, "cy": 200}


def test_a_back_that_dies_takes_the_front_down_and_sigterm_stops_both(tmp_path: Path) -> None:
    db = tmp_path / "down.duckdb"
    with serve(db) as (proc, _base):
        os.kill(back_of(proc.pid), signal.SIGKILL)
        assert proc.wait(timeout=60) == 1  # the front saw its back die and stopped
    with serve(db) as (proc, _base):
        back = back_of(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert not Path(f"/proc/{back}").exists()  # reaped by the front before it exited


@contextmanager
def _running(app: Any, **where: Any) -> Iterator[uvicorn.Server]:
    """An ASGI app served by uvicorn on a thread (on a Unix socket or a loopback port)."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **where))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise AssertionError("the server did not start")
            time.sleep(0.01)
        yield server
    finally:
        server.should_exit = True
        thread.join()


def test_the_front_passes_backpressure_on_as_the_back_answers_it(tmp_path: Path) -> None:
    settings = Settings(max_intake_lag_events=3)
    sock = str(tmp_path / "back.sock")
    with journeymap.open(tmp_path / "s.duckdb") as jm:
        write = create_token(jm.store, jm.clock, TokenScope.write)
        back = create_app(jm, settings, shared_log=True)
        live: Live = back.state.live
        with _running(back, uds=sock):
            live.applier.stop()  # nothing is applied: what the front logs stays behind
            front = Front(settings, intake_path(jm.store.home, None), sock)
            port = free_port()
            with _running(front, host="127.0.0.1", port=port):
                base = f"http://127.0.0.1:{port}"
                auth = {"Authorization": f"Bearer {write}"}
                batch = {"events": [_buy(c, "1.00") for c in ("ann", "bob", "cy", "dan")]}
                first = httpx2.post(f"{base}/api/events/batch", json=batch, headers=auth)
                assert (first.status_code, first.json()["accepted"]) == (200, 4)
                over = httpx2.post(f"{base}/api/events", json=_buy("eve", "1.00"), headers=auth)
                assert over.status_code == 503
                assert over.json()["error"]["code"] == "overloaded"
                assert int(over.headers["retry-after"]) >= 1
                assert front.log.logged_events == 4  # the refused event was not logged
                assert live.applier.lag() == 4
                live.applier.run_once()
                assert live.applier.lag() == 0
                again = httpx2.post(f"{base}/api/events", json=_buy("eve", "1.00"), headers=auth)
                assert (again.status_code, again.json()["accepted"]) == (200, 1)


_BIG = bytes(range(256)) * 8192  # 2 MiB


async def _streaming_back(scope: Scope, receive: Receive, send: Send) -> None:
    """A back that answers in parts: the first part, then the rest once the client has read
    the first; `/echo` answers the sha256 of the body it was sent; cookies and status ride."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/echo":
        digest = hashlib.sha256()
        while True:
            message = await receive()
            digest.update(message.get("body", b""))
            if not message.get("more_body", False):
                break
        payload = digest.hexdigest().encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": payload})
        return
    headers = [
        (b"content-type", b"text/event-stream"),
        (b"set-cookie", b"a=1; Path=/"),
        (b"set-cookie", b"b=2; Path=/"),
    ]
    await send({"type": "http.response.start", "status": 207, "headers": headers})
    await send({"type": "http.response.body", "body": b"data: first\n\n", "more_body": True})
    while not _READ_FIRST.is_set():  # the client has the first part before the second exists
        await asyncio.sleep(0.01)
    await send({"type": "http.response.body", "body": _BIG, "more_body": True})
    await send({"type": "http.response.body", "body": b"data: last\n\n"})


_READ_FIRST = threading.Event()


def test_the_pass_through_streams_answers_and_bodies_both_ways(tmp_path: Path) -> None:
    sock = str(tmp_path / "stream.sock")
    port = free_port()
    with (
        _running(_streaming_back, uds=sock),
        _running(PassThrough(sock), host="127.0.0.1", port=port),
        httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http,
    ):
        with http.stream("GET", "/events?x=%2F") as r:
            parts = r.iter_raw()
            assert next(parts).startswith(b"data: first\n\n")
            _READ_FIRST.set()
            rest = b"".join(parts)
            assert (r.status_code, r.headers.get_list("set-cookie")) == (
                207,
                ["a=1; Path=/", "b=2; Path=/"],
            )
        assert rest.endswith(_BIG + b"data: last\n\n")

        def body() -> Iterator[bytes]:
            for start in range(0, len(_BIG), 100_000):
                yield _BIG[start : start + 100_000]

        echoed = http.post("/echo", content=body())  # chunked, never whole in the front
        assert echoed.text == hashlib.sha256(_BIG).hexdigest()
