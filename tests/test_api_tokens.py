"""Tokens are listed, expire and are revoked; the page's session ends with its token and
cannot be forged from a copy of the store."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.tokens import Scope, TokenBook, token_hash
from journeymap.channels.email import Signer
from journeymap.cli import app as cli
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from journeymap.web.session import COOKIE, SessionKeyExposed
from test_api_support import BASE, SECRET, Api, open_api

runner = CliRunner()
SHARED_KEY = "key-for-two-servers"
OTHER_KEY = "another-key"


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        yield a


def _sign_in(api: Api, token: str) -> str:
    r = api.client.post(
        "/signin",
        content=f"token={token}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": BASE},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    value = r.cookies[COOKIE]
    api.client.cookies.clear()
    return value


def _maps_with_cookie(api: Api, value: str) -> int:
    api.client.cookies.set(COOKIE, value)
    try:
        return api.client.get("/api/maps").status_code
    finally:
        api.client.cookies.clear()


def test_a_write_token_lists_makes_and_revokes_tokens(api: Api, clock: ManualClock) -> None:
    made = api.client.post(
        "/api/tokens",
        json={"scope": "read", "name": "dashboard", "expires_at": "2026-02-01T00:00:00Z"},
        headers=api.write,
    )
    assert made.status_code == 201
    body = made.json()
    new = body.pop("token")
    assert new.startswith("jm_")
    assert body == {
        "token_id": token_hash(new)[:12],
        "scope": "read",
        "name": "dashboard",
        "created_at": "2026-01-05T09:00:00Z",
        "expires_at": "2026-02-01T00:00:00Z",
        "revoked_at": None,
        "status": "active",
    }
    bearer = {"Authorization": f"Bearer {new}"}
    assert api.client.get("/api/maps", headers=bearer).status_code == 200
    listed = api.client.get("/api/tokens", headers=api.write).json()
    assert sorted((t["scope"], t["name"] or "", t["status"]) for t in listed) == [
        ("read", "", "active"),
        ("read", "dashboard", "active"),
        ("write", "", "active"),
    ]
    assert api.client.get("/api/tokens", headers=api.read).status_code == 403

    clock.advance(timedelta(minutes=5))
    r = api.client.post(f"/api/tokens/{body['token_id']}/revoke", headers=api.write)
    assert (r.json()["status"], r.json()["revoked_at"]) == ("revoked", "2026-01-05T09:05:00Z")
    r = api.client.get("/api/maps", headers=bearer)
    assert r.status_code == 401
    assert r.json()["error"]["message"] == (
        "the bearer token is not known, or was revoked, or has expired"
    )
    # revoking again changes nothing; an id that names no token is 404
    again = api.client.post(f"/api/tokens/{body['token_id']}/revoke", headers=api.write)
    assert again.json()["revoked_at"] == "2026-01-05T09:05:00Z"
    assert api.client.post("/api/tokens/0123456789ab/revoke", headers=api.write).status_code == 404


def test_an_expiry_in_the_past_is_refused(api: Api) -> None:
    r = api.client.post(
        "/api/tokens",
        json={"scope": "read", "expires_at": "2026-01-05T08:59:59Z"},
        headers=api.write,
    )
    assert r.status_code == 422
    (problem,) = r.json()["error"]["problems"]
    assert (problem["field"], problem["code"]) == ("expires_at", "token_invalid")


def test_an_expired_token_stops_working_on_the_api_and_in_the_session(
    api: Api, clock: ManualClock
) -> None:
    token, _ = api.live.tokens.create(Scope.read, expires_at=clock.now() + timedelta(hours=1))
    cookie = _sign_in(api, token)
    bearer = {"Authorization": f"Bearer {token}"}
    clock.advance(timedelta(minutes=59, seconds=59))
    assert api.client.get("/api/maps", headers=bearer).status_code == 200
    assert _maps_with_cookie(api, cookie) == 200
    clock.advance(timedelta(seconds=1))
    assert api.client.get("/api/maps", headers=bearer).status_code == 401
    assert _maps_with_cookie(api, cookie) == 401
    listed = api.client.get("/api/tokens", headers=api.write).json()
    status = {t["token_id"]: t["status"] for t in listed}
    assert status[token_hash(token)[:12]] == "expired"


def test_revoking_the_token_ends_its_page_session_at_once(api: Api) -> None:
    token, _ = api.live.tokens.create(Scope.write)
    cookie = _sign_in(api, token)
    assert _maps_with_cookie(api, cookie) == 200
    token_id = token_hash(token)[:12]
    assert api.client.post(f"/api/tokens/{token_id}/revoke", headers=api.write).status_code == 200
    assert _maps_with_cookie(api, cookie) == 401
    api.client.cookies.set(COOKIE, cookie)
    page = api.client.get("/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/signin")


def test_checking_a_token_reads_nothing_from_the_store_and_revoking_works_at_once(
    api: Api, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = api.client.post(
        "/api/tokens",
        json={"scope": "write", "expires_at": "2026-01-05T10:00:00Z"},
        headers=api.write,
    ).json()
    bearer = {"Authorization": f"Bearer {made['token']}"}
    cookie = _sign_in(api, made["token"])
    queried: list[str] = []
    store_query = api.jm.store.query

    def spy(name: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
        queried.append(name)
        return store_query(name, params)

    monkeypatch.setattr(api.jm.store, "query", spy)
    event = {"kind": "tag_added", "contact_id": "ann", "tag": "vip"}
    statuses = [
        api.client.post("/api/events", json=event, headers=bearer).status_code,
        api.client.post(
            "/api/events/batch", json={"events": [event]}, headers=api.write
        ).status_code,
        api.client.post("/api/events", json=event, headers=api.read).status_code,
        api.client.post(
            "/api/events", json=event, headers={"Authorization": "Bearer jm_x"}
        ).status_code,
        _maps_with_cookie(api, cookie),
    ]
    assert statuses == [200, 200, 403, 401, 200]
    clock.advance(timedelta(hours=1) - timedelta(seconds=1))
    assert api.client.post("/api/events", json=event, headers=bearer).status_code == 200
    clock.advance(timedelta(seconds=1))  # 10:00:00, its expiry
    assert api.client.post("/api/events", json=event, headers=bearer).status_code == 401
    assert _maps_with_cookie(api, cookie) == 401
    api.settle()
    assert "tokens" not in queried

    read_id = token_hash(api.read["Authorization"].removeprefix("Bearer "))[:12]
    revoked = api.client.post(f"/api/tokens/{read_id}/revoke", headers=api.write)
    assert revoked.json()["status"] == "revoked"
    assert api.client.get("/api/maps", headers=api.read).status_code == 401
    assert api.client.get("/api/maps", headers=api.write).status_code == 200


def test_a_session_lasts_fourteen_days_and_its_expiry_is_signed(
    api: Api, clock: ManualClock
) -> None:
    cookie = _sign_in(api, api.live.tokens.create(Scope.read)[0])
    digest, expires, signature = cookie.split(".")
    assert int(expires) == int((clock.now() + timedelta(days=14)).timestamp())
    longer = f"{digest}.{int(expires) + 86_400 * 365}.{signature}"
    assert _maps_with_cookie(api, longer) == 401
    clock.advance(timedelta(days=14) - timedelta(seconds=1))
    assert _maps_with_cookie(api, cookie) == 200
    clock.advance(timedelta(seconds=1))
    assert _maps_with_cookie(api, cookie) == 401


def test_the_session_key_lives_beside_the_store_readable_by_its_owner_only(
    api: Api, tmp_path: Path
) -> None:
    key_file = Path(f"{api.jm.path}.session-key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    token, _ = api.live.tokens.create(Scope.write)
    digest = token_hash(token)
    # what a copy of the store gives away: token hashes and the tracking links' key, which
    # signed sessions before
    store_signer = Signer(SECRET)
    forged = [
        f"{digest}.{store_signer.sign('session', digest)}",
        f"{digest}.4102444800.{store_signer.sign('session', digest, '4102444800')}",
    ]
    for value in forged:
        assert _maps_with_cookie(api, value) == 401
    assert _maps_with_cookie(api, _sign_in(api, token)) == 200
    os.chmod(key_file, 0o644)
    with pytest.raises(SessionKeyExposed, match="chmod 600"):
        create_app(api.jm, Settings())


def test_a_session_secret_setting_signs_instead_of_a_key_file(
    tmp_path: Path, clock: ManualClock
) -> None:
    jm = journeymap.open(tmp_path / "shared.duckdb", clock=clock)
    try:
        with open_api(jm, session_secret=SHARED_KEY) as first:
            cookie = _sign_in(first, first.live.tokens.create(Scope.read)[0])
        with open_api(jm, session_secret=SHARED_KEY) as second:
            assert _maps_with_cookie(second, cookie) == 200
        with open_api(jm, session_secret=OTHER_KEY) as third:
            assert _maps_with_cookie(third, cookie) == 401
    finally:
        jm.close()
    assert not Path(f"{tmp_path / 'shared.duckdb'}.session-key").exists()


def test_token_commands_make_list_and_revoke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a console made where COLUMNS was set keeps that width: the table must fit one line a row
    monkeypatch.setattr(console, "_width", 200)
    db = str(tmp_path / "cli.duckdb")
    made = runner.invoke(
        cli,
        ["token", "create", "--scope", "read", "--name", "ci", "--expires-in", "P30D", "--db", db],
    )
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    token_id = token_hash(token)[:12]
    listed = runner.invoke(cli, ["token", "list", "--db", db], env={"COLUMNS": "200"})
    (row,) = [line for line in listed.stdout.splitlines() if token_id in line]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert (cells[0], cells[1], cells[2], cells[5]) == (token_id, "read", "ci", "active")
    created = datetime.strptime(cells[3] + "+0000", "%Y-%m-%d %H:%M UTC%z")
    expires = datetime.strptime(cells[4] + "+0000", "%Y-%m-%d %H:%M UTC%z")
    # shown to the minute: the two times may straddle a minute's turn by microseconds
    minute = timedelta(minutes=1)
    assert expires - created in (
        timedelta(days=30) - minute,
        timedelta(days=30),
        timedelta(days=30) + minute,
    )
    revoked = runner.invoke(cli, ["token", "revoke", token_id, "--db", db])
    assert revoked.exit_code == 0
    assert revoked.stdout.startswith(f"Token {token_id} is revoked (since ")
    with journeymap.open(db) as jm:
        assert TokenBook(jm.store, jm.clock).scope_of(token) is None
    short = runner.invoke(cli, ["token", "revoke", "abc", "--db", db])
    assert (short.exit_code, short.stderr.strip()) == (
        1,
        "error [token_invalid] token_id: a token id has 12 characters (token list)",
    )
