"""The live engine behind the app: the applier releases waits when they fall due."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.tokens import Scope, create_token
from journeymap.clock import ManualClock
from test_api_support import SECRET, welcome_map


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
