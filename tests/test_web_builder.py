"""The map builder in Chromium: a map built by clicks and typing is the map file, stored.

Builds docs/example-map.yaml from a blank map, publishes it and compares the stored map with the
file; breaks a rule and finds the problem on the element; a read token sees the map read-only
and cannot save it.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

import journeymap
from journeymap.api.tokens import Scope, create_token
from journeymap.model.loading import load_map, load_template
from test_web_support import WAIT_MS, Server, chromium, new_page, overlap, running_server

pytestmark = pytest.mark.xdist_group("browser")
"""Browser tests run one at a time on one test worker: Chromium and the server share its core."""

EXAMPLE = Path(__file__).parent.parent / "docs" / "example-map.yaml"
GRID = 20
expect.set_options(timeout=WAIT_MS)  # each check of the map waits for the server, on a busy machine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("web-builder") / "empty.duckdb"
    with journeymap.open(db) as jm:
        write = create_token(jm.store, jm.clock, Scope.write)
        read = create_token(jm.store, jm.clock, Scope.read)
    with running_server(db) as base:
        yield Server(base, write, read)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    p = new_page(browser)
    yield p
    p.context.close()


def sign_in(page: Page, server: Server, token: str) -> None:
    page.goto(server.base + "/")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_selector("main h1")


def snapped(v: float) -> float:
    """Where the builder puts a click: the nearest point of its 20-unit grid."""
    return float(round(v / GRID) * GRID)


def place(page: Page, kind: str, x: int, y: int) -> None:
    """Pick a kind in the palette and click the canvas at (x, y) map units."""
    page.click(f".palette-item[data-kind={kind}]")
    page.locator(".builder-map").click(position={"x": x, "y": y})
    expect(page.locator("[data-form=element]")).to_be_visible()


def setting(page: Page, path: str, value: str) -> None:
    """Type a setting of the selected element or connector and leave the field."""
    control = page.locator(f".builder-form [name='{path}']")
    if control.evaluate("(c) => c.tagName") == "SELECT":
        control.select_option(value)
    else:
        control.fill(value)
        control.press("Tab")


def connect(page: Page, src: str, dst: str, connector_id: str) -> None:
    page.click(f"[data-port='{src}']")
    page.click(f".b-node[data-element='{dst}'] .name")
    expect(page.locator("[data-form=connector]")).to_be_visible()
    setting(page, "id", connector_id)


def settled(page: Page) -> str:
    """The builder's verdict once the server has checked the map as it is now."""
    state = page.locator("#check-state")
    expect(state).not_to_have_text("Checking…")
    return state.inner_text()


# Each element of docs/example-map.yaml, where it is clicked and what is typed into its form.
BUILD: list[tuple[str, str, tuple[int, int], list[tuple[str, str]]]] = [
    (
        "trigger",
        "t-signup",
        (300, 92),
        [
            ("name", "Signed up for the newsletter"),
            ("event.on", "form_submitted"),
            ("event.form", "newsletter-signup"),
            ("reentry", "once"),
        ],
    ),
    (
        "action",
        "a-welcome",
        (300, 232),
        [
            ("name", "Email: welcome"),
            ("action.type", "send_email"),
            ("action.message.subject", "Welcome, {{first_name}}"),
            (
                "action.message.text",
                "Thanks for signing up. Our best guides are at https://example.com/blog",
            ),
        ],
    ),
    ("wait", "w-two-days", (301, 372), [("duration", "P2D")]),
    (
        "condition",
        "c-customer",
        (300, 512),
        [("name", "Bought already?"), ("rule.tag", "customer"), ("rule.op", "has")],
    ),
    (
        "action",
        "a-offer",
        (640, 652),
        [
            ("name", "Email: 10% off"),
            ("action.message.subject", "10% off your first order"),
            ("action.message.text", "Use WELCOME10 at checkout."),
        ],
    ),
    ("goal", "g-purchase", (640, 792), [("name", "First purchase"), ("event.on", "purchase")]),
    ("end", "e-done", (300, 932), []),
]
CONNECT = [
    ("t-signup", "a-welcome", "signup-welcome"),
    ("a-welcome", "w-two-days", "welcome-wait"),
    ("w-two-days", "c-customer", "wait-check"),
    ("c-customer", "e-done", "check-yes"),  # a condition's first connector is its yes
    ("c-customer", "a-offer", "check-no"),
    ("a-offer", "g-purchase", "offer-purchase"),
    ("g-purchase", "e-done", "purchase-done"),
]


