"""`journeymap serve` over each store engine: the same traffic posted over HTTP to a DuckDB
store and to a ClickHouse store (chDB) gives the same reports, lists and figures."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import httpx2

from journeymap.reports import REPORTS
from test_api_map_errors import chain_map
from test_api_server import CLI, serve
from test_email_support import smtp_server

ENGINES: dict[str, str] = {"chdb": "chdb://{dir}/store", "duckdb": "{dir}/store.duckdb"}
"""Each store engine's URL in a folder."""

DAY = "2026-01-{:02d}T{:02d}:00:00Z"


def _shop() -> dict[str, Any]:
    """New contact -> welcome email -> purchase goal -> end."""
    return {
        "id": "shop",
        "elements": [
            {"id": "signup", "kind": "trigger", "event": {"on": "contact_created"}},
            {
                "id": "hello",
                "kind": "action",
                "action": {
                    "type": "send_email",
                    "message": {"subject": "Hello", "html": "<p>Hi</p>", "text": "Hi"},
                },
            },
            {"id": "bought", "kind": "goal", "event": {"on": "purchase"}},
            {"id": "done", "kind": "end"},
        ],
        "connectors": [
            {"id": "c1", "from": "signup", "to": "hello"},
            {"id": "c2", "from": "hello", "to": "bought"},
            {"id": "c3", "from": "bought", "to": "done"},
        ],
    }


def _form(contact: str, day: int, hour: int, **utm: str) -> dict[str, Any]:
    return {
        "kind": "form_submitted",
        "contact_id": contact,
        "form": "signup",
        "fields": {"email": f"{contact}@example.org"},
        "utm": utm,
        "occurred_at": DAY.format(day, hour),
        "event_id": f"form-{contact}",
    }


def _buy(contact: str, day: int, hour: int, amount: str) -> dict[str, Any]:
    return {
        "kind": "purchase",
        "contact_id": contact,
        "amount": amount,
        "occurred_at": DAY.format(day, hour),
        "event_id": f"buy-{contact}-{day}-{hour}",
    }


TRAFFIC: list[dict[str, Any]] = [
    _form("ann", 5, 9, source="google", campaign="spring"),
    _form("bob", 5, 10, source="newsletter"),
    _buy("ann", 5, 11, "49.90"),
    _form("cat", 13, 9),
    _form("dan", 14, 9, source="google"),
    _buy("cat", 13, 12, "20.00"),
    {**_buy("cat", 15, 12, "5.00"), "kind": "refund"},
    {
        "kind": "page_visited",
        "visitor_id": "v1",
        "url": "https://shop.example/",
        "utm": {"source": "google"},
        "occurred_at": DAY.format(5, 8),
    },
    {"kind": "tag_added", "contact_id": "ann", "tag": "k0", "occurred_at": DAY.format(6, 9)},
    {"kind": "tag_added", "contact_id": "bob", "tag": "k0", "occurred_at": DAY.format(7, 9)},
]
"""Four contacts on the shop map (ann and cat buy, cat refunds part), a page visit, and two
of them on the chain map past its cascade limit (two map errors)."""

COHORTS: tuple[dict[str, str], ...] = (
    {},
    {"utm_source": "google"},
    {"utm_source": "(none)"},
    {"date_from": "2026-01-12", "date_to": "2026-01-18", "tz": "Europe/Paris"},
)


DRILLS: tuple[tuple[str, dict[str, str]], ...] = (
    ("cohort_size", {}),
    ("were_here", {"element": "hello"}),
    ("achieved", {"element": "bought"}),
    ("conversion_point", {"element": "hello"}),
    ("conversion_point", {"element": "hello", "attribution": "linear"}),
    ("dwell_n", {"element": "bought"}),
    ("contacts", {"connector": "c2"}),
    ("amount_spent", {"element": "hello"}),
)
"""The drill-downs read: one figure of each kind of list whose times are the facts' own (a sent
email's time is the server's clock when it went out)."""


SAME_EVERY_RUN = tuple(name for name in REPORTS if name != "time-to-goal")
"""The reports read: Time to Goal follows contacts still on the way to the server's clock."""


