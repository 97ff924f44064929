"""Deliveries over HTTP and the CLI: a failed webhook listed with its attempts, retried by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from test_api_support import Api, open_api
from test_webhook_delivery import hook_map, ids
from test_webhook_support import Receiver, receiver

runner = CliRunner()
APPLIED = {"wait": "applied"}


@pytest.fixture
def hook() -> Iterator[Receiver]:
    """A receiver that refuses the first request (404) and takes the rest."""
    with receiver(404, 200) as r:
        yield r


@pytest.fixture
def api(jm: journeymap.Journeymap, hook: Receiver) -> Iterator[Api]:
    jm.webhook.new_id = ids("dlv")
    with open_api(jm, webhook_allowed="127.0.0.1", webhook_concurrency=1) as a:
        r = a.client.post("/api/maps", json=hook_map(hook.url()), headers=a.write)
        assert r.status_code == 201, r.text
        signup = {"kind": "form_submitted", "contact_id": "ann", "form": "news"}
        r = a.client.post("/api/events", json=signup, headers=a.write, params=APPLIED)
        assert r.status_code == 200, r.text
        yield a


def _failed_ann(at: str, target: str) -> dict[str, Any]:
    return {
        "delivery_id": "dlv1",
        "channel": "webhook",
        "action": "webhook",
        "map_id": "crm",
        "element_id": "push",
        "contact_id": "ann",
        "target": target,
        "created_at": at,
        "state": "failed",
        "status": "refused",
        "error": "HTTP 404 Not Found",
        "attempts": 1,
        "next_attempt_at": None,
        "attempt_log": [
            {
                "attempt": 1,
                "status": "refused",
                "outcome": "failed",
                "error": "HTTP 404 Not Found",
                "occurred_at": at,
                "next_attempt_at": None,
            }
        ],
    }


def _flow(api: Api) -> dict[str, Any]:
    r = api.client.get("/api/maps/crm/reports/contact-flow", headers=api.read)
    assert r.status_code == 200, r.text
    (push,) = [e for e in r.json()["elements"] if e["id"] == "push"]
    return {k: push[k] for k in ("delivered", "pending", "failed", "last_error")}


def test_a_failed_webhook_is_listed_with_its_attempts_and_retried_by_hand(
    api: Api, hook: Receiver, clock: ManualClock
) -> None:
    queued = api.client.get("/api/deliveries", headers=api.read).json()
    assert [
        (d["delivery_id"], d["state"], d["status"], d["attempts"]) for d in queued["deliveries"]
    ] == [("dlv1", "pending", "queued", 0)]
    assert api.live.outbox.deliver_due() == {"refused": 1}
    at = "2026-01-05T09:00:00Z"
    r = api.client.get("/api/deliveries", params={"state": "failed"}, headers=api.read)
    assert r.json() == {
        "total": 1,
        "limit": 100,
        "offset": 0,
        "deliveries": [_failed_ann(at, hook.url())],
    }
    assert _flow(api) == {
        "delivered": 0,
        "pending": 0,
        "failed": 1,
        "last_error": "HTTP 404 Not Found",
    }
    empty = api.client.get("/api/deliveries", params={"state": "delivered"}, headers=api.read)
    assert empty.json()["total"] == 0

    clock.advance(timedelta(minutes=5))
    forbidden = api.client.post("/api/deliveries/dlv1/retry", headers=api.read)
    assert forbidden.status_code == 403
    again = api.client.post("/api/deliveries/dlv1/retry", headers=api.write)
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["state"], body["status"], body["next_attempt_at"]) == (
        "pending",
        "reopened",
        "2026-01-05T09:05:00Z",
    )
    twice = api.client.post("/api/deliveries/dlv1/retry", headers=api.write)
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "delivery_not_failed")
    missing = api.client.post("/api/deliveries/nope/retry", headers=api.write)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_delivery")

    assert api.live.outbox.deliver_due() == {"delivered": 1}
    assert len(hook.requests) == 2
    assert {q.headers["journeymap-delivery"] for q in hook.requests} == {"dlv1"}
    done = api.client.get("/api/deliveries", params={"channel": "webhook"}, headers=api.read)
    (record,) = done.json()["deliveries"]
    assert [(a["attempt"], a["status"], a["occurred_at"]) for a in record["attempt_log"]] == [
        (1, "refused", at),
        (2, "reopened", "2026-01-05T09:05:00Z"),
        (3, "delivered", "2026-01-05T09:05:00Z"),
    ]
    assert (record["state"], record["attempts"]) == ("delivered", 2)
    assert _flow(api) == {"delivered": 1, "pending": 0, "failed": 0, "last_error": None}
    bad = api.client.get("/api/deliveries", params={"state": "lost"}, headers=api.read)
    assert bad.status_code == 422


def test_the_cli_lists_failed_deliveries_and_retries_one(
    jm: journeymap.Journeymap, hook: Receiver
) -> None:
    jm.webhook.new_id = ids("dlv")
    with open_api(jm, webhook_allowed="127.0.0.1") as api:
        api.client.post("/api/maps", json=hook_map(hook.url()), headers=api.write)
        signup = {"kind": "form_submitted", "contact_id": "ann", "form": "news"}
        api.client.post("/api/events", json=signup, headers=api.write, params=APPLIED)
        assert api.live.outbox.deliver_due() == {"refused": 1}
    db = str(jm.path)
    jm.close()
    listed = runner.invoke(app, ["deliveries", "list", "--failed", "--json", "--db", db])
    assert listed.exit_code == 0, listed.output
    page = journeymap.channels.ledger.DeliveryPage.model_validate_json(listed.output)
    assert page.total == 1
    assert page.deliveries[0].model_dump(mode="json") == _failed_ann(
        "2026-01-05T09:00:00Z", hook.url()
    )
    console.width = 200
    try:
        table = runner.invoke(app, ["deliveries", "list", "--failed", "--db", db])
    finally:
        console._width = None
    assert "1 deliveries" in table.output
    assert "1. 2026-01-05T09:00:00+00:00 refused: HTTP 404 Not Found" in table.output
    retried = runner.invoke(app, ["deliveries", "retry", "dlv1", "--db", db])
    assert (retried.exit_code, retried.output) == (0, "dlv1: pending, due now\n")
    refused = runner.invoke(app, ["deliveries", "retry", "dlv1", "--db", db])
    assert refused.exit_code == 1
    assert "[delivery_not_failed] delivery_id: delivery 'dlv1' is pending" in refused.output
    nothing = runner.invoke(app, ["deliveries", "list", "--failed", "--db", db])
    assert "0 deliveries" in nothing.output


def test_the_webhook_secret_is_shown_and_rotated(tmp_path: Any) -> None:
    db = str(tmp_path / "keys.duckdb")
    first = runner.invoke(app, ["webhooks", "secret", "--db", db])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["webhooks", "secret", "--db", db])
    assert again.output == first.output
    assert first.output.startswith("whsec_")
    rotated = runner.invoke(app, ["webhooks", "secret", "--rotate", "--db", db])
    new = rotated.stdout.splitlines()[0]
    assert new.startswith("whsec_")
    assert new != first.output.strip()
    assert runner.invoke(app, ["webhooks", "secret", "--db", db]).output == f"{new}\n"