def store_map(server: Server, body: dict[str, Any]) -> None:
    """Store a map through the API as its version 1."""
    made = httpx.post(
        server.base + "/api/maps", json=body, headers={"Authorization": f"Bearer {server.write}"}
    )
    assert made.status_code == 201, made.text


def store_small_map(server: Server, map_id: str) -> None:
    """A trigger joined to an end."""
    start = {"id": "start", "kind": "trigger", "event": {"on": "contact_created"}}
    store_map(
        server,
        {
            "id": map_id,
            "elements": [start, {"id": "stop", "kind": "end"}],
            "connectors": [{"id": "go", "from": "start", "to": "stop"}],
        },
    )


def without_layout(m: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in m.items() if k not in ("layout", "version")}


def test_building_the_example_map_by_clicks_and_typing_stores_the_map_file(
    page: Page, server: Server
) -> None:
    sign_in(page, server, server.write)
    page.fill("#new-map-id", "welcome")
    page.click("#new-map")
    expect(page.locator("#builder-version")).to_have_text("New map, not published yet")
    assert settled(page) == "1 problem"  # a blank map lets nobody in
    page.fill(".builder-form [name=name]", "Welcome series")
    page.press(".builder-form [name=name]", "Tab")
    for kind, element_id, (x, y), settings in BUILD:
        place(page, kind, x, y)
        setting(page, "id", element_id)
        for path, value in settings:
            setting(page, path, value)
    for src, dst, connector_id in CONNECT:
        connect(page, src, dst, connector_id)
    assert settled(page) == "No problems"
    page.click("#publish")
    expect(page.locator("#builder-status")).to_have_text("Published version 1.")
    expect(page.locator("#builder-version")).to_have_text("Version 1 is live")

    stored = server.json("/api/maps/welcome")
    expected = load_map(EXAMPLE).model_dump(mode="json", by_alias=True, exclude_none=True)
    assert without_layout(stored) == without_layout(expected)
    assert stored["version"] == 1
    assert stored["layout"] == {
        element_id: {"x": snapped(x), "y": snapped(y)} for _, element_id, (x, y), _ in BUILD
    }

    # Performance Mode draws each element where it was placed and as big as the builder drew it
    # (Contact Flow, the report a map opens in), so flipping between the modes moves nothing
    built = boxes(page, "window.journeymap.builder().boxes")
    page.click("#to-performance")
    page.wait_for_selector("#canvas[data-url]")
    assert server.json("/api/maps/welcome/layout")["engine"] == "stored"
    drawn = boxes(
        page, "new Map([...window.journeymap.view().nodes].map(([id, n]) => [id, n.box]))"
    )
    assert drawn == built
    assert {k: (x + w / 2, y + h / 2) for k, (x, y, w, h) in drawn.items()} == {
        element_id: (snapped(x), snapped(y)) for _, element_id, (x, y), _ in BUILD
    }


def boxes(page: Page, source: str) -> dict[str, tuple[float, float, float, float]]:
    """Element boxes (x, y, w, h in map units) from a Map of {x, y, w, h} the page holds."""
    found = page.evaluate(
        f"() => Object.fromEntries([...({source})].map(([id, b]) => [id, [b.x, b.y, b.w, b.h]]))"
    )
    return {k: tuple(v) for k, v in found.items()}


