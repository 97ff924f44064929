"""Group commit: concurrent intake requests share one flush; each stands or falls alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

import journeymap
from journeymap.engine import Event
from journeymap.engine import engine as engine_module
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.errors import EventRejected
from journeymap.store.facts import FactBatch
from test_api_support import Api, email_events, open_api, purchases, welcome_map

Answer = tuple[int, Any]


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        assert a.client.post("/api/maps", json=welcome_map(), headers=a.write).status_code == 201
        yield a


def _wait_until_queued(api: Api, n: int) -> None:
    for _ in range(20_000):
        if api.live.intake.queued() == n:
            return
        time.sleep(0.001)
    raise AssertionError(f"{n} requests never queued up")


def _send(api: Api, method: str, url: str, body: dict[str, Any]) -> Answer:
    """One request on its own client, as a separate HTTP client would send it."""
    client = TestClient(api.client.app, raise_server_exceptions=False)
    try:
        r = client.request(method, url, json=body, headers=api.write)
        json = r.headers["content-type"] == "application/json"
        return r.status_code, r.json() if json else r.text
    finally:
        client.close()


def _post(api: Api, body: dict[str, Any]) -> Callable[[], Answer]:
    return lambda: _send(api, "POST", "/api/events", body)


def _put(api: Api, contact_id: str) -> Callable[[], Answer]:
    return lambda: _send(api, "PUT", f"/api/contacts/{contact_id}", {})


def _in_one_group(api: Api, calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call on its own thread, queued in this order while the engine lock is held, so
    the first to take the lock afterwards commits them all in one flush; their answers in order."""
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            answers[i] = calls[i]()
        except Exception as exc:  # the answer a direct library call gets
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    with api.live.lock:
        for i, t in enumerate(threads):
            t.start()
            _wait_until_queued(api, i + 1)
    for t in threads:
        t.join()
    return answers


def _form(contact_id: str, event_id: str) -> dict[str, Any]:
    return {"kind": "form_submitted", "contact_id": contact_id, "form": "f", "event_id": event_id}


def _buy(contact_id: str, amount: int, event_id: str) -> dict[str, Any]:
    return {"kind": "purchase", "contact_id": contact_id, "amount": amount, "event_id": event_id}


def _report(api: Api, name: str, **params: str) -> dict[str, Any]:
    r = api.client.get(f"/api/maps/welcome/reports/{name}", params=params, headers=api.read)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _figures(body: dict[str, Any], *keys: str) -> dict[str, tuple[Any, ...]]:
    return {e["id"]: tuple(e.get(k) for k in keys) for e in body["elements"]}


def _ingested(api: Api) -> int:
    return len(
        api.jm.store.query("events_seen", {"ids": [f"{p}{i}" for p in "fp" for i in range(9)]})
    )


def test_single_event_posts_in_one_group_count_duplicates_within_and_across_groups(
    api: Api,
) -> None:
    first = [_post(api, _form(f"c{i}", f"f{i}")) for i in range(8)]
    first += [_post(api, _form("c0", "f0")), _post(api, _form("c3", "f3"))]
    commits = api.live.intake.commits
    answers = _in_one_group(api, first)
    assert api.live.intake.commits == commits + 1  # ten requests, one flush
    assert [a[0] for a in answers] == [200] * 10
    assert [a[1]["accepted"] for a in answers] == [1] * 8 + [0, 0]
    assert sum(a[1]["duplicates"] for a in answers) == 2
    flow = _figures(_report(api, "contact-flow"), "were_here", "here_now")
    assert (flow["hello"], flow["pause"], flow["done"]) == ((8, 0), (0, 8), (0, 0))

    second = [_post(api, _buy(f"c{i}", i + 1, f"p{i}")) for i in range(6)]
    second += [_post(api, _buy("c0", 1, "p0")), _post(api, _buy("c1", 2, "p1"))]
    second += [_post(api, _form("c2", "f2"))]  # committed in the group before
    answers = _in_one_group(api, second)
    assert api.live.intake.commits == commits + 2
    assert [a[1]["accepted"] for a in answers] == [1] * 6 + [0, 0, 0]
    assert [a[1]["duplicates"] for a in answers] == [0] * 6 + [1, 1, 1]
    assert sorted(p[1] for p in purchases(api.jm)) == [Decimal(n) for n in range(1, 7)]
    assert _ingested(api) == 14
    assert len(api.jm.store.query("contact_ids")) == 8
    flow = _figures(_report(api, "contact-flow"), "were_here", "here_now")
    assert (flow["pause"], flow["bought"], flow["done"]) == ((6, 2), (6, 0), (0, 6))
    rate = _report(api, "goal-conversion-rate", goal="bought")
    assert (rate["cohort_size"], _figures(rate, "achieved")["bought"]) == (8, (6,))
    ltv = _figures(_report(api, "lifetime-value"), "amount_spent")
    assert ltv["hello"] == (21.0,)


