"""The live engine behind the app: the scheduler releases waits on time; errors leave no trace."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.tokens import Scope, create_token
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import EventRejected
from test_api_support import SECRET, open_api, purchases, welcome_map


def test_the_background_scheduler_releases_a_wait_when_it_falls_due(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    token = create_token(jm.store, clock, Scope.write)
    auth = {"Authorization": f"Bearer {token}"}
    app = create_app(jm, Settings(tracking_secret=SECRET, tick_seconds=0.02, smtp_port=9))
    with TestClient(app) as client:  # runs the lifespan: scheduler and outbox threads
        client.post("/api/maps", json=welcome_map(), headers=auth)
        client.put("/api/contacts/ann", json={}, headers=auth)
        assert set(jm.engine.state_of("ann", "welcome").positions) == {"pause"}
        clock.advance(timedelta(days=1))
        for _ in range(500):
            if "bought" in jm.engine.state_of("ann", "welcome").positions:
                break
            time.sleep(0.01)
        assert set(jm.engine.state_of("ann", "welcome").positions) == {"bought"}


def test_a_failure_inside_a_write_drops_what_it_half_applied(jm: journeymap.Journeymap) -> None:
    with open_api(jm) as api:
        now = jm.clock.now()
        good = Event("purchase", "ann", now, amount=None, event_id="x-1")
        bad = Event("tag_added", None, now, tag="t")  # the engine rejects it mid-batch
        with pytest.raises(EventRejected, match="needs field 'contact_id'"):
            api.live.track([good, bad])
        assert api.client.get("/api/contacts/ann", headers=api.read).status_code == 404
        r = api.client.post(
            "/api/events",
            json={"kind": "purchase", "contact_id": "ann", "amount": 3, "event_id": "x-1"},
            headers=api.write,
        )
        assert r.json() == {"accepted": 1, "duplicates": 0}
        assert [p[1] for p in purchases(jm)] == [3]
        assert api.live.channel in jm.engine.listeners