def test_a_broken_rule_shows_on_its_element_and_blocks_publishing(
    page: Page, server: Server
) -> None:
    store_small_map(server, "rules")
    sign_in(page, server, server.write)
    page.goto(server.base + "/#/maps/rules/edit")
    assert settled(page) == "No problems"
    place(page, "split", 700, 300)
    connect(page, "start", "split-1", "to-split")
    assert settled(page) == "2 problems"
    split = page.locator(".b-node[data-element='split-1']")
    expect(split).to_have_attribute("data-problems", "split_weights")
    expect(split.locator(".badge")).to_have_text("1")
    page.click(".b-node[data-element='split-1'] .name")
    mine = page.locator(".problem-list li.mine")
    expect(mine).to_have_count(1)
    expect(mine).to_have_text("split_weights split 'split-1' needs at least two connectorsshow")
    expect(page.locator("#publish")).to_be_disabled()
    # the other problem is the trigger's: two connectors now leave it
    other = page.locator(".problem-list li:not(.mine)")
    expect(other).to_have_count(1)
    expect(other).to_have_attribute("data-code", "outgoing_count")
    expect(other).to_have_attribute("data-element", "start")
    start = page.locator(".b-node[data-element='start']")
    expect(start).to_have_attribute("data-problems", "outgoing_count")

    page.keyboard.press("Control+z")  # the connector's id
    page.keyboard.press("Control+z")  # the connector
    expect(page.locator("[data-connector='start-split-1']")).to_have_count(0)
    page.keyboard.press("Control+z")  # the split
    expect(page.locator(".b-node[data-element='split-1']")).to_have_count(0)
    assert settled(page) == "No problems"
    expect(page.locator("#publish")).to_be_disabled()  # nothing to publish: the map is as stored
    page.keyboard.press("Control+Shift+z")  # redo brings the split back, unconnected
    expect(split).to_have_attribute("data-problems", "split_weights unreachable")
    page.click("#undo")
    expect(page.locator(".b-node[data-element='split-1']")).to_have_count(0)
    assert server.json("/api/maps/rules")["version"] == 1


def test_a_read_token_sees_the_map_read_only_and_cannot_save(page: Page, server: Server) -> None:
    store_small_map(server, "readonly")
    sign_in(page, server, server.read)
    expect(page.locator("#new-map-id")).to_have_count(0)
    page.goto(server.base + "/#/maps/readonly?report=contact-flow")
    expect(page.locator("#edit-map")).to_have_text("View map")
    page.click("#edit-map")
    expect(page.locator(".builder.read-only")).to_be_visible()
    expect(page.locator(".palette")).to_have_count(0)
    expect(page.locator("#publish")).to_have_count(0)
    expect(page.locator("#save-draft")).to_have_count(0)
    expect(page.locator(".builder-bar")).not_to_contain_text("null")  # no button, no trace
    expect(page.locator("[data-port]")).to_have_count(0)
    page.click(".b-node[data-element='start'] .name")
    expect(page.locator(".builder-form [name='event.on']")).to_be_disabled()
    status = page.evaluate(
        """async () => (await fetch('/api/maps/readonly', {method: 'PUT',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({id: 'readonly', elements: []})})).status"""
    )
    assert status == 403
    drafted = page.evaluate(
        """async () => (await fetch('/api/maps/readonly/draft', {method: 'PUT',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({id: 'readonly', elements: []})})).status"""
    )
    assert drafted == 403
    assert server.json("/api/maps/readonly")["version"] == 1
    assert server.api("/api/maps/readonly/draft").status_code == 404


