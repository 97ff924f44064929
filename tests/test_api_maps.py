"""Map endpoints: create, list, get, update as a new version, validate, archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import journeymap
from test_api_support import Api, open_api, welcome_map

SUMMARY_V1 = {
    "map_id": "welcome",
    "name": "Welcome",
    "version": 1,
    "archived": False,
    "created_at": "2026-01-05T09:00:00Z",
}
DANGLING = {
    "code": "dangling_connector",
    "message": "connector 'c9' to unknown element 'ghost'",
    "element_id": None,
    "connector_id": "c9",
}
END_OUT = {
    "code": "outgoing_count",
    "message": "end 'done' cannot have outgoing connectors",
    "element_id": "done",
    "connector_id": None,
}


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        yield a


def _broken() -> dict[str, object]:
    m = welcome_map()
    m["connectors"].append({"id": "c9", "from": "done", "to": "ghost"})  # type: ignore[attr-defined]
    return m


def test_create_stores_version_1_and_a_second_create_conflicts(api: Api) -> None:
    r = api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    assert (r.status_code, r.json()) == (201, SUMMARY_V1)
    r = api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    assert r.status_code == 409
    assert r.json() == {
        "error": {
            "code": "conflict",
            "message": "map 'welcome' exists; PUT /api/maps/welcome stores a new version",
        }
    }
    r = api.client.get("/api/maps", headers=api.read)
    assert (r.status_code, r.json()) == (200, [SUMMARY_V1])


def test_an_invalid_map_gets_422_naming_each_broken_rule_and_is_not_stored(api: Api) -> None:
    r = api.client.post("/api/maps", json=_broken(), headers=api.write)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "map_invalid"
    assert error["problems"] == [DANGLING, END_OUT]
    assert api.client.get("/api/maps", headers=api.read).json() == []


def test_validate_reports_problems_without_storing(api: Api) -> None:
    r = api.client.post("/api/maps/validate", json=_broken(), headers=api.read)
    assert (r.status_code, r.json()) == (200, {"valid": False, "problems": [DANGLING, END_OUT]})
    r = api.client.post("/api/maps/validate", json=welcome_map(), headers=api.read)
    assert (r.status_code, r.json()) == (200, {"valid": True, "problems": []})
    assert api.client.get("/api/maps", headers=api.read).json() == []


def test_get_returns_the_map_file_with_defaults_and_a_given_version(api: Api) -> None:
    api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    edited = welcome_map()
    edited["name"] = "Welcome v2"
    r = api.client.put("/api/maps/welcome", json=edited, headers=api.write)
    assert r.json() == {**SUMMARY_V1, "name": "Welcome v2", "version": 2}
    latest = api.client.get("/api/maps/welcome", headers=api.read).json()
    first = api.client.get("/api/maps/welcome", params={"version": 1}, headers=api.read).json()
    assert (latest["name"], latest["version"], first["name"], first["version"]) == (
        "Welcome v2",
        2,
        "Welcome",
        1,
    )
    assert first["connectors"] == welcome_map()["connectors"]
    assert first["elements"][2] == {
        "id": "pause",
        "name": "",
        "kind": "wait",
        "duration": "P1D",
        "timezone": "UTC",
    }
    r = api.client.get("/api/maps/welcome", params={"version": 3}, headers=api.read)
    assert (r.status_code, r.json()) == (
        404,
        {"error": {"code": "not_found", "message": "no map 'welcome' version 3"}},
    )


def test_update_keeps_the_version_of_an_unchanged_map_and_checks_the_id(api: Api) -> None:
    r = api.client.put("/api/maps/welcome", json=welcome_map(), headers=api.write)
    assert (r.status_code, r.json()) == (
        404,
        {"error": {"code": "not_found", "message": "no map 'welcome'"}},
    )
    api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    r = api.client.put("/api/maps/welcome", json=welcome_map(), headers=api.write)
    assert (r.status_code, r.json()) == (200, SUMMARY_V1)
    r = api.client.put("/api/maps/welcome", json=welcome_map("other"), headers=api.write)
    assert r.status_code == 422
    assert r.json()["error"]["problems"] == [
        {
            "index": None,
            "field": "id",
            "code": "invalid_request",
            "message": "the body's id 'other' is not 'welcome'",
        }
    ]


def test_archive_stops_the_map_and_a_new_version_brings_it_back(api: Api) -> None:
    api.client.post("/api/maps", json=welcome_map(), headers=api.write)
    r = api.client.post("/api/maps/welcome/archive", headers=api.write)
    assert (r.status_code, r.json()) == (200, {**SUMMARY_V1, "archived": True})
    api.client.put("/api/contacts/ann", json={}, headers=api.write)
    assert api.jm.engine.state_of("ann", "welcome").positions == {}
    edited = welcome_map()
    edited["name"] = "Back"
    r = api.client.put("/api/maps/welcome", json=edited, headers=api.write)
    assert r.json() == {**SUMMARY_V1, "name": "Back", "version": 2}
    api.client.put("/api/contacts/bob", json={}, headers=api.write)
    assert set(api.jm.engine.state_of("bob", "welcome").positions) == {"pause"}
    r = api.client.post("/api/maps/ghost/archive", headers=api.write)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found")


def test_export_gives_the_map_file_to_download_and_map_add_takes_it_back(
    api: Api, tmp_path: Path
) -> None:
    placed = {**welcome_map(), "layout": {"signup": {"x": 300, "y": 92.5}}}
    api.client.post("/api/maps", json=placed, headers=api.write)
    as_json = api.client.get("/api/maps/welcome/export?format=json", headers=api.read)
    assert as_json.status_code == 200
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert as_json.headers["content-disposition"] == 'attachment; filename="welcome.json"'
    written = json.loads(as_json.text)
    assert written["version"] == 1
    assert written["layout"] == {"signup": {"x": 300.0, "y": 92.5}}
    assert [e["id"] for e in written["elements"]] == ["signup", "hello", "pause", "bought", "done"]

    as_yaml = api.client.get("/api/maps/welcome/export", headers=api.read)
    assert as_yaml.headers["content-type"] == "application/yaml; charset=utf-8"
    assert as_yaml.headers["content-disposition"] == 'attachment; filename="welcome.yaml"'
    assert as_yaml.text.startswith("id: welcome\nname: Welcome\nversion: 1\nelements:\n")
    assert as_yaml.text.endswith("layout:\n  signup:\n    x: 300.0\n    y: 92.5\n")
    for name, text in (("welcome.yaml", as_yaml.text), ("welcome.json", as_json.text)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with journeymap.open(tmp_path / f"{name}.duckdb") as other:
            other.add_map(str(path))
            assert other.map("welcome") == api.jm.map("welcome")
    old = api.client.get("/api/maps/welcome/export?version=2", headers=api.read)
    assert (old.status_code, old.json()["error"]["code"]) == (404, "not_found")
