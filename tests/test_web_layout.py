"""The map as Chromium draws it: no connector crosses an element, no label covers another.

Checked on both prebuilt maps in every report (element sizes follow each report's figures) and
on random valid maps with random names; positions stored in a map file are kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

import journeymap
from journeymap.api.tokens import Scope, create_token
from journeymap.model.loading import load_template
from journeymap.model.map import AutomationMap
from journeymap.web.layout import layout_map
from test_engine_properties import maps
from test_web_support import (
    Box,
    Server,
    chromium,
    crosses,
    new_page,
    overlap,
    running_server,
    sign_in,
    within,
)

pytestmark = pytest.mark.xdist_group("browser")
"""Browser tests run one at a time on one test worker: Chromium and the server share its core."""

REPORTS = (
    "contact-flow",
    "funnel-conversion",
    "lifetime-value",
    "goal-conversion-rate",
    "goal-conversion-point",
    "goal-conversion-time",
    "bottlenecks",
)
DRAW = """async ([layout, report]) => {
    const m = await import('/static/mapview.js');
    const host = document.createElement('div');
    host.style.cssText = 'position:absolute;left:0;top:0;width:1200px;height:800px';
    document.body.append(host);
    const view = await m.drawMap(host, layout, report);
    const g = m.geometry(view);
    host.remove();
    return g;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("web-layout") / "maps.duckdb"
    with journeymap.open(db) as jm:
        for template in ("lifecycle", "lifetime-value"):
            jm.add_map(load_template(template))
        read = create_token(jm.store, jm.clock, Scope.read)
    with running_server(db) as base:
        yield Server(base, read, read)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def page(browser: Browser, server: Server) -> Iterator[Page]:
    p = new_page(browser)
    sign_in(p, server)
    yield p
    p.context.close()


def assert_clean(g: dict[str, Any]) -> None:
    """No connector segment crosses an element, no label overlaps a label or an element, every
    text drawn in an element stays inside it, and everything lies within the drawing."""
    nodes: dict[str, Box] = {k: tuple(v) for k, v in g["nodes"].items()}
    labels: dict[str, Box] = {k: tuple(v) for k, v in g["labels"].items()}
    for cid, points in g["edges"].items():
        assert len(points) >= 2, cid
        for p, q in itertools.pairwise(points):
            hit = [eid for eid, box in nodes.items() if crosses(p, q, box)]
            assert hit == [], (cid, p, q, hit)
    for (a, box_a), (b, box_b) in itertools.combinations(labels.items(), 2):
        assert not overlap(box_a, box_b), (a, b)
    for cid, box in labels.items():
        assert [eid for eid, n in nodes.items() if overlap(box, n)] == [], cid
        assert within(tuple(g["labelTexts"][cid]), box) or g["labelTexts"][cid][2] == 0, cid
    for (a, box_a), (b, box_b) in itertools.combinations(nodes.items(), 2):
        assert not overlap(box_a, box_b), (a, b)
    for eid, texts in g["texts"].items():
        for t in texts:
            assert within(tuple(t), nodes[eid]), (eid, t, nodes[eid])
    everything = [*nodes.values(), *labels.values()]
    assert max(x + w for x, _, w, _ in everything) <= g["width"]
    assert max(y + h for _, y, _, h in everything) <= g["height"]


@pytest.mark.parametrize("map_id", ["lifecycle", "lifetime-value"])
def test_prebuilt_maps_are_drawn_cleanly_in_every_report(
    page: Page, server: Server, map_id: str
) -> None:
    layout = server.json(f"/api/maps/{map_id}/layout")
    assert layout["engine"] == "auto"
    widths = set()
    for report in REPORTS:
        g = page.evaluate(DRAW, [layout, report])
        assert set(g["nodes"]) == {n["id"] for n in layout["nodes"]}
        assert set(g["edges"]) == {e["id"] for e in layout["edges"]}
        assert_clean(g)
        widths.add(round(g["width"]))
    # branches sit side by side: the drawing is wider than one element
    assert min(widths) > 2 * 240


def test_a_condition_draws_yes_left_of_no(page: Page, server: Server) -> None:
    layout = server.json("/api/maps/lifecycle/layout")
    g = page.evaluate(DRAW, [layout, "contact-flow"])
    yes, no = g["labels"]["large-yes"], g["labels"]["large-no"]
    assert yes[0] + yes[2] <= no[0]


NAMES = st.lists(
    st.sampled_from(["Email:", "welcome", "a", "very-long-unbroken-campaign-name-2026", "of", "?"]),
    min_size=0,
    max_size=9,
).map(" ".join)


@st.composite
def named_maps(draw: st.DrawFn) -> AutomationMap:
    """A random valid map of up to about 30 elements, with random names or none."""
    m = draw(maps(most_elements=24, most_doors=3))
    body = m.model_dump(by_alias=True)
    for e in body["elements"]:
        e["name"] = draw(NAMES)
    return AutomationMap.model_validate(body)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(m=named_maps(), report=st.sampled_from(REPORTS))
def test_random_maps_are_drawn_cleanly(page: Page, m: AutomationMap, report: str) -> None:
    layout = layout_map(m).model_dump(mode="json")
    g = page.evaluate(DRAW, [layout, report])
    assert_clean(g)


def test_positions_stored_in_the_map_file_are_kept(page: Page) -> None:
    m = load_template("lifecycle")
    stored = {e.id: {"x": 300.0 * (i % 3), "y": 220.0 * (i // 3)} for i, e in enumerate(m.elements)}
    placed = AutomationMap.model_validate(m.model_dump(by_alias=True) | {"layout": stored})
    layout = layout_map(placed).model_dump(mode="json")
    assert layout["engine"] == "stored"
    g = page.evaluate(DRAW, [layout, "contact-flow"])
    centres = {eid: (x + w / 2, y + h / 2) for eid, (x, y, w, h) in g["nodes"].items()}
    first = m.elements[0].id
    dx = centres[first][0] - stored[first]["x"]
    dy = centres[first][1] - stored[first]["y"]
    for eid, at in stored.items():  # the whole drawing moved by one offset, nothing else
        assert centres[eid] == pytest.approx((at["x"] + dx, at["y"] + dy), abs=0.01)


@st.composite
def partly_placed(draw: st.DrawFn) -> tuple[AutomationMap, dict[str, tuple[float, float]]]:
    """A random map whose file places some of its elements, each in its own cell of a grid wide
    enough that placed elements never touch."""
    m = draw(named_maps())
    ids = [e.id for e in m.elements]
    chosen = sorted(draw(st.sets(st.sampled_from(ids), max_size=len(ids))), key=ids.index)
    cells = draw(
        st.lists(st.integers(0, 47), min_size=len(chosen), max_size=len(chosen), unique=True)
    )
    at = {
        eid: (200.0 + 320 * (c % 8), 150.0 + 300 * (c // 8))
        for eid, c in zip(chosen, cells, strict=True)
    }
    body = m.model_dump(by_alias=True) | {
        "layout": {k: {"x": x, "y": y} for k, (x, y) in at.items()}
    }
    return AutomationMap.model_validate(body), at


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(placed=partly_placed(), report=st.sampled_from(REPORTS))
def test_elements_a_map_file_leaves_out_go_around_the_placed_ones(
    page: Page, placed: tuple[AutomationMap, dict[str, tuple[float, float]]], report: str
) -> None:
    m, at = placed
    layout = layout_map(m).model_dump(mode="json")
    g = page.evaluate(DRAW, [layout, report])
    nodes: dict[str, Box] = {k: tuple(v) for k, v in g["nodes"].items()}
    assert set(nodes) == {e.id for e in m.elements}
    centres = {k: (x + w / 2, y + h / 2) for k, (x, y, w, h) in nodes.items()}
    assert {k: centres[k] for k in at} == at  # exactly where the file puts them
    for (a, box_a), (b, box_b) in itertools.combinations(nodes.items(), 2):
        assert not overlap(box_a, box_b), (a, b)


def test_the_layout_answer_names_every_element_in_words(server: Server) -> None:
    layout = server.json("/api/maps/lifecycle/layout")
    by_id = {n["id"]: n for n in layout["nodes"]}
    assert (by_id["a-email-welcome"]["email"], by_id["t-blog-visit"]["page_visits"]) == (True, True)
    assert [n["id"] for n in layout["nodes"] if n["holds"]] == [
        "w-thursday-afternoon",
        "g-customer",
        "w-three-weeks",
        "g-repeat-buyer",
        "w-one-week",
        "g-referrer",
        "e-advocate",
        "e-crm-synced",
    ]


def test_a_map_file_without_names_reads_in_words() -> None:
    m = AutomationMap.model_validate(
        {
            "id": "bare",
            "elements": [
                {
                    "id": "t",
                    "kind": "trigger",
                    "event": {"on": "page_visited", "url_pattern": "*/p*"},
                },
                {"id": "w", "kind": "wait", "duration": "P2D"},
                {"id": "c", "kind": "condition", "rule": {"tag": "vip", "op": "has"}},
                {
                    "id": "a",
                    "kind": "action",
                    "action": {"type": "send_email", "message": {"subject": "Hi there"}},
                },
                {"id": "g", "kind": "goal", "event": {"on": "purchase", "product": "kit"}},
                {"id": "e", "kind": "end", "exit": True},
            ],
            "connectors": [
                {"id": "1", "from": "t", "to": "w"},
                {"id": "2", "from": "w", "to": "c"},
                {"id": "3", "from": "c", "to": "a", "label": "yes"},
                {"id": "4", "from": "c", "to": "g", "label": "no"},
                {"id": "5", "from": "a", "to": "g"},
                {"id": "6", "from": "g", "to": "e"},
            ],
        }
    )
    names = {n.id: (n.name, n.named) for n in layout_map(m).nodes}
    assert names == {
        "t": ("Visited */p*", False),
        "w": ("Wait 2 days", False),
        "c": ("Has tag vip?", False),
        "a": ("Email: Hi there", False),
        "g": ("Bought kit", False),
        "e": ("Exit the map", False),
    }


def test_the_checks_find_a_crossing_and_an_overlap() -> None:
    box = (10.0, 10.0, 20.0, 20.0)
    assert crosses([0, 20], [40, 20], box)
    assert crosses([20, 0], [20, 15], box)
    assert not crosses([0, 10], [40, 10], box)  # along the top edge: touching
    assert not crosses([0, 0], [9, 40], box)
    assert overlap(box, (25.0, 25.0, 10.0, 10.0))
    assert not overlap(box, (30.0, 10.0, 10.0, 10.0))  # side by side
    with pytest.raises(AssertionError):
        assert_clean(
            {
                "width": 100,
                "height": 100,
                "nodes": {"a": [0, 0, 10, 10], "b": [0, 40, 10, 10], "c": [0, 20, 10, 10]},
                "edges": {"ab": [[5, 10], [5, 40]]},
                "labels": {"ab": [20, 20, 10, 10]},
                "labelTexts": {"ab": [20, 20, 0, 0]},
                "texts": {"a": [], "b": [], "c": []},
            }
        )