def test_a_template_older_versions_and_leaving_with_changes(page: Page, server: Server) -> None:
    template = load_template("lifecycle")
    sign_in(page, server, server.write)
    page.fill("#new-map-id", "from-template")
    page.select_option("#new-map-start", "lifecycle")
    page.click("#new-map")
    expect(page.locator(".b-node")).to_have_count(len(template.elements))
    expect(page.locator(".builder-form [name=name]")).to_have_value(template.name)
    assert settled(page) == "No problems"
    page.click("#publish")
    expect(page.locator("#builder-version")).to_have_text("Version 1 is live")
    first = server.json("/api/maps/from-template")
    assert [(e["id"], e["kind"]) for e in first["elements"]] == [
        (e.id, e.kind) for e in template.elements
    ]
    assert [c["id"] for c in first["connectors"]] == [c.id for c in template.connectors]
    assert sorted(first["layout"]) == sorted(e.id for e in template.elements)

    # move an element by dragging it, describe the map, publish version 2
    moved = template.elements[0].id
    at = first["layout"][moved]
    drag(page, moved, 100, 60)
    page.keyboard.press("Escape")  # unselect: the form is the map's again
    page.fill(".builder-form [name=description]", "Edited in the browser")
    page.press(".builder-form [name=description]", "Tab")
    assert settled(page) == "No problems"
    page.click("#publish")
    expect(page.locator("#builder-version")).to_have_text("Version 2 is live")
    second = server.json("/api/maps/from-template")
    assert second["layout"][moved] == {"x": at["x"] + 100, "y": at["y"] + 60}
    assert second["description"] == "Edited in the browser"
    assert without_layout(second) == {
        **without_layout(first),
        "description": "Edited in the browser",
    }
    assert server.json("/api/maps/from-template?version=1") == first

    # version 1 opens read-only
    page.select_option("#open-version", "1")
    expect(page.locator("#builder-version")).to_have_text(
        "Version 1 (read-only; version 2 is live)"
    )
    expect(page.locator(".builder.read-only")).to_be_visible()
    expect(page.locator(".builder-form [name=description]")).to_have_value(template.description)
    expect(page.locator(".builder-form [name=description]")).to_be_disabled()
    page.select_option("#open-version", "2")
    expect(page.locator("#builder-version")).to_have_text("Version 2 is live")

    # leaving with a change asks first: dismissed, the change stays; accepted, the page leaves
    assert (
        leave_with_a_change(page)
        == ["This map has changes that are not saved. Leave without them?"] * 2
    )
    assert server.json("/api/maps/from-template")["name"] == template.name


def drag(page: Page, element_id: str, dx: int, dy: int) -> None:
    """Drag an element by (dx, dy) pixels (map units: the builder draws at actual size)."""
    box = page.locator(f".b-node[data-element='{element_id}'] .name").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2)
    page.mouse.move(x + dx, y + dy)
    page.mouse.up()


def leave_with_a_change(page: Page) -> list[str]:
    """Rename the map, try to leave (stay), then leave; the questions the page asked."""
    page.fill(".builder-form [name=name]", "Not kept")
    page.press(".builder-form [name=name]", "Tab")
    asked: list[str] = []

    def answer(accept: bool) -> Any:
        def on_dialog(dialog: Any) -> None:
            asked.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return on_dialog

    page.once("dialog", answer(accept=False))
    page.click("#crumbs a[href='#/']")
    expect(page.locator(".builder-form [name=name]")).to_have_value("Not kept")
    page.once("dialog", answer(accept=True))
    page.click("#crumbs a[href='#/']")
    expect(page.locator(".map-card a[data-map='from-template']")).to_be_visible()
    return asked


def test_stats_stay_on_the_elements_a_republished_map_keeps(page: Page, server: Server) -> None:
    start = {"id": "start", "kind": "trigger", "event": {"on": "form_submitted", "form": "signup"}}
    store_map(
        server,
        {
            "id": "kept",
            "elements": [
                start,
                {"id": "hold", "kind": "wait", "duration": "P30D"},
                {"id": "stop", "kind": "end"},
            ],
            "connectors": [
                {"id": "in", "from": "start", "to": "hold"},
                {"id": "out", "from": "hold", "to": "stop"},
            ],
        },
    )
    for contact in ("ann", "bob", "cy"):
        posted = httpx.post(
            server.base + "/api/events",
            json={"kind": "form_submitted", "contact_id": contact, "form": "signup"},
            params={"wait": "applied"},
            headers={"Authorization": f"Bearer {server.write}"},
        )
        assert posted.status_code == 200, posted.text

    def figures() -> dict[str, tuple[int, int]]:
        report = server.json("/api/maps/kept/reports/contact-flow")
        return {e["id"]: (e["were_here"], e["here_now"]) for e in report["elements"]}

    # were here counts visitors no longer there: the three all sit on the wait
    assert figures() == {"start": (3, 0), "hold": (0, 3), "stop": (0, 0)}

    # rename and move the wait, add a goal after it, publish version 2
    sign_in(page, server, server.write)
    page.goto(server.base + "/#/maps/kept/edit")
    page.click(".b-node[data-element='hold'] .name")
    setting(page, "name", "Thirty days")
    drag(page, "hold", 200, 0)
    place(page, "goal", 600, 600)
    setting(page, "id", "bought")
    setting(page, "event.on", "purchase")
    page.click(".b-edge[data-connector='out'] .edge-hit", force=True)
    expect(page.locator("[data-form=connector]")).to_be_visible()
    page.click("#delete-selected")
    connect(page, "hold", "bought", "to-goal")
    connect(page, "bought", "stop", "goal-end")
    assert settled(page) == "No problems"
    page.click("#publish")
    expect(page.locator("#builder-version")).to_have_text("Version 2 is live")
    stored = server.json("/api/maps/kept")
    assert [e["id"] for e in stored["elements"]] == ["start", "hold", "stop", "bought"]
    assert stored["elements"][1]["name"] == "Thirty days"
    assert [c["id"] for c in stored["connectors"]] == ["in", "to-goal", "goal-end"]
    assert figures() == {"start": (3, 0), "hold": (0, 3), "stop": (0, 0), "bought": (0, 0)}