def _token(store: str, scope: str) -> str:
    out = subprocess.run(
        [CLI, "token", "create", "--scope", scope, "--db", store],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _reads(http: httpx2.Client) -> dict[str, Any]:
    """Every report, trend, drill-down and list the API and the page read, as JSON."""
    out: dict[str, Any] = {}
    base = "/api/maps/shop"
    for i, cohort in enumerate(COHORTS):
        for name in SAME_EVERY_RUN if i < 2 else ("contact-flow", "goal-conversion-rate"):
            params = {**cohort, "goal": "bought"}
            body = http.get(f"{base}/reports/{name}", params=params).json()
            body.pop("computed_at", None)
            out[f"{name}/{i}"] = body
        trend = {**cohort, "goal": "bought", "figure": "achieved", "element": "bought"}
        out[f"trend/{i}"] = http.get(f"{base}/reports/goal-conversion-rate/trend", params=trend)
        out[f"trend/{i}"] = out[f"trend/{i}"].json()
        out[f"utm/{i}"] = http.get(f"{base}/utm-values", params=cohort).json()
    for figure, target in DRILLS:
        params = {**target, "figure": figure, "goal": "bought"}
        found = http.get(f"{base}/contacts", params=params)
        out[f"drill/{figure}/{target}"] = (found.status_code, found.json())
    out["errors"] = http.get("/api/map-errors").json()
    out["dead"] = http.get("/api/dead-letters").json()
    out["ann"] = http.get("/api/contacts/ann").json()
    deliveries = http.get("/api/deliveries").json()
    out["deliveries"] = [
        (d["contact_id"], d["element_id"], d["state"], d["target"], len(d["attempt_log"]))
        for d in deliveries["deliveries"]
    ]
    out["tokens"] = [(t["scope"], t["revoked_at"]) for t in http.get("/api/tokens").json()]
    return out


def _run(store: str) -> dict[str, Any]:
    """The traffic posted to `journeymap serve` on the store; everything read back."""
    write = {"Authorization": f"Bearer {_token(store, 'write')}"}
    with (
        smtp_server() as (inbox, smtp_port),
        serve(store, f"smtp_port={smtp_port}", "email_poll_seconds=0.1", "cascade_limit=2") as (
            proc,
            base,
        ),
        httpx2.Client(base_url=base, headers=write, timeout=60) as http,
    ):
        assert http.post("/api/maps", json=_shop()).status_code == 201
        assert http.post("/api/maps", json=chain_map(5)).status_code == 201
        cost = {
            "utm_field": "source",
            "utm_value": "google",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "amount": "100.00",
        }
        assert http.post("/api/marketing-costs", json=cost).status_code == 201
        posted = http.post(
            "/api/events/batch", json={"events": TRAFFIC}, params={"wait": "applied"}
        )
        assert posted.json() == {
            "accepted": 10,
            "duplicates": 0,
            "applied": True,
            "dead_letters": [],
        }
        again = http.post("/api/events", json=TRAFFIC[2], params={"wait": "applied"})
        assert again.json()["duplicates"] == 1  # the intake ids of the store, not counted twice
        http.post("/api/events", json={"kind": "tag_added", "contact_id": "z"})
        http.post("/api/tokens", json={"scope": "read"})
        deadline = time.monotonic() + 120
        while len(inbox.messages) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        while time.monotonic() < deadline:
            states = {d["state"] for d in http.get("/api/deliveries").json()["deliveries"]}
            if states == {"delivered"}:
                break
            time.sleep(0.5)
        assert sorted(m["To"] for m in inbox.messages) == [
            f"{c}@example.org" for c in ("ann", "bob", "cat", "dan")
        ]
        found = _reads(http)
    assert proc.returncode == 0
    return found


def test_the_same_traffic_over_http_gives_the_same_figures_on_both_engines(
    tmp_path: Path,
) -> None:
    found: dict[str, dict[str, Any]] = {}
    for name, url in ENGINES.items():
        (tmp_path / name).mkdir()
        found[name] = _run(url.format(dir=tmp_path / name))
    duck, click = found["duckdb"], found["chdb"]
    # by hand: all four enter and are mailed; ann and cat buy, achieving the goal and going on
    # to the end; bob and dan wait at the goal. Ann and bob enter in ISO week 2, cat and dan in 3
    flow = duck["contact-flow/0"]
    assert flow["cohort_size"] == 4
    assert {e["id"]: (e["were_here"], e["here_now"]) for e in flow["elements"]} == {
        "signup": (4, 0),
        "hello": (4, 0),
        "bought": (2, 2),
        "done": (0, 2),
    }
    assert duck["deliveries"] == [
        (c, "hello", "delivered", f"{c}@example.org", 1) for c in ("dan", "cat", "bob", "ann")
    ]
    assert duck["errors"]["total"] == 2  # ann's and bob's tag chains, past the cascade limit
    assert [(r["period"], r["cohort_size"], r["value"]) for r in duck["trend/0"]["rows"]] == [
        ("2026-W02", 2, 1),
        ("2026-W03", 2, 1),
    ]
    assert click.keys() == duck.keys()
    for key, value in duck.items():
        assert click[key] == value, key
