"""/api/docs works offline: Swagger UI and every file it loads come from this server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

import pytest

import journeymap
from test_api_support import Api, open_api


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        yield a


def test_the_docs_page_loads_nothing_from_elsewhere(api: Api) -> None:
    page = api.client.get("/api/docs")
    assert page.status_code == 200
    loaded = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    loaded += re.findall(r"""url: ?["']([^"']+)["']""", page.text)
    assert sorted(set(loaded)) == [
        "/api/docs/favicon.png",
        "/api/docs/swagger-ui-bundle.js",
        "/api/docs/swagger-ui.css",
        "/api/openapi.json",
    ]
    assert "cdn" not in page.text
    shipped = resources.files("fastapi_offline").joinpath("static")
    for name, kind in (
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("favicon.png", "image/png"),
    ):
        r = api.client.get(f"/api/docs/{name}")
        assert r.status_code == 200
        assert r.headers["content-type"].split(";")[0] == kind
        assert r.content == shipped.joinpath(name).read_bytes()
    assert api.client.get("/api/docs/evil.js").status_code == 404
    assert api.client.get("/api/docs/..%2Fsecret.js").status_code in (404, 422)
