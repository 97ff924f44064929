"""Helpers for the API tests: a client with a write and a read token, and a small email map."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi.testclient import TestClient

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.live import Live
from journeymap.api.tokens import Scope, create_token

SECRET = "test-secret"  # noqa: S105 - the HMAC key of test tracking links
BASE = "http://testserver"


@dataclass
class Api:
    """A test client over the app, with headers for each token scope."""

    client: TestClient
    jm: journeymap.Journeymap
    live: Live
    write: dict[str, str]
    read: dict[str, str]

    def settle(self) -> None:
        """Wait until the applier has applied everything the intake log holds."""
        self.live.applier.wait_applied(self.live.log.last_pos, 30)


@contextmanager
def open_api(jm: journeymap.Journeymap, **settings: Any) -> Iterator[Api]:
    """The app over `jm` with its applier running, but not the outbox (tests deliver by hand)."""
    write = create_token(jm.store, jm.clock, Scope.write)
    read = create_token(jm.store, jm.clock, Scope.read)
    app = create_app(jm, Settings(tracking_secret=SECRET, public_url=BASE, **settings))
    client = TestClient(app, raise_server_exceptions=True)
    live: Live = app.state.live
    live.applier.start()
    try:
        yield Api(
            client,
            jm,
            live,
            {"Authorization": f"Bearer {write}"},
            {"Authorization": f"Bearer {read}"},
        )
    finally:
        client.close()
        live.close()


def welcome_map(map_id: str = "welcome") -> dict[str, Any]:
    """New contact -> welcome email -> wait 1 day -> end; a purchase goal below the email."""
    return {
        "id": map_id,
        "name": "Welcome",
        "elements": [
            {"id": "signup", "kind": "trigger", "event": {"on": "contact_created"}},
            {
                "id": "hello",
                "kind": "action",
                "action": {
                    "type": "send_email",
                    "message": {
                        "subject": "Welcome, {{name}}",
                        "html": (
                            "<html><body><p>Hi {{name}}</p>"
                            '<a href="https://shop.example/offer?x=1&amp;y=2">Offer</a>'
                            '<a href="https://shop.example/about">About</a>'
                            '<a href="{{unsubscribe_url}}">Unsubscribe</a></body></html>'
                        ),
                        "text": "Hi {{name}}, see https://shop.example/offer",
                    },
                },
            },
            {"id": "pause", "kind": "wait", "duration": "P1D"},
            {"id": "bought", "kind": "goal", "event": {"on": "purchase"}},
            {"id": "done", "kind": "end"},
        ],
        "connectors": [
            {"id": "c1", "from": "signup", "to": "hello"},
            {"id": "c2", "from": "hello", "to": "pause"},
            {"id": "c3", "from": "pause", "to": "bought"},
            {"id": "c4", "from": "bought", "to": "done"},
        ],
    }


def email_events(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """Recorded email events as (event, map, element, contact)."""
    return [
        (r["event"], r["map_id"], r["element_id"], r["contact_id"])
        for r in jm.store.query("email_events_log")
    ]


def purchases(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """Recorded purchases as (contact, amount, product, occurred_at)."""
    return [
        (r["contact_id"], r["amount"], r["product"], r["occurred_at"])
        for r in jm.store.query("purchases_log")
    ]


@contextmanager
def served(app: Any, **config: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", **config)
    )
    thread = threading.Thread(target=server.run, name="uvicorn-test")
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the test server did not start")
            thread.join(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
