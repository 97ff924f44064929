"""The layout library the page loads, its missing-library message, and the page settings."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap.web import routes
from test_api_support import open_api


def test_the_layout_library_comes_from_its_npm_package(jm: journeymap.Journeymap) -> None:
    with open_api(jm) as api:
        served = api.client.get("/vendor/elk.js")
    assert served.status_code == 200
    assert served.headers["content-type"] == "text/javascript; charset=utf-8"
    on_disk = routes.NODE_MODULES.joinpath("elkjs", "lib", "elk.bundled.js").read_bytes()
    assert served.content == on_disk


def test_a_missing_layout_library_is_named_with_its_fix(
    jm: journeymap.Journeymap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "NODE_MODULES", tmp_path)
    with open_api(jm) as api:
        served = api.client.get("/vendor/elk.js")
        unknown = api.client.get("/vendor/other.js")
    assert served.status_code == 200
    assert served.text == (
        "// The map layout library (elkjs) is not installed: run `make demo` (or "
        "`npm ci --prefix src/journeymap/web`) in the journeymap checkout.\n"
        'window.JOURNEYMAP_MISSING = "elkjs";\n'
    )
    assert unknown.status_code == 404


def test_page_settings_give_the_currency(jm: journeymap.Journeymap) -> None:
    with open_api(jm, currency="EUR") as api:
        read = api.client.get("/api/page-settings", headers=api.read).json()
        assert read == {"currency": "EUR", "can_write": False}
        assert api.client.get("/api/page-settings").status_code == 401
    with open_api(jm) as api:
        read = api.client.get("/api/page-settings", headers=api.read).json()
        assert read == {"currency": "USD", "can_write": False}
        write = api.client.get("/api/page-settings", headers=api.write).json()
        assert write == {"currency": "USD", "can_write": True}


def test_the_builder_reads_the_map_schema_and_the_templates(jm: journeymap.Journeymap) -> None:
    with open_api(jm) as api:
        schema = api.client.get("/api/map-schema", headers=api.read).json()
        templates = api.client.get("/api/map-templates", headers=api.read).json()
        lifecycle = api.client.get("/api/map-templates/lifecycle", headers=api.read).json()
        unknown = api.client.get("/api/map-templates/nope", headers=api.read)
        assert api.client.get("/api/map-schema").status_code == 401
    kinds = schema["properties"]["elements"]["items"]["discriminator"]["mapping"]
    assert sorted(kinds) == [
        "action", "condition", "end", "fork", "goal", "goto", "split", "trigger", "wait"
    ]  # fmt: skip
    assert schema["$defs"]["Connector"]["required"] == ["id", "from", "to"]
    assert schema["$defs"]["EmailMessage"]["properties"]["text"]["format"] == "multiline"
    assert [t["template"] for t in templates] == ["lifecycle", "lifetime-value"]
    assert templates[0]["name"] == "High level customer lifecycle"
    assert templates[1]["name"] == "Reporting: Customer lifetime value in first three years"
    assert lifecycle["id"] == "lifecycle"
    assert lifecycle["name"] == "High level customer lifecycle"
    assert unknown.status_code == 404
