"""Event intake: every kind, batches all-or-nothing, idempotent retries, size limits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

import journeymap
from test_api_support import Api, email_events, open_api, purchases, welcome_map

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm, max_body_bytes=2000, max_batch_events=5) as a:
        yield a


APPLIED = {"wait": "applied"}


def _post(api: Api, event: dict[str, object]) -> dict[str, object]:
    r = api.client.post("/api/events", json=event, headers=api.write, params=APPLIED)
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def _contact(api: Api, contact_id: str) -> dict[str, object]:
    body: dict[str, object] = api.client.get(f"/api/contacts/{contact_id}", headers=api.read).json()
    return body


def test_each_kind_of_event_is_recorded(api: Api) -> None:
    api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    one = {"accepted": 1, "duplicates": 0, "applied": True, "dead_letters": []}
    assert (
        _post(
            api,
            {
                "kind": "page_visited",
                "visitor_id": "v1",
                "url": "https://shop.example/pricing",
                "utm": {"source": "google"},
                "occurred_at": "2026-01-05T08:00:00",
            },
        )
        == one
    )
    form = {"kind": "form_submitted", "contact_id": "ann", "form": "signup"}
    assert _post(api, {**form, "fields": {"email": "a@x.org"}, "tags": ["lead"]}) == one
    assert _post(api, {"kind": "tag_added", "contact_id": "ann", "tag": "vip"}) == one
    assert _post(api, {"kind": "tag_removed", "contact_id": "ann", "tag": "lead"}) == one
    assert _post(
        api, {"kind": "field_updated", "contact_id": "ann", "field": "plan", "value": "pro"}
    )
    assert _post(api, {"kind": "purchase", "contact_id": "ann", "amount": 30, "product": "hat"})
    assert _post(api, {"kind": "refund", "contact_id": "ann", "amount": "12.50", "product": "hat"})
    assert _post(api, {"kind": "custom", "contact_id": "ann", "name": "webinar", "tags": ["w"]})
    opened = {"kind": "email_opened", "contact_id": "ann", "map_id": "welcome"}
    assert _post(api, {**opened, "element_id": "hello"}) == one
    contact = _contact(api, "ann")
    assert (contact["tags"], contact["fields"]) == (
        ["vip", "w"],
        {"email": "a@x.org", "plan": "pro"},
    )
    assert purchases(api.jm) == [
        ("ann", Decimal("30.00"), "hat", T0),
        ("ann", Decimal("-12.50"), "hat", T0),
    ]
    # the form created ann, so the contact-created trigger queued her the welcome email (`sent`
    # only once an SMTP server takes it)
    assert email_events(api.jm) == [("opened", "welcome", "hello", "ann")]
    assert [(m["element_id"], m["to_address"], m["status"]) for m in api.jm.outbox("ann")] == [
        ("hello", "a@x.org", "queued")
    ]
    visits = api.jm.store.query("page_visits_log")
    assert [
        (v["visitor_id"], v["contact_id"], v["utm_source"], v["occurred_at"]) for v in visits
    ] == [("v1", None, "google", datetime(2026, 1, 5, 8, 0, tzinfo=UTC))]


def test_added_manually_puts_the_contact_on_that_map(api: Api) -> None:
    m = welcome_map("manual")
    m["elements"][0]["event"] = {"on": "added_manually"}  # type: ignore[index]
    api.client.post("/api/maps", json=m, headers=api.write)
    api.client.put("/api/contacts/bob", json={}, headers=api.write)
    assert _post(api, {"kind": "added_manually", "contact_id": "bob", "map_id": "manual"}) == {
        "accepted": 1,
        "duplicates": 0,
        "applied": True,
        "dead_letters": [],
    }
    assert set(api.jm.engine.state_of("bob", "manual").positions) == {"pause"}


def test_a_retried_batch_and_duplicates_inside_it_add_nothing(api: Api) -> None:
    batch = {
        "events": [
            {"kind": "purchase", "contact_id": "ann", "amount": 10, "event_id": "o-1"},
            {"kind": "purchase", "contact_id": "ann", "amount": 10, "event_id": "o-1"},
            {"kind": "purchase", "contact_id": "ann", "amount": 7, "event_id": "o-2"},
            {"kind": "purchase", "contact_id": "ann", "amount": 1},
        ]
    }
    r = api.client.post("/api/events/batch", json=batch, headers=api.write)
    assert (r.status_code, r.json()) == (
        200,
        {"accepted": 3, "duplicates": 1, "applied": False, "dead_letters": []},
    )
    r = api.client.post("/api/events/batch", json=batch, headers=api.write, params=APPLIED)
    assert (r.status_code, r.json()) == (
        200,
        {"accepted": 1, "duplicates": 3, "applied": True, "dead_letters": []},
    )
    assert [p[1] for p in purchases(api.jm)] == [Decimal(10), Decimal(7), Decimal(1), Decimal(1)]


def test_concurrent_posts_of_one_batch_apply_it_once(api: Api) -> None:
    batch = {
        "events": [
            {"kind": "purchase", "contact_id": f"c{i}", "amount": i + 1, "event_id": f"e{i}"}
            for i in range(5)
        ]
    }
    results: list[dict[str, int]] = []

    def post() -> None:
        client = TestClient(api.client.app)  # one client per thread, no lifespan threads
        r = client.post("/api/events/batch", json=batch, headers=api.write, params=APPLIED)
        results.append(r.json())
        client.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["accepted"] for r in results) == 5
    assert sum(r["duplicates"] for r in results) == 25
    assert sorted(p[1] for p in purchases(api.jm)) == [Decimal(n) for n in range(1, 6)]


def test_a_batch_with_bad_events_is_rejected_whole_naming_index_and_field(api: Api) -> None:
    batch = {
        "events": [
            {"kind": "purchase", "contact_id": "ann", "amount": 10},
            {"kind": "purchase", "contact_id": "ann", "amount": "ten"},
            {"kind": "tag_added", "contact_id": "ann"},
            {"kind": "teleported", "contact_id": "ann"},
            {"kind": "page_visited", "url": "https://x.example/"},
            {"kind": "refund", "contact_id": "ann", "amount": -3},
        ]
    }
    r = api.client.post(
        "/api/events/batch", json={"events": batch["events"][:5]}, headers=api.write
    )
    assert r.status_code == 422
    assert [(p["index"], p["field"], p["code"]) for p in r.json()["error"]["problems"]] == [
        (1, "amount", "bad_amount"),
        (2, "tag", "missing"),
        (3, "kind", "union_tag_invalid"),
        (4, "visitor_id", "missing_identity"),
    ]
    r = api.client.post(
        "/api/events/batch", json={"events": batch["events"][5:]}, headers=api.write
    )
    assert r.json()["error"]["problems"] == [
        {
            "index": 0,
            "field": "amount",
            "code": "greater_than",
            "message": "Input should be greater than 0",
        }
    ]
    assert purchases(api.jm) == []
    assert api.client.get("/api/contacts/ann", headers=api.read).status_code == 404


def test_a_batch_over_the_event_limit_is_422(api: Api) -> None:
    events = [{"kind": "tag_added", "contact_id": "ann", "tag": f"t{i}"} for i in range(6)]
    r = api.client.post("/api/events/batch", json={"events": events}, headers=api.write)
    assert (r.status_code, r.json()["error"]["problems"]) == (
        422,
        [
            {
                "index": None,
                "field": "events",
                "code": "invalid_request",
                "message": "a batch holds at most 5 events",
            }
        ],
    )


def test_a_body_over_the_size_limit_gets_413_and_writes_nothing(api: Api) -> None:
    big = {"kind": "custom", "contact_id": "ann", "name": "x", "fields": {"note": "y" * 2000}}
    r = api.client.post("/api/events", json=big, headers=api.write)
    too_large = {
        "error": {
            "code": "payload_too_large",
            "message": "the request body is larger than 2000 bytes",
        }
    }
    assert (r.status_code, r.json()) == (413, too_large)

    def chunks() -> Iterator[bytes]:
        yield b'{"kind": "custom", "contact_id": "ann", "name": "x", "fields": {"note": "'
        for _ in range(30):
            yield b"y" * 100
        yield b'"}}'

    headers = {**api.write, "Content-Type": "application/json"}
    r = api.client.post("/api/events", content=chunks(), headers=headers)
    assert (r.status_code, r.json()) == (413, too_large)
    assert api.client.get("/api/contacts/ann", headers=api.read).status_code == 404