def test_a_map_with_problems_is_saved_as_a_draft_and_published_once_fixed(
    page: Page, server: Server
) -> None:
    sign_in(page, server, server.write)
    page.fill("#new-map-id", "drafted")
    page.click("#new-map")
    place(page, "trigger", 300, 100)
    setting(page, "id", "start")
    setting(page, "event.on", "tag_added")
    place(page, "end", 300, 400)
    setting(page, "id", "stop")
    # the trigger leads nowhere and has no tag, the end is not reached
    assert settled(page) == "3 problems"
    expect(page.locator("#publish")).to_be_disabled()
    page.click("#save-draft")
    expect(page.locator("#builder-status")).to_have_text("Draft saved.")
    expect(page.locator("#builder-version")).to_contain_text("never published")
    expect(page.locator("#save-draft")).to_be_disabled()  # nothing more to save

    # a draft is not live: no map to report on, listed apart, and it opens again after a reload
    assert "drafted" not in [m["map_id"] for m in server.json("/api/maps")]
    assert server.api("/api/maps/drafted/layout").status_code == 404
    [draft] = [d for d in server.json("/api/drafts") if d["map_id"] == "drafted"]
    assert (draft["based_on"], draft["live"], draft["problem_count"]) == (None, None, 3)
    page.reload()
    expect(page.locator(".b-node")).to_have_count(2)
    expect(page.locator("#builder-version")).to_contain_text("never published")
    assert settled(page) == "3 problems"
    expect(page.locator(".b-node[data-element='start']")).to_have_attribute(
        "data-problems", "outgoing_count event_settings"
    )
    page.click("#crumbs a[href='#/']")  # nothing unsaved: no question asked
    card = page.locator(".map-card.draft a[data-draft='drafted']")
    expect(card).to_contain_text("3 problems")
    expect(page.locator(".map-card a[data-map='drafted']")).to_have_count(0)

    card.click()
    connect(page, "start", "stop", "go")
    page.click(".b-node[data-element='start'] .name")
    setting(page, "event.tag", "vip")
    assert settled(page) == "No problems"
    page.click("#publish")
    expect(page.locator("#builder-status")).to_have_text("Published version 1.")
    expect(page.locator("#builder-version")).to_have_text("Version 1 is live")
    assert server.api("/api/maps/drafted/draft").status_code == 404
    stored = server.json("/api/maps/drafted")
    assert [c["id"] for c in stored["connectors"]] == ["go"]
    assert stored["layout"] == {"start": {"x": 300.0, "y": 100.0}, "stop": {"x": 300.0, "y": 400.0}}


