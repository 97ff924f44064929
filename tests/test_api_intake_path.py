"""The intake fast path: it answers exactly as the routes do, and hands them everything else."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

import journeymap
from journeymap.api.intake import EventIntake, LiveSink
from journeymap.api.limits import BodyRules
from test_api_support import Api, open_api

EVENTS: list[dict[str, Any]] = [
    {"kind": "page_visited", "visitor_id": "v1", "url": "https://shop.example/a"},
    {"kind": "form_submitted", "contact_id": "ann", "form": "signup", "tags": ["lead"]},
    {"kind": "purchase", "contact_id": "ann", "amount": "19.90", "utm": {"source": "google"}},
    {"kind": "tag_added", "contact_id": "ann", "tag": "vip", "event_id": "t-1"},
]


RULES = BodyRules(max_bytes=10_000, seconds=5, anonymous=2)
LARGE = {**EVENTS[1], "fields": {"note": "x" * 10_000}}
"""A body over RULES.max_bytes: the body limit answers it (413), not the fast path."""


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm, max_batch_events=3) as a:
        yield a


def _renamed(event: dict[str, Any], suffix: str) -> dict[str, Any]:
    out = dict(event)
    for key in ("contact_id", "visitor_id", "event_id"):
        if key in out:
            out[key] = f"{out[key]}-{suffix}"
    return out


@pytest.mark.parametrize("event", EVENTS, ids=[e["kind"] for e in EVENTS])
def test_a_fast_answer_is_the_routed_answer(api: Api, event: dict[str, Any]) -> None:
    fast = api.client.post("/api/events", json=_renamed(event, "f"), headers=api.write)
    routed = api.client.post(
        "/api/events", json=_renamed(event, "r"), headers=api.write, params={"wait": "logged"}
    )
    assert (fast.status_code, fast.json()) == (routed.status_code, routed.json())
    assert fast.json() == {"accepted": 1, "duplicates": 0, "applied": False, "dead_letters": []}
    assert fast.headers["content-type"] == routed.headers["content-type"] == "application/json"
    api.settle()
    contact = event.get("contact_id")
    if contact is not None:  # both events reached the store: each contact exists
        for suffix in ("f", "r"):
            got = api.client.get(f"/api/contacts/{contact}-{suffix}", headers=api.read)
            assert got.status_code == 200, got.text


def test_batches_and_retries_count_as_the_routes_count(api: Api) -> None:
    batch = {"events": [_renamed(e, "b") for e in EVENTS[1:]]}
    first = api.client.post("/api/events/batch", json=batch, headers=api.write)
    assert first.json() == {"accepted": 3, "duplicates": 0, "applied": False, "dead_letters": []}
    again = api.client.post("/api/events/batch", json=batch, headers=api.write)
    assert again.json() == {"accepted": 2, "duplicates": 1, "applied": False, "dead_letters": []}
    too_many = {"events": [_renamed(e, "c") for e in EVENTS]}
    refused = api.client.post("/api/events/batch", json=too_many, headers=api.write)
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["field"] == "events"


@pytest.mark.parametrize(
    ("path", "query", "headers", "body"),
    [
        ("/api/events", b"", {b"authorization": b"Bearer READ"}, EVENTS[1]),
        ("/api/events", b"", {b"authorization": b"Bearer nonsense"}, EVENTS[1]),
        ("/api/events", b"", {b"cookie": b"journeymap_session=x"}, EVENTS[1]),
        ("/api/events", b"wait=applied", {b"authorization": b"Bearer WRITE"}, EVENTS[1]),
        ("/api/events", b"", {b"authorization": b"Bearer WRITE"}, {"kind": "purchase"}),
        ("/api/events", b"", {b"authorization": b"Bearer WRITE"}, "not an object"),
        ("/api/events/batch", b"", {b"authorization": b"Bearer WRITE"}, {"events": EVENTS}),
        ("/api/contacts", b"", {b"authorization": b"Bearer WRITE"}, EVENTS[1]),
        ("/api/events", b"", {b"authorization": b"Bearer WRITE"}, LARGE),
        (
            "/api/events",
            b"",
            {b"authorization": b"Bearer WRITE", b"transfer-encoding": b"chunked"},
            EVENTS[1],
        ),
    ],
    ids=[
        "read",
        "unknown",
        "cookie",
        "wait",
        "invalid",
        "json",
        "too-many",
        "other-path",
        "too-large",
        "chunked",
    ],
)
def test_everything_but_the_common_case_reaches_the_routes_with_its_body(
    api: Api, path: str, query: bytes, headers: dict[bytes, bytes], body: object
) -> None:
    tokens = {b"READ": api.read, b"WRITE": api.write}
    for name, value in list(headers.items()):
        for placeholder, given in tokens.items():
            if placeholder in value:
                headers[name] = given["Authorization"].encode()
    raw = json.dumps(body).encode()
    seen: list[bytes] = []
    logged = api.live.log.last_pos

    async def routes(_scope: Any, receive: Any, _send: Any) -> None:
        chunks = [await receive()]
        while chunks[-1]["more_body"]:
            chunks.append(await receive())
        seen.append(b"".join(c["body"] for c in chunks))

    middleware = EventIntake(routes, LiveSink(api.live), RULES)
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": query,
        "headers": [*headers.items(), (b"content-length", str(len(raw)).encode())],
    }
    sent: list[dict[str, Any]] = []
    pieces = [raw[:5], raw[5:]]  # a body that arrives in two parts is replayed whole

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": pieces.pop(0), "more_body": bool(pieces)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    assert seen == [raw]
    assert sent == []
    assert api.live.log.last_pos == logged  # nothing was logged on the way


def test_the_common_case_never_reaches_the_routes(api: Api) -> None:
    called: list[object] = []

    async def routes(*_args: Any) -> None:
        called.append(True)

    middleware = EventIntake(routes, LiveSink(api.live), RULES)
    token = api.write["Authorization"].encode()
    body = json.dumps(EVENTS[2]).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/events",
        "query_string": b"",
        "headers": [(b"authorization", token), (b"content-length", str(len(body)).encode())],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    before = api.live.log.last_pos
    asyncio.run(middleware(scope, receive, send))
    assert called == []
    assert sent[0]["status"] == 200
    assert json.loads(sent[1]["body"]) == {
        "accepted": 1,
        "duplicates": 0,
        "applied": False,
        "dead_letters": [],
    }
    assert api.live.log.last_pos == before + 1
    [entry] = api.live.log.read(before, 10)
    [event] = entry.events
    assert (event.kind, event.contact_id, str(event.amount)) == ("purchase", "ann", "19.90")


def test_a_body_that_stalls_gets_408_from_the_fast_path_too(api: Api) -> None:
    async def routes(*_args: Any) -> None:
        raise AssertionError("the routes are not reached")

    middleware = EventIntake(
        routes, LiveSink(api.live), BodyRules(max_bytes=10_000, seconds=0.2, anonymous=2)
    )
    token = api.write["Authorization"].encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/events",
        "query_string": b"",
        "headers": [(b"authorization", token), (b"content-length", b"100")],
    }
    sent: list[dict[str, Any]] = []
    parts = [{"type": "http.request", "body": b'{"kind":', "more_body": True}]

    async def receive() -> dict[str, Any]:
        if parts:
            return parts.pop()
        await asyncio.sleep(60)  # the client stalls mid-body
        raise AssertionError("not reached")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["error"]["code"] == "request_timeout"
