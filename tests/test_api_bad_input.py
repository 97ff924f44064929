"""Bad input found by probing: each is a 422 naming its field, never a 500; a 500 is JSON too."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.tokens import Scope, create_token
from test_api_support import SECRET, Api, open_api, served, welcome_map


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    with open_api(jm) as a:
        r = a.client.post("/api/maps", json=welcome_map(), headers=a.write)
        assert r.status_code == 201
        r = a.client.put("/api/contacts/ann", json={"fields": {"name": "Ann"}}, headers=a.write)
        assert r.status_code == 201
        yield a


def _problem(body: dict[str, Any]) -> tuple[str, str, str]:
    (p,) = body["error"]["problems"]
    return p["field"], p["code"], p["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/maps/welcome/reports/contact-flow?",
        "/api/maps/welcome/contacts?figure=were_here&element=signup&",
    ],
)
@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("tz=Europe", ("tz", "unknown_timezone", "tz: unknown timezone 'Europe'")),
        (
            "to=9999-12-31",
            ("to", "bad_date", "to: 9999-12-31 is not between 1970-01-01 and 2999-12-31"),
        ),
        (
            "from=0001-01-01&tz=Asia/Tokyo",
            ("from", "bad_date", "from: 0001-01-01 is not between 1970-01-01 and 2999-12-31"),
        ),
        ("from=2026-02-30", ("from", "bad_date", "from: '2026-02-30' is not a YYYY-MM-DD date")),
    ],
)
def test_bad_days_and_zones_are_422_naming_the_parameter(
    api: Api, path: str, query: str, problem: tuple[str, str, str]
) -> None:
    r = api.client.get(path + query, headers=api.read)
    assert r.status_code == 422
    assert _problem(r.json()) == problem
    assert r.json()["error"]["code"] == problem[1]


def test_an_offset_past_64_bits_is_422(api: Api) -> None:
    url = "/api/maps/welcome/contacts?figure=were_here&element=signup&offset="
    r = api.client.get(url + str(2**63), headers=api.read)
    assert r.status_code == 422
    field, code, _ = _problem(r.json())
    assert (field, code) == ("offset", "less_than_equal")
    r = api.client.get(url + str(2**63 - 1), headers=api.read)
    assert r.status_code == 200
    assert (r.json()["total"], r.json()["rows"]) == (1, [])


def _post_raw(api: Api, path: str, text: str) -> Any:
    headers = {**api.write, "Content-Type": "application/json"}
    return api.client.post(path, content=text.encode("ascii"), headers=headers)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            lambda m: m.update(name="\\udc00"),
            ("bad_text", None, "the map's name holds a lone surrogate U+DC00"),
        ),
        (
            lambda m: m["elements"][1]["action"]["message"].update(subject="Hi \\udc00"),
            (
                "bad_text",
                "hello",
                "element 'hello' setting 'action.message.subject' holds a lone surrogate U+DC00",
            ),
        ),
        (
            lambda m: m["elements"][4].update(id="\\udc00"),
            ("invalid_setting", None, "element #5 setting 'id'"),
        ),
    ],
)
def test_a_map_with_a_lone_surrogate_is_refused_and_intake_goes_on(
    api: Api, edit: Any, problem: tuple[str, str | None, str]
) -> None:
    m = welcome_map("poison")
    edit(m)
    # json.dumps would escape the backslash: the body carries the JSON escape itself
    text = json.dumps(m).replace("\\\\udc00", "\\udc00")
    r = _post_raw(api, "/api/maps", text)
    assert r.status_code == 422
    found = r.json()["error"]["problems"]
    assert [(p["code"], p["element_id"]) for p in found] == [problem[:2]]
    assert found[0]["message"].startswith(problem[2])
    maps = api.client.get("/api/maps", headers=api.read).json()
    assert [m["map_id"] for m in maps] == ["welcome"]
    # the welcome map still runs for a new contact: nothing poisoned it
    r = api.client.put("/api/contacts/bob", json={"fields": {"name": "Bob"}}, headers=api.write)
    assert r.status_code == 201
    queued = api.client.get("/api/deliveries", headers=api.read).json()["deliveries"]
    assert sorted((d["contact_id"], d["element_id"], d["state"]) for d in queued) == [
        ("ann", "hello", "pending"),
        ("bob", "hello", "pending"),
    ]


def test_a_chain_of_a_thousand_instant_elements_is_stored_run_drawn_and_reported(
    api: Api,
) -> None:
    n = 1000
    elements: list[dict[str, Any]] = [
        {"id": "t", "kind": "trigger", "event": {"on": "tag_added", "tag": "go"}}
    ]
    elements += [
        {"id": f"c{i}", "kind": "condition", "rule": {"tag": "go", "op": "has"}} for i in range(n)
    ]
    elements.append({"id": "e", "kind": "end"})
    connectors = [{"id": "t-c0", "from": "t", "to": "c0"}]
    for i in range(n):
        after = f"c{i + 1}" if i < n - 1 else "e"
        connectors.append({"id": f"y{i}", "from": f"c{i}", "to": after, "label": "yes"})
        connectors.append({"id": f"n{i}", "from": f"c{i}", "to": "e", "label": "no"})
    chain = {"id": "chain", "elements": elements, "connectors": connectors}
    r = api.client.post("/api/maps", json=chain, headers=api.write)
    assert r.status_code == 201, r.text
    event = {"kind": "tag_added", "contact_id": "ann", "tag": "go"}
    assert api.client.post("/api/events", json=event, headers=api.write).status_code == 200
    api.settle()
    report = api.client.get("/api/maps/chain/reports/contact-flow", headers=api.read).json()
    figures = {e["id"]: (e["were_here"], e["here_now"]) for e in report["elements"]}
    assert figures["c0"] == figures["c999"] == (1, 0)
    assert figures["e"] == (0, 1)
    flows = {c["id"]: c["contacts"] for c in report["connectors"]}
    assert (flows["y0"], flows["y998"], flows["y999"], flows["n500"]) == (1, 1, 1, 0)
    layout = api.client.get("/api/maps/chain/layout", headers=api.read).json()
    assert len(layout["nodes"]) == n + 2
    # the same chain closed into a loop is refused, naming where the loop starts
    connectors[-2] = {"id": "y999", "from": "c999", "to": "c0", "label": "yes"}
    r = api.client.post("/api/maps/validate", json={**chain, "id": "loop"}, headers=api.read)
    assert [(p["code"], p["element_id"]) for p in r.json()["problems"]] == [("instant_loop", "c0")]


def test_a_path_that_is_not_utf8_is_422_and_creates_nothing(api: Api) -> None:
    r = api.client.put("/api/contacts/%ED%B0%80", json={}, headers=api.write)
    assert r.status_code == 422
    assert _problem(r.json())[:2] == ("path", "invalid_request")
    assert api.jm.store.query("contact", {"contact_id": "\ufffd\ufffd\ufffd"}) == []
    r = api.client.get("/api/maps/welcome/reports/contact-flow?utm_source=%FF", headers=api.read)
    assert (r.status_code, _problem(r.json())[0]) == (422, "query")


@pytest.mark.parametrize(
    "body", [b'{"kind": "custom", "name": "\xff"}', b"[" * 100_000 + b"]" * 100_000]
)
def test_a_body_that_is_not_utf8_json_is_422(api: Api, body: bytes) -> None:
    headers = {**api.write, "Content-Type": "application/json"}
    r = api.client.post("/api/events", content=body, headers=headers)
    assert r.status_code == 422
    assert _problem(r.json()) == (
        "body",
        "json_invalid",
        "the body is not UTF-8 JSON, or is nested too deeply",
    )


def test_a_500_is_json_and_the_connection_stays_open(
    jm: journeymap.Journeymap, monkeypatch: pytest.MonkeyPatch
) -> None:
    bearer = {"Authorization": f"Bearer {create_token(jm.store, jm.clock, Scope.read)}"}
    app = create_app(jm, Settings(tracking_secret=SECRET))
    with served(app) as url:
        port = int(url.rsplit(":", 1)[1])

        def broken() -> list[dict[str, object]]:
            raise RuntimeError("the store went away")

        monkeypatch.setattr(jm, "maps", broken)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/maps", headers=bearer)
        first = conn.getresponse()
        assert first.status == 500
        assert first.getheader("content-type") == "application/json"
        assert json.loads(first.read()) == {
            "error": {
                "code": "internal_error",
                "message": "the server failed; the error is in its log",
            }
        }
        sock = conn.sock
        conn.request("GET", "/api/health")
        second = conn.getresponse()
        assert (second.status, json.loads(second.read())["status"]) == (200, "ok")
        assert conn.sock is sock  # the same keep-alive connection answered both
        conn.close()


@pytest.mark.parametrize(
    ("occurred_at", "code"),
    [
        (1767603600, "time_not_iso"),
        (1767603600000, "time_not_iso"),
        ("1767603600", "time_not_iso"),
        ("yesterday", "time_not_iso"),
        ("0001-01-01T00:00:00Z", "time_out_of_range"),
        ("2999-12-31T23:00:00-05:00", "time_out_of_range"),
    ],
)
def test_occurred_at_is_iso_8601_text_within_the_stored_years(
    api: Api, occurred_at: object, code: str
) -> None:
    event = {"kind": "tag_added", "contact_id": "ann", "tag": "vip", "occurred_at": occurred_at}
    r = api.client.post("/api/events", json=event, headers=api.write)
    assert r.status_code == 422
    assert _problem(r.json())[:2] == ("occurred_at", code)
    r = api.client.put("/api/contacts/cy", json={"occurred_at": occurred_at}, headers=api.write)
    assert (r.status_code, _problem(r.json())[:2]) == (422, ("occurred_at", code))
    assert api.jm.store.query("contact", {"contact_id": "cy"}) == []


def test_iso_8601_times_are_read_in_their_zone(api: Api) -> None:
    for n, at in enumerate(("2026-01-02", "2026-01-02T10:30:00+02:00", "20260102T0830Z")):
        event = {"kind": "purchase", "contact_id": "ann", "amount": n + 1, "occurred_at": at}
        assert api.client.post("/api/events", json=event, headers=api.write).status_code == 200
    api.settle()
    bought = [
        (r["amount"], r["occurred_at"].isoformat()) for r in api.jm.store.query("purchases_log")
    ]
    assert sorted(bought) == [
        (1, "2026-01-02T00:00:00+00:00"),
        (2, "2026-01-02T08:30:00+00:00"),
        (3, "2026-01-02T08:30:00+00:00"),
    ]


@pytest.mark.parametrize(
    ("cost", "problem"),
    [
        (
            {"period_start": "1969-12-31"},
            (
                "period_start",
                "bad_date",
                "period_start: 1969-12-31 is not between 1970-01-01 and 2999-12-31",
            ),
        ),
        (
            {"period_end": "9999-12-31"},
            (
                "period_end",
                "bad_date",
                "period_end: 9999-12-31 is not between 1970-01-01 and 2999-12-31",
            ),
        ),
        (
            {"period_end": "2026-1-31"},
            ("period_end", "bad_date", "period_end: '2026-1-31' is not a YYYY-MM-DD date"),
        ),
    ],
)
def test_marketing_cost_periods_are_days_within_the_stored_years(
    api: Api, cost: dict[str, str], problem: tuple[str, str, str]
) -> None:
    body = {
        "utm_field": "source",
        "utm_value": "google",
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "amount": "300.00",
        **cost,
    }
    r = api.client.post("/api/marketing-costs", json=body, headers=api.write)
    assert (r.status_code, _problem(r.json())) == (422, problem)
    assert api.jm.store.query("import_rows_marketing_costs") == []


@pytest.mark.parametrize(
    ("event", "field", "code"),
    [
        (
            {"kind": "custom", "name": "n", "tags": [f"t{i}" for i in range(1001)]},
            "tags",
            "too_long",
        ),
        (
            {"kind": "custom", "name": "n", "fields": {f"f{i}": "v" for i in range(1001)}},
            "fields",
            "too_long",
        ),
        ({"kind": "tag_added", "tag": "x" * 201}, "tag", "string_too_long"),
        ({"kind": "tag_added", "tag": "a\nb"}, "tag", "string_pattern_mismatch"),
        (
            {"kind": "field_updated", "field": "f", "value": "v" * 10_001},
            "value",
            "string_too_long",
        ),
        (
            {"kind": "page_visited", "url": "https://x.example/" + "p" * 2000},
            "url",
            "string_too_long",
        ),
        ({"kind": "purchase", "amount": "12.345"}, "amount", "bad_amount"),
        ({"kind": "purchase", "amount": 12.345}, "amount", "decimal_max_places"),
        ({"kind": "purchase", "amount": True}, "amount", "bad_amount"),
    ],
)
def test_every_text_and_list_of_an_event_has_a_limit(
    api: Api, event: dict[str, Any], field: str, code: str
) -> None:
    r = api.client.post("/api/events", json={"contact_id": "ann", **event}, headers=api.write)
    assert r.status_code == 422
    assert _problem(r.json())[:2] == (field, code)
