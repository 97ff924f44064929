"""Intake -> log -> applier -> reports: order, restarts, dead letters, backpressure, snapshots."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.live import intake_path
from journeymap.api.tokens import Scope, create_token
from journeymap.clock import ManualClock
from journeymap.engine import Engine, Event
from journeymap.model.loading import parse_map
from test_api_support import SECRET, Api, open_api, purchases, welcome_map

APPLIED = {"wait": "applied"}


def _buy(contact: str, amount: int, event_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": "purchase", "contact_id": contact, "amount": amount}
    if event_id is not None:
        body["event_id"] = event_id
    return body


def _figures(api: Api, report: str = "contact-flow", **params: str) -> dict[str, dict[str, Any]]:
    r = api.client.get(f"/api/maps/welcome/reports/{report}", params=params, headers=api.read)
    assert r.status_code == 200, r.text
    return {e["id"]: e for e in r.json()["elements"]}


@contextmanager
def _stopped_server(jm: journeymap.Journeymap, **settings: Any) -> Iterator[Api]:
    """The app with its applier not running: what is posted stays in the intake log."""
    write = create_token(jm.store, jm.clock, Scope.write)
    read = create_token(jm.store, jm.clock, Scope.read)
    app = create_app(jm, Settings(tracking_secret=SECRET, **settings))
    client = TestClient(app)
    try:
        yield Api(
            client,
            jm,
            app.state.live,
            {"Authorization": f"Bearer {write}"},
            {"Authorization": f"Bearer {read}"},
        )
    finally:
        client.close()


def test_events_flow_through_the_log_into_every_report(jm: journeymap.Journeymap) -> None:
    with open_api(jm) as api:
        api.client.post("/api/maps", json=welcome_map(), headers=api.write)
        for name in ("ann", "bob"):  # an upsert answers once applied: both wait at `pause`
            assert api.client.put(f"/api/contacts/{name}", json={}, headers=api.write).is_success
        batch = {"events": [_buy("ann", 10), _buy("ann", 5)]}
        r = api.client.post("/api/events/batch", json=batch, headers=api.write)
        assert r.json() == {"accepted": 2, "duplicates": 0, "applied": False, "dead_letters": []}
        # applied in log order: once this anonymous visit is applied, ann's purchases are too
        visit = {"kind": "page_visited", "visitor_id": "v1", "url": "https://shop.example/"}
        r = api.client.post("/api/events", json=visit, headers=api.write, params=APPLIED)
        assert r.json() == {"accepted": 1, "duplicates": 0, "applied": True, "dead_letters": []}
        flow = _figures(api)
        assert {k: (v["were_here"], v["here_now"]) for k, v in flow.items()} == {
            "signup": (2, 0),
            "hello": (2, 0),
            "pause": (1, 1),
            "bought": (1, 0),
            "done": (0, 1),
        }
        assert (flow["hello"]["sent"], flow["hello"]["queued"]) == (0, 2)  # no SMTP server ran
        rate = _figures(api, "goal-conversion-rate", goal="bought")
        assert (rate["bought"]["achieved"], rate["bought"]["conversion_rate"]) == (1, 0.5)
        ltv = _figures(api, "lifetime-value")
        assert (ltv["hello"]["amount_spent"], ltv["hello"]["average_spent"]) == (15.0, 7.5)
        stored = api.jm.store.query("intake_position", {"log_id": api.live.log.log_id})
        assert stored == [{"pos": 4}]


def test_a_restart_applies_what_was_logged_and_not_applied_exactly_once(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    jm.add_map(parse_map(welcome_map()))
    with _stopped_server(jm) as api:
        for n, amount in enumerate((10, 20, 5)):
            body = _buy("ann" if n != 1 else "bob", amount, f"o-{n}")
            r = api.client.post("/api/events", json=body, headers=api.write)
            assert r.json()["accepted"] == 1
        assert purchases(jm) == []  # logged, not applied: the process dies here
    jm.close()
    again = journeymap.open(jm.path, clock=clock)
    with open_api(again) as api:
        api.settle()
        assert sorted((p[0], int(p[1])) for p in purchases(again)) == [
            ("ann", 5),
            ("ann", 10),
            ("bob", 20),
        ]
        flow = _figures(api)  # a new contact's first purchase creates it, then achieves the goal
        assert (flow["signup"]["were_here"], flow["done"]["here_now"]) == (2, 2)
        r = api.client.post(
            "/api/events", json=_buy("ann", 10, "o-0"), headers=api.write, params=APPLIED
        )
        assert (r.json()["accepted"], r.json()["duplicates"]) == (0, 1)
    again.close()


def test_a_crash_after_applying_and_before_the_store_commit_loses_nothing(
    tmp_path: Path, clock: ManualClock
) -> None:
    jm = journeymap.open(tmp_path / "crash.duckdb", clock=clock)
    jm.add_map(parse_map(welcome_map()))
    with _stopped_server(jm) as api:
        api.client.post("/api/events/batch", json={"events": [_buy("ann", 10)]}, headers=api.write)
        entries = api.live.log.read(0, 100)
        api.live.applier._apply(entries, None)  # applied in memory; the process dies here
        assert set(jm.engine.state_of("ann", "welcome").positions) == {"done"}
    jm.store.close()  # no flush: what the engine held is lost with the process
    again = journeymap.open(tmp_path / "crash.duckdb", clock=clock)
    assert purchases(again) == []
    with open_api(again) as api:
        api.settle()
        assert [(p[0], int(p[1])) for p in purchases(again)] == [("ann", 10)]
        assert _figures(api)["done"]["here_now"] == 1
    again.close()


def test_an_event_the_engine_refuses_becomes_a_dead_letter_and_the_rest_is_applied(
    jm: journeymap.Journeymap, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_apply = Engine.apply

    def apply(self: Engine, event: Event, *, deduped: bool = False) -> None:
        if event.contact_id == "poison":
            raise RuntimeError("this map rule cannot run")
        real_apply(self, event, deduped=deduped)

    monkeypatch.setattr(Engine, "apply", apply)
    with open_api(jm) as api:
        api.client.post("/api/maps", json=welcome_map(), headers=api.write)
        batch = {"events": [_buy("ann", 10, "a"), _buy("poison", 1, "p"), _buy("bob", 20, "b")]}
        r = api.client.post("/api/events/batch", json=batch, headers=api.write, params=APPLIED)
        assert r.json() == {"accepted": 3, "duplicates": 0, "applied": True, "dead_letters": [1]}
        # indexes are the request's own, also when duplicates were skipped before it
        batch = {"events": [_buy("ann", 10, "a"), _buy("poison", 2, "p2")]}
        r = api.client.post("/api/events/batch", json=batch, headers=api.write, params=APPLIED)
        assert r.json() == {"accepted": 1, "duplicates": 1, "applied": True, "dead_letters": [1]}
        assert sorted((p[0], int(p[1])) for p in purchases(jm)) == [("ann", 10), ("bob", 20)]
        listed = api.client.get("/api/dead-letters", headers=api.read).json()
        assert listed["total"] == 2
        assert [
            (d["position"], d["index"], d["kind"], d["contact_id"], d["event"]["amount"])
            for d in listed["dead_letters"]
        ] == [(2, 0, "purchase", "poison", "2"), (1, 1, "purchase", "poison", "1")]
        assert listed["dead_letters"][0]["reason"] == "RuntimeError: this map rule cannot run"
        health = api.client.get("/api/health").json()
        assert (health["status"], health["intake"]["dead_letters"]) == ("ok", 2)
        assert _figures(api)["signup"]["were_here"] == 2


def test_intake_answers_503_when_the_applier_is_too_far_behind(jm: journeymap.Journeymap) -> None:
    with _stopped_server(jm, max_intake_lag_events=3) as api:
        batch = {"events": [_buy("ann", 1), _buy("bob", 2), _buy("cy", 3), _buy("dan", 4)]}
        assert (
            api.client.post("/api/events/batch", json=batch, headers=api.write).status_code == 200
        )
        r = api.client.post("/api/events", json=_buy("eve", 5), headers=api.write)
        assert r.status_code == 503
        assert int(r.headers["retry-after"]) >= 1
        assert r.json()["error"]["code"] == "overloaded"
        health = api.client.get("/api/health").json()
        assert (health["status"], health["reasons"]) == (
            "degraded",
            ["intake: the applier is not running"],
        )
        assert health["intake"]["lag_events"] == 4
        api.live.applier.run_once()
        assert api.live.applier.lag() == 0
        r = api.client.post("/api/events", json=_buy("eve", 5), headers=api.write)
        assert (r.status_code, r.json()["accepted"]) == (200, 1)
        assert len(api.live.log.read(0, 100)) == 1  # applied entries were trimmed


def test_the_applier_releases_waits_that_fell_due(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    jm.add_map(parse_map(welcome_map()))
    with _stopped_server(jm) as api:
        tagged = {"kind": "tag_added", "contact_id": "ann", "tag": "lead"}
        api.client.post("/api/events", json=tagged, headers=api.write)
        applier = api.live.applier
        assert applier.run_once() == 1
        assert applier.run_once() == 0  # nothing logged, nothing due
        assert set(jm.engine.state_of("ann", "welcome").positions) == {"pause"}
        clock.advance(timedelta(days=1))
        assert applier.run_once() == 1  # the one-day wait fell due: ann waits at the goal
        assert set(jm.engine.state_of("ann", "welcome").positions) == {"bought"}
        assert _figures(api)["bought"]["here_now"] == 1


def test_reports_answer_while_the_applier_holds_an_uncommitted_transaction(
    jm: journeymap.Journeymap,
) -> None:
    with open_api(jm) as api:
        api.client.post("/api/maps", json=welcome_map(), headers=api.write)
        api.client.post("/api/events", json=_buy("ann", 10), headers=api.write, params=APPLIED)
        holding, release = threading.Event(), threading.Event()

        def long_apply() -> None:
            with api.live.applier.lock, jm.store.transaction():
                jm.engine.apply(Event("purchase", "bob", jm.clock.now(), amount=None))
                jm.engine.flush()  # written inside the open transaction, not committed
                holding.set()
                release.wait(30)
            # leaving the block commits it

        writer = threading.Thread(target=long_apply)
        writer.start()
        holding.wait(30)
        answers: list[dict[str, dict[str, Any]]] = []
        reader = threading.Thread(target=lambda: answers.append(_figures(api)))
        reader.start()
        reader.join(30)
        done_while_held = not reader.is_alive()
        release.set()
        writer.join(30)
        reader.join(30)
        assert done_while_held
        assert answers[0]["signup"]["were_here"] == 1  # bob is not committed yet
        assert _figures(api)["signup"]["were_here"] == 2


def test_a_retry_of_a_contact_upsert_finds_the_contact_its_first_try_made(
    jm: journeymap.Journeymap,
) -> None:
    with open_api(jm) as api:
        body = {"fields": {"name": "Ann"}, "event_id": "put-1"}
        first = api.client.put("/api/contacts/ann", json=body, headers=api.write)
        retry = api.client.put("/api/contacts/ann", json=body, headers=api.write)
        other = api.client.put("/api/contacts/bob", json={}, headers=api.write)
        assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 201)
        assert retry.json()["fields"] == {"name": "Ann"}


def test_the_log_lives_beside_the_store_unless_a_setting_names_it(tmp_path: Path) -> None:
    assert intake_path(str(tmp_path / "shop.duckdb"), None) == str(tmp_path / "shop.duckdb.intake")
    assert intake_path("x.duckdb", "/var/lib/jm/log") == "/var/lib/jm/log"
    with pytest.raises(ValueError, match="on a ClickHouse server needs the intake_log setting"):
        intake_path(None, None)
