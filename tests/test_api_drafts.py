"""Drafts: a map with problems is kept as a draft, never run, and published once it has none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.clock import ManualClock
from test_api_maps import DANGLING, END_OUT, _broken
from test_api_support import Api, open_api, welcome_map

SAVED_AT = "2026-01-05T09:00:00Z"
PROBLEMS = [DANGLING, END_OUT]
"""What the welcome map with a connector out of its end to a missing element breaks."""


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        yield a


def test_a_map_with_problems_is_kept_as_a_draft_across_a_restart_and_never_run(
    tmp_path: Path, clock: ManualClock
) -> None:
    with journeymap.open(tmp_path / "drafts.duckdb", clock=clock) as jm, open_api(jm) as api:
        r = api.client.put("/api/maps/welcome/draft", json=_broken(), headers=api.write)
        assert r.status_code == 200, r.text
        saved = r.json()
        assert saved == {
            "map_id": "welcome",
            "name": "Welcome",
            "based_on": None,
            "live": None,
            "saved_at": SAVED_AT,
            "body": _broken(),
            "problems": PROBLEMS,
        }
        # a draft is not a map: not listed, not reported on, and events do not run it
        assert api.client.get("/api/maps", headers=api.read).json() == []
        report = api.client.get("/api/maps/welcome/reports/contact-flow", headers=api.read)
        assert report.status_code == 404
        made = api.client.put("/api/contacts/ann", json={}, headers=api.write)
        assert made.status_code == 201, made.text
        api.settle()
        assert jm.store.query("engine_entry_counts") == []  # ann entered no map
    with journeymap.open(tmp_path / "drafts.duckdb", clock=clock) as jm, open_api(jm) as api:
        assert api.client.get("/api/maps/welcome/draft", headers=api.read).json() == saved
        assert api.client.get("/api/drafts", headers=api.read).json() == [
            {
                "map_id": "welcome",
                "name": "Welcome",
                "based_on": None,
                "live": None,
                "saved_at": SAVED_AT,
                "problem_count": 2,
            }
        ]


def test_a_draft_is_published_once_it_has_no_problems_and_publishing_forgets_it(
    api: Api, clock: ManualClock
) -> None:
    api.client.put("/api/maps/welcome/draft", json=_broken(), headers=api.write)
    refused = api.client.post(
        "/api/maps", params={"discard_draft": "true"}, json=_broken(), headers=api.write
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"] == PROBLEMS
    kept = api.client.get("/api/maps/welcome/draft", headers=api.read).json()
    assert (kept["body"], kept["problems"]) == (_broken(), PROBLEMS)

    clock.advance(timedelta(minutes=5))
    fixed = api.client.put("/api/maps/welcome/draft", json=welcome_map(), headers=api.write)
    assert (fixed.json()["saved_at"], fixed.json()["problems"]) == ("2026-01-05T09:05:00Z", [])
    made = api.client.post(
        "/api/maps", params={"discard_draft": "true"}, json=welcome_map(), headers=api.write
    )
    assert made.status_code == 201, made.text
    assert made.json()["version"] == 1
    assert api.client.get("/api/maps/welcome/draft", headers=api.read).status_code == 404
    assert api.client.get("/api/drafts", headers=api.read).json() == []


def test_a_draft_of_a_live_map_is_not_run_until_published(api: Api) -> None:
    assert api.client.post("/api/maps", json=welcome_map(), headers=api.write).status_code == 201
    edited = welcome_map()
    edited["elements"][2]["duration"] = "P3D"  # the wait: 1 day live, 3 days in the draft
    edited["layout"] = {"signup": {"x": 200, "y": 80}}
    saved = api.client.put("/api/maps/welcome/draft", json=edited, headers=api.write).json()
    assert (saved["based_on"], saved["live"], saved["problems"]) == (1, 1, [])
    made = api.client.put("/api/contacts/ann", json={}, headers=api.write)
    assert made.status_code == 201, made.text
    api.settle()
    wait = api.jm.store.query("engine_waits")
    assert [(w["contact_id"], w["element_id"], w["due_at"].isoformat()) for w in wait] == [
        ("ann", "pause", "2026-01-06T09:00:00+00:00")  # the live version's one day
    ]
    live = api.client.get("/api/maps/welcome", headers=api.read).json()
    assert (live["version"], live["elements"][2]["duration"]) == (1, "P1D")

    # a publish that is not the builder's (no discard_draft) leaves the draft alone
    other = welcome_map()
    other["name"] = "Welcome, renamed elsewhere"
    assert api.client.put("/api/maps/welcome", json=other, headers=api.write).json()["version"] == 2
    still = api.client.get("/api/maps/welcome/draft", headers=api.read).json()
    assert (still["based_on"], still["live"], still["body"]) == (1, 2, edited)

    published = api.client.put(
        "/api/maps/welcome", params={"discard_draft": "true"}, json=edited, headers=api.write
    )
    assert published.json()["version"] == 3
    stored = api.client.get("/api/maps/welcome", headers=api.read).json()
    assert (stored["elements"][2]["duration"], stored["layout"]) == (
        "P3D",
        {"signup": {"x": 200.0, "y": 80.0}},
    )
    assert api.client.get("/api/maps/welcome/draft", headers=api.read).status_code == 404


def test_discarding_a_draft_keeps_the_published_versions(api: Api) -> None:
    api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    api.client.put("/api/maps/welcome/draft", json=_broken(), headers=api.write)
    gone = api.client.delete("/api/maps/welcome/draft", headers=api.write)
    assert (gone.status_code, gone.content) == (204, b"")
    assert api.client.get("/api/maps/welcome/draft", headers=api.read).status_code == 404
    again = api.client.delete("/api/maps/welcome/draft", headers=api.write)
    assert again.status_code == 404
    assert again.json()["error"] == {
        "code": "not_found",
        "message": "no draft of map 'welcome'",
    }
    assert api.client.get("/api/maps/welcome", headers=api.read).json()["version"] == 1


def test_a_read_token_reads_drafts_but_cannot_save_or_discard_them(api: Api) -> None:
    api.client.put("/api/maps/welcome/draft", json=_broken(), headers=api.write)
    saved = api.client.put("/api/maps/welcome/draft", json=welcome_map(), headers=api.read)
    assert (saved.status_code, saved.json()["error"]["code"]) == (403, "forbidden")
    dropped = api.client.delete("/api/maps/welcome/draft", headers=api.read)
    assert dropped.status_code == 403
    published = api.client.post("/api/maps", json=welcome_map(), headers=api.read)
    assert published.status_code == 403
    kept = api.client.get("/api/maps/welcome/draft", headers=api.read).json()
    assert kept["body"] == _broken()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ([1, 2], "body", "body: a draft is a map file's JSON object"),
        ({**welcome_map("other")}, "id", "id: the draft's id 'other' is not 'welcome'"),
        (
            {"id": "welcome", "elements": {"a": 1}},
            "elements",
            "elements: a draft's elements are a list",
        ),
        (
            {"id": "welcome", "elements": [], "layout": [1]},
            "layout",
            "layout: a draft's layout is an object of element positions",
        ),
    ],
)
def test_a_draft_that_is_no_map_is_refused_naming_its_field_and_nothing_is_kept(
    api: Api, body: Any, field: str, message: str
) -> None:
    r = api.client.put("/api/maps/welcome/draft", json=body, headers=api.write)
    assert r.status_code == 422
    assert r.json() == {
        "error": {
            "code": "draft_invalid",
            "message": message,
            "problems": [
                {"index": None, "field": field, "code": "draft_invalid", "message": message}
            ],
        }
    }
    assert api.client.get("/api/maps/welcome/draft", headers=api.read).status_code == 404
