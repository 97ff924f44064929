"""The auth matrix: every endpoint but tracking and health needs a token; reads may not write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import journeymap
from journeymap.api.tokens import token_hash
from test_api_support import Api, open_api

READ = {
    ("GET", "/api/maps"),
    ("GET", "/api/maps/{map_id}"),
    ("POST", "/api/maps/validate"),
    ("GET", "/api/contacts/{contact_id}"),
    ("GET", "/api/reports"),
    ("GET", "/api/maps/{map_id}/reports/{report}"),
    ("GET", "/api/maps/{map_id}/reports/{report}/trend"),
    ("GET", "/api/maps/{map_id}/contacts"),
    ("GET", "/api/maps/{map_id}/layout"),
    ("GET", "/api/maps/{map_id}/utm-values"),
    ("GET", "/api/page-settings"),
    ("GET", "/api/map-schema"),
    ("GET", "/api/map-templates"),
    ("GET", "/api/map-templates/{name}"),
    ("GET", "/api/dead-letters"),
    ("GET", "/api/map-errors"),
    ("GET", "/api/deliveries"),
    ("GET", "/api/maps/{map_id}/export"),
    ("GET", "/api/maps/{map_id}/draft"),
    ("GET", "/api/drafts"),
}
WRITE = {
    ("POST", "/api/maps"),
    ("PUT", "/api/maps/{map_id}"),
    ("POST", "/api/maps/{map_id}/archive"),
    ("PUT", "/api/maps/{map_id}/draft"),
    ("DELETE", "/api/maps/{map_id}/draft"),
    ("PUT", "/api/contacts/{contact_id}"),
    ("POST", "/api/events"),
    ("POST", "/api/events/batch"),
    ("POST", "/api/marketing-costs"),
    ("GET", "/api/tokens"),
    ("POST", "/api/tokens"),
    ("POST", "/api/tokens/{token_id}/revoke"),
    ("POST", "/api/deliveries/{delivery_id}/retry"),
}
OPEN = {
    ("GET", "/api/health"),
    ("GET", "/t/open"),
    ("GET", "/t/click"),
    ("GET", "/t/unsubscribe"),
    ("POST", "/t/unsubscribe"),
}


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        yield a


def _routes(api: Api) -> set[tuple[str, str]]:
    """Every operation of the OpenAPI schema."""
    paths = api.client.get("/api/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def _url(path: str) -> str:
    names = {
        "{map_id}": "welcome",
        "{contact_id}": "ann",
        "{report}": "contact-flow",
        "{name}": "lifecycle",
        "{token_id}": "0123456789ab",
        "{delivery_id}": "dlv1",
    }
    for name, value in names.items():
        path = path.replace(name, value)
    return path


def test_every_route_is_in_the_matrix(api: Api) -> None:
    assert _routes(api) - (READ | WRITE) - OPEN == set()
    assert (READ | WRITE | OPEN) - _routes(api) == set()


@pytest.mark.parametrize(("method", "path"), sorted(READ | WRITE))
def test_missing_or_unknown_token_is_401(api: Api, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer jm_not-a-token"}, {"Authorization": "Basic x"}):
        r = api.client.request(method, _url(path), json={}, headers=headers)
        assert r.status_code == 401
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert r.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path"), sorted(WRITE))
def test_a_read_token_writing_is_403(api: Api, method: str, path: str) -> None:
    r = api.client.request(method, _url(path), json={}, headers=api.read)
    assert (r.status_code, r.json()) == (
        403,
        {
            "error": {
                "code": "forbidden",
                "message": "this call needs a write token; the token's scope is 'read'",
            }
        },
    )


@pytest.mark.parametrize(("method", "path"), sorted(READ))
def test_read_and_write_tokens_both_read(api: Api, method: str, path: str) -> None:
    for headers in (api.read, api.write):
        r = api.client.request(method, _url(path), json={}, headers=headers)
        assert r.status_code not in (401, 403)


def test_health_needs_no_token(api: Api) -> None:
    r = api.client.get("/api/health")
    body = r.json()
    assert (r.status_code, body["status"], body["version"], body["store"]) == (
        200,
        "ok",
        "0.1.0",
        "duckdb",
    )
    assert body["intake"] == {
        "status": "ok",
        "reason": None,
        "running": True,
        "position": 0,
        "lag_events": 0,
        "lag_seconds": 0.0,
        "dead_letters": 0,
        "last_error": None,
    }


def test_tokens_are_stored_only_as_sha256_hashes(api: Api) -> None:
    token = api.write["Authorization"].removeprefix("Bearer ")
    stored = api.jm.store.query("tokens", {"prefix": ""})
    assert token_hash(token) in [t["token_hash"] for t in stored]
    assert not [t for t in stored if token[3:] in str(t)]  # the token itself is nowhere
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