def test_a_draft_of_a_live_map_stays_out_of_performance_mode_until_published(
    page: Page, server: Server
) -> None:
    store_small_map(server, "live-draft")
    sign_in(page, server, server.write)
    page.goto(server.base + "/#/maps/live-draft/edit")
    assert settled(page) == "No problems"
    place(page, "wait", 700, 300)
    setting(page, "id", "pause")
    page.keyboard.press("Control+s")
    expect(page.locator("#builder-version")).to_contain_text("not live · version 1 is live")
    expect(page.locator("#publish")).to_be_disabled()  # the new wait is not connected
    layout = server.json("/api/maps/live-draft/layout")
    assert (layout["version"], [n["id"] for n in layout["nodes"]]) == (1, ["start", "stop"])
    assert [
        e["id"] for e in server.json("/api/maps/live-draft/reports/contact-flow")["elements"]
    ] == [
        "start",
        "stop",
    ]

    page.goto(server.base + "/#/maps/live-draft?report=contact-flow")
    page.wait_for_selector("#canvas[data-url]")
    expect(page.locator(".node[data-element]")).to_have_count(2)
    page.click("#edit-map")
    expect(page.locator(".b-node[data-element='pause']")).to_be_visible()  # the draft reopens
    page.once("dialog", lambda d: d.accept())
    page.click("#discard-draft")
    expect(page.locator("#builder-version")).to_have_text("Version 1 is live")
    expect(page.locator(".b-node[data-element='pause']")).to_have_count(0)
    assert server.api("/api/maps/live-draft/draft").status_code == 404

    # closing the tab (or reloading) with a change neither saved nor published asks first
    place(page, "goal", 700, 500)
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # stay: the change is still there
    expect(page.locator(".b-node[data-element='goal-1']")).to_be_visible()


def test_the_map_file_downloaded_from_the_builder_imports_as_the_same_map(
    page: Page, server: Server, tmp_path: Path
) -> None:
    template = load_template("lifecycle").model_dump(mode="json", by_alias=True, exclude_none=True)
    placed = {
        e["id"]: {"x": 200.0 + 300 * (i % 3), "y": 150.5 + 260 * (i // 3)}
        for i, e in enumerate(template["elements"])
    }
    store_map(server, {**template, "id": "exported", "layout": placed})
    sign_in(page, server, server.write)
    page.goto(server.base + "/#/maps/exported/edit")
    assert settled(page) == "No problems"
    for fmt in ("yaml", "json"):
        with page.expect_download() as info:
            page.click(f"#download-{fmt}")
        download = info.value
        assert download.suggested_filename == f"exported.{fmt}"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        db = tmp_path / f"{fmt}.duckdb"
        added = subprocess.run(
            [
                sys.executable,
                "-c",
                "from journeymap.cli import app; app()",
                "map",
                "add",
                "--db",
                str(db),
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert added.stdout == "Stored map 'exported' version 1: 27 elements, 28 connectors.\n"
        with journeymap.open(db) as jm:
            imported = jm.map("exported").model_dump(mode="json", by_alias=True, exclude_none=True)
        assert imported == server.json("/api/maps/exported")
        assert imported["layout"] == placed


def test_elements_without_positions_are_placed_around_those_with_them(
    page: Page, server: Server
) -> None:
    template = load_template("lifecycle").model_dump(mode="json", by_alias=True, exclude_none=True)
    ids = [e["id"] for e in template["elements"]]
    placed = {ids[0]: {"x": 900.0, "y": 120.0}, ids[3]: {"x": 300.0, "y": 500.0}}
    store_map(server, {**template, "id": "partly", "layout": placed})
    assert server.json("/api/maps/partly/layout")["engine"] == "partial"
    sign_in(page, server, server.write)
    page.goto(server.base + "/#/maps/partly?report=contact-flow")
    page.wait_for_selector("#canvas[data-url]")
    drawn = boxes(
        page, "new Map([...window.journeymap.view().nodes].map(([id, n]) => [id, n.box]))"
    )
    page.click("#edit-map")
    assert settled(page) == "No problems"
    built = boxes(page, "window.journeymap.builder().boxes")
    for found in (drawn, built):
        assert set(found) == set(ids)
        centres = {k: (x + w / 2, y + h / 2) for k, (x, y, w, h) in found.items()}
        assert {k: centres[k] for k in placed} == {k: (p["x"], p["y"]) for k, p in placed.items()}
        for (a, box_a), (b, box_b) in itertools.combinations(found.items(), 2):
            assert not overlap(box_a, box_b), (a, b)