def test_concurrent_clients_sharing_event_ids_give_exact_counts_and_read_their_writes(
    api: Api,
) -> None:
    answers: list[dict[str, int]] = []
    seen_own_tag: list[bool] = []

    def client(n: int) -> None:
        contact = f"k{n // 2}"  # clients 2j and 2j+1 send the same events for contact kj
        tag = {"kind": "tag_added", "contact_id": contact, "tag": f"t{n}"}
        for body in (_form(contact, f"f-{contact}"), _buy(contact, 5, f"p-{contact}"), tag):
            status, answer = _send(api, "POST", "/api/events", body)
            assert status == 200
            answers.append(answer)
        got = api.client.get(f"/api/contacts/{contact}", headers=api.read).json()
        seen_own_tag.append(f"t{n}" in got["tags"])  # its POST returned: the write is visible

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 18
    assert (sum(a["accepted"] for a in answers), sum(a["duplicates"] for a in answers)) == (12, 6)
    assert seen_own_tag == [True] * 6
    assert sorted((p[0], p[1]) for p in purchases(api.jm)) == [
        ("k0", Decimal(5)),
        ("k1", Decimal(5)),
        ("k2", Decimal(5)),
    ]
    tags = {
        c: api.client.get(f"/api/contacts/{c}", headers=api.read).json()["tags"]
        for c in ("k0", "k1", "k2")
    }
    assert tags == {"k0": ["t0", "t1"], "k1": ["t2", "t3"], "k2": ["t4", "t5"]}
    flow = _report(api, "contact-flow")
    assert _figures(flow, "were_here", "here_now") == {
        "signup": (3, 0),
        "hello": (3, 0),
        "pause": (3, 0),
        "bought": (3, 0),
        "done": (0, 3),
    }
    assert _figures(flow, "sent")["hello"] == (3,)


def test_a_bad_batch_among_good_requests_is_rejected_alone_and_writes_nothing(api: Api) -> None:
    bad = {
        "events": [
            _buy("ann", 3, "a-1"),
            {"kind": "purchase", "contact_id": "ann", "amount": "ten"},
        ]
    }
    now = api.jm.clock.now()
    rejected = [
        Event("purchase", "zed", now, amount=Decimal(4), event_id="z-1"),
        Event("tag_added", None, now, tag="t"),  # the engine rejects it, after applying z-1
    ]
    with api.live.lock:  # a request the schema refuses is answered without waiting for a group
        status, answer = _send(api, "POST", "/api/events/batch", bad)
    assert (status, answer["error"]["problems"][0]["index"]) == (422, 1)
    commits = api.live.intake.commits
    answers = _in_one_group(
        api,
        [
            _post(api, _buy("bob", 2, "b-1")),
            lambda: api.live.track(rejected),
            _post(api, _buy("cat", 7, "c-1")),
        ],
    )
    assert api.live.intake.commits == commits + 1
    assert answers[0] == answers[2] == (200, {"accepted": 1, "duplicates": 0})
    assert isinstance(answers[1], EventRejected)
    assert sorted((p[0], p[1]) for p in purchases(api.jm)) == [
        ("bob", Decimal(2)),
        ("cat", Decimal(7)),
    ]
    for contact in ("ann", "zed"):
        assert api.client.get(f"/api/contacts/{contact}", headers=api.read).status_code == 404
    assert _send(api, "POST", "/api/events", _buy("zed", 4, "z-1")) == (
        200,
        {"accepted": 1, "duplicates": 0},
    )


