"""Notify actions: an email about the contact to the team, through the SMTP outbox."""

from __future__ import annotations

from typing import Any

import pytest

import journeymap
from journeymap.channels import DeliveryWorker, RetryPolicy
from journeymap.channels.email import EmailCourier, SmtpConfig
from journeymap.engine import Event
from journeymap.errors import MapInvalid
from journeymap.model.loading import parse_map
from test_email_support import smtp_server, text_part
from test_engine_support import T0


def notify_map(**action: Any) -> dict[str, Any]:
    """Newsletter form -> notify -> end."""
    return {
        "id": "leads",
        "elements": [
            {"id": "signup", "kind": "trigger", "event": {"on": "form_submitted", "form": "demo"}},
            {"id": "tell", "kind": "action", "action": {"type": "notify", **action}},
            {"id": "done", "kind": "end"},
        ],
        "connectors": [
            {"id": "c1", "from": "signup", "to": "tell"},
            {"id": "c2", "from": "tell", "to": "done"},
        ],
    }


def _worker(jm: journeymap.Journeymap, port: int, notify_to: str | None = None) -> DeliveryWorker:
    config = SmtpConfig(port=port, sender="journeymap@shop.example", notify_to=notify_to)
    return DeliveryWorker(jm.store, jm.clock, EmailCourier(config), RetryPolicy(jitter=0))


def _lead(jm: journeymap.Journeymap) -> None:
    jm.track(
        Event(
            "form_submitted",
            "ann",
            T0,
            form="demo",
            fields={"email": "ann@x.org", "name": "Ann", "company": "Acme"},
            tags=("lead",),
            utm={"source": "google", "campaign": "spring"},
        )
    )


def _figures(jm: journeymap.Journeymap) -> tuple[Any, ...]:
    tell = jm.report("contact-flow", map_id="leads").element("tell")
    return (tell.delivered, tell.pending, tell.failed, tell.last_error)


def test_notify_arrives_at_the_smtp_server_with_the_contacts_fields(
    jm: journeymap.Journeymap,
) -> None:
    message = "New demo request from {{name}} at {{company}} ({{email}})."
    jm.add_map(parse_map(notify_map(to="sales@shop.example, ops@shop.example", message=message)))
    with smtp_server() as (inbox, port):
        _lead(jm)
        assert _figures(jm) == (0, 1, 0, None)
        assert _worker(jm, port).deliver_due() == {"delivered": 1}
    (msg,) = inbox.messages
    assert inbox.envelopes == [
        ("journeymap@shop.example", ["sales@shop.example", "ops@shop.example"])
    ]
    assert msg["To"] == "sales@shop.example, ops@shop.example"
    assert msg["Subject"] == "journeymap: contact ann reached tell on map leads"
    assert msg["List-Unsubscribe"] is None  # to the team, not to the contact
    assert text_part(msg) == (
        "New demo request from Ann at Acme (ann@x.org).\r\n"
        "\r\n"
        "Contact: ann\r\n"
        "Map: leads, element: tell, at 2026-01-05T09:00:00+00:00\r\n"
        "Tags: lead\r\n"
        "Fields:\r\n"
        "  company: Acme\r\n"
        "  email: ann@x.org\r\n"
        "  name: Ann\r\n"
        "UTM (first touch): source=google, campaign=spring\r\n"
        "UTM (last touch): source=google, campaign=spring\r\n"
    )
    assert _figures(jm) == (1, 0, 0, None)
    # a notification is no email to the contact: no `sent` event on the contact
    assert jm.store.query("email_events_log") == []


def test_notify_without_to_goes_to_the_team_address_or_fails_without_one(
    jm: journeymap.Journeymap,
) -> None:
    jm.add_map(parse_map(notify_map(subject="Lead: {{name}}")))
    with smtp_server() as (inbox, port):
        _lead(jm)
        assert _worker(jm, port).deliver_due() == {"no_address": 1}
        assert _figures(jm) == (
            0,
            0,
            1,
            "no address to send to: no notify_to setting",
        )
        jm.retry_delivery(jm.deliveries().deliveries[0].delivery_id)
        assert _worker(jm, port, notify_to="team@shop.example").deliver_due() == {"delivered": 1}
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [("team@shop.example", "Lead: Ann")]
    assert _figures(jm) == (1, 0, 0, None)


def test_notify_to_an_address_that_is_not_one_is_refused_naming_the_element(
    jm: journeymap.Journeymap,
) -> None:
    with pytest.raises(MapInvalid) as caught:
        jm.add_map(parse_map(notify_map(to=["sales@shop.example", "not an address"])))
    (problem,) = caught.value.problems
    assert (problem.code, problem.element_id) == ("action_settings", "tell")
    assert "notify to 'not an address' is not an email address" in problem.message
