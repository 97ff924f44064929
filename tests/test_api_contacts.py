"""Contact endpoints: upsert with UTM, tags and fields; read back; entry by a trigger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import journeymap
from journeymap.channels.email import EmailCourier, SmtpConfig
from test_api_support import Api, email_events, open_api, welcome_map
from test_email_support import smtp_server

NO_UTM = {"source": None, "medium": None, "campaign": None, "content": None, "term": None}


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        yield a


def test_create_then_update_keeps_first_touch_and_merges_tags_and_fields(api: Api) -> None:
    body = {
        "utm": {"source": "google", "medium": "cpc", "campaign": "spring"},
        "tags": ["lead"],
        "fields": {"email": "ann@example.org", "name": "Ann"},
    }
    r = api.client.put("/api/contacts/ann", json=body, headers=api.write)
    created = {
        "contact_id": "ann",
        "created_at": "2026-01-05T09:00:00Z",
        "first_utm": {**NO_UTM, "source": "google", "medium": "cpc", "campaign": "spring"},
        "last_utm": {**NO_UTM, "source": "google", "medium": "cpc", "campaign": "spring"},
        "tags": ["lead"],
        "fields": {"email": "ann@example.org", "name": "Ann"},
    }
    assert (r.status_code, r.json()) == (201, created)
    update = {"utm": {"source": "newsletter"}, "tags": ["vip"], "fields": {"name": "Annie"}}
    r = api.client.put("/api/contacts/ann", json=update, headers=api.write)
    updated = {
        **created,
        "last_utm": {**NO_UTM, "source": "newsletter"},
        "tags": ["lead", "vip"],
        "fields": {"email": "ann@example.org", "name": "Annie"},
    }
    assert (r.status_code, r.json()) == (200, updated)
    r = api.client.get("/api/contacts/ann", headers=api.read)
    assert (r.status_code, r.json()) == (200, updated)


def test_unknown_contact_is_404(api: Api) -> None:
    r = api.client.get("/api/contacts/nobody", headers=api.read)
    assert (r.status_code, r.json()) == (
        404,
        {"error": {"code": "not_found", "message": "no contact 'nobody'"}},
    )


def test_a_repeated_event_id_changes_nothing(api: Api) -> None:
    first = {"fields": {"plan": "free"}, "event_id": "crm-1"}
    assert api.client.put("/api/contacts/ann", json=first, headers=api.write).status_code == 201
    again = {"fields": {"plan": "pro"}, "event_id": "crm-1"}
    r = api.client.put("/api/contacts/ann", json=again, headers=api.write)
    assert (r.status_code, r.json()["fields"]) == (200, {"plan": "free"})


def test_a_new_contact_enters_by_its_trigger_and_is_sent_the_email(api: Api) -> None:
    api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    body = {"fields": {"email": "ann@example.org", "name": "Ann"}}
    api.client.put("/api/contacts/ann", json=body, headers=api.write)
    assert set(api.jm.engine.state_of("ann", "welcome").positions) == {"pause"}
    queued = [("hello", "ann", "ann@example.org", "queued")]
    assert _outbox(api) == queued
    api.client.put("/api/contacts/ann", json={"tags": ["again"]}, headers=api.write)
    assert _outbox(api) == queued
    assert email_events(api.jm) == []  # `sent` once the SMTP server takes it
    with smtp_server() as (inbox, port):
        api.live.outbox.workers["email"].courier = EmailCourier(SmtpConfig(port=port))
        assert api.live.outbox.deliver_due() == {"delivered": 1}
    assert [m["To"] for m in inbox.messages] == ["ann@example.org"]
    assert email_events(api.jm) == [("sent", "welcome", "hello", "ann")]


def _outbox(api: Api) -> list[tuple[str, str, str, str]]:
    return [
        (m["element_id"], m["contact_id"], m["to_address"], m["status"]) for m in api.jm.outbox()
    ]


def test_bad_contact_bodies_name_the_field(api: Api) -> None:
    r = api.client.put(
        "/api/contacts/ann", json={"utm": {"channel": "x"}, "tags": [""]}, headers=api.write
    )
    assert r.status_code == 422
    assert [(p["index"], p["field"], p["code"]) for p in r.json()["error"]["problems"]] == [
        (None, "utm.channel", "extra_forbidden"),
        (None, "tags.0", "string_too_short"),
    ]
    assert api.client.get("/api/contacts/ann", headers=api.read).status_code == 404