def _keep_me(_effect: Effect, _profile: Profile, _batch: FactBatch) -> None:
    """A listener that does nothing: it must survive an engine rebuild."""


def _sent_to(api: Api) -> list[str]:
    return sorted(e[3] for e in email_events(api.jm) if e[0] == "sent")


def test_an_engine_failure_in_a_group_drops_only_the_failing_request(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a failure outside any one map's step (a map's own failure is only that map's error)
    usual = engine_module.update_profile

    def fail_for_bad(profile: Profile, event: Event) -> list[Event]:
        if profile.contact_id == "bad":
            raise RuntimeError("the profile update fails for 'bad'")
        return usual(profile, event)

    monkeypatch.setattr(engine_module, "update_profile", fail_for_bad)
    keep = _keep_me
    api.jm.engine.listeners.append(keep)
    answers = _in_one_group(
        api,
        [
            _post(api, _form("ann", "f-ann")),
            _post(api, _form("bad", "f-bad")),  # fails on the welcome email, after ann's applied
            _put(api, "cy"),
            _post(api, _form("dan", "f-dan")),
        ],
    )
    assert [a[0] for a in answers] == [200, 500, 201, 200]
    assert sorted(r["contact_id"] for r in api.jm.store.query("contact_ids")) == [
        "ann",
        "cy",
        "dan",
    ]
    assert _sent_to(api) == ["ann", "cy", "dan"]
    flow = _figures(_report(api, "contact-flow"), "were_here", "here_now")
    assert (flow["hello"], flow["pause"]) == ((3, 0), (0, 3))
    assert keep in api.jm.engine.listeners  # the rebuilt engine keeps its listeners
    assert api.live.channel in api.jm.engine.listeners
    monkeypatch.setattr(engine_module, "update_profile", usual)
    assert _send(api, "POST", "/api/events", _form("bad", "f-bad")) == (
        200,
        {"accepted": 1, "duplicates": 0},
    )
    assert _sent_to(api) == ["ann", "bad", "cy", "dan"]


def test_a_group_the_store_refuses_is_committed_request_by_request(api: Api) -> None:
    def bad_row(_effect: Effect, profile: Profile, batch: FactBatch) -> None:
        if profile.contact_id == "bad":
            batch.add("purchases", ("bad",))  # a row short of columns: the flush fails

    api.jm.engine.listeners.append(bad_row)
    commits = api.live.intake.commits
    answers = _in_one_group(
        api,
        [
            _post(api, _form("ann", "f-ann")),
            _post(api, _form("bad", "f-bad")),
            _post(api, _form("dan", "f-dan")),
        ],
    )
    assert [a[0] for a in answers] == [200, 500, 200]
    assert api.live.intake.commits == commits + 2  # the group failed; ann and dan alone
    assert sorted(r["contact_id"] for r in api.jm.store.query("contact_ids")) == ["ann", "dan"]
    assert _sent_to(api) == ["ann", "dan"]
    assert purchases(api.jm) == []


def test_a_contact_made_earlier_in_the_same_group_already_exists(api: Api) -> None:
    answers = _in_one_group(
        api,
        [
            _put(api, "amy"),
            _put(api, "amy"),
            _post(api, _form("ben", "x-1")),
            _put(api, "ben"),
            _post(api, _form("eve", "x-1")),  # a duplicate id: skipped, so it makes no contact
            _put(api, "eve"),
        ],
    )
    assert [a[0] for a in answers] == [201, 200, 200, 200, 200, 201]
    assert [a[1]["duplicates"] for a in answers if "duplicates" in a[1]] == [0, 1]
    assert sorted(r["contact_id"] for r in api.jm.store.query("contact_ids")) == [
        "amy",
        "ben",
        "eve",
    ]
