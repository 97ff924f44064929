"""Performance Mode in Chromium: the six reports, goal, UTM and date filters, hover, drill-down."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page

from test_web_support import (
    Server,
    build_store,
    chromium,
    drawn_figures,
    new_page,
    running_server,
    sign_in,
    written,
)

MAP = "lifecycle"
REPORTS = (
    "contact-flow",
    "funnel-conversion",
    "lifetime-value",
    "goal-conversion-rate",
    "goal-conversion-point",
    "goal-conversion-time",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("web") / "demo.duckdb"
    write, read = build_store(db, contacts=400, seed=11)
    with running_server(db) as base:
        yield Server(base, write, read)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    p = new_page(browser)
    sign_in(p, server)
    yield p
    p.context.close()


def report_url(report: str, **params: str) -> str:
    query = urlencode(params)
    return f"/api/maps/{MAP}/reports/{report}" + (f"?{query}" if query else "")


def drawn(page: Page, url: str) -> None:
    """Wait until the page has painted the report at `url`."""
    page.wait_for_selector(f'#canvas[data-url="{url}"]', state="attached")


def assert_page_matches_api(page: Page, server: Server, url: str) -> dict[str, Any]:
    """Every figure on every element and connector equals the API's, value and text."""
    api = server.json(url)
    elements = {e["id"]: e for e in api["elements"]}
    connectors = {c["id"]: c for c in api["connectors"]}
    on_elements = drawn_figures(page, "g.node", "element")
    on_connectors = drawn_figures(page, "g.edge-label", "connector")
    assert set(on_elements) == set(elements)
    assert set(on_connectors) == set(connectors)
    shown = 0
    for eid, figures in on_elements.items():
        for name, (value, text) in figures.items():
            assert value == elements[eid][name], (eid, name)
            assert text == written(name, value), (eid, name)
            shown += 1
    for cid, figures in on_connectors.items():
        assert figures["contacts"][0] == connectors[cid]["contacts"]
        for name, (value, text) in figures.items():
            assert value == connectors[cid][name], (cid, name)
            assert text == written(name, value), (cid, name)
    assert shown > 0
    cohort = page.get_attribute("#status .cohort", "data-value")
    assert cohort == str(api["cohort_size"])
    assert page.get_attribute("#json-link", "href") == url
    return api


def open_map(page: Page, server: Server) -> None:
    page.click(f'.map-card a[data-map="{MAP}"]')
    drawn(page, report_url("contact-flow"))


def test_map_list_shows_both_prebuilt_maps(page: Page, server: Server) -> None:
    cards = page.eval_on_selector_all(".map-card a", "(as) => as.map((a) => a.dataset.map)")
    assert sorted(cards) == ["lifecycle", "lifetime-value"]
    names = page.eval_on_selector_all(".map-name", "(ns) => ns.map((n) => n.textContent)")
    assert sorted(names) == sorted(m["name"] for m in server.json("/api/maps"))


def test_every_report_draws_the_apis_numbers(page: Page, server: Server) -> None:
    open_map(page, server)
    layout = server.json(f"/api/maps/{MAP}/layout")
    assert page.locator("g.node").count() == len(layout["nodes"]) == 27
    assert page.locator("path.edge").count() == len(layout["edges"]) == 28
    labels = page.eval_on_selector_all(
        "g.edge-label .edge-tag", "(ts) => ts.map((t) => t.textContent.trim())"
    )
    assert sorted(labels) == ["30%", "70%", "no", "yes"]
    for report in REPORTS:
        page.select_option("#report", report)
        goal = "g-customer" if report in ("goal-conversion-point", "goal-conversion-time") else None
        url = report_url(report, **({"goal": goal} if goal else {}))
        drawn(page, url)
        api = assert_page_matches_api(page, server, url)
        assert api["report"] == report
        if goal:  # a report that needs a goal starts on the map's first goal
            assert page.input_value("#goal") == goal


def test_contact_flow_connector_width_follows_contacts(page: Page, server: Server) -> None:
    open_map(page, server)
    api = server.json(report_url("contact-flow"))
    widths = page.eval_on_selector_all(
        "path.edge",
        "(ps) => Object.fromEntries(ps.map((p) => [p.dataset.connector,"
        " Number(p.getAttribute('stroke-width'))]))",
    )
    by_contacts = sorted(api["connectors"], key=lambda c: c["contacts"])
    most = by_contacts[-1]
    assert widths[most["id"]] == 10.5
    for low, high in itertools.pairwise(by_contacts):
        assert widths[low["id"]] <= widths[high["id"]]


def test_picking_a_goal(page: Page, server: Server) -> None:
    open_map(page, server)
    page.select_option("#report", "goal-conversion-rate")
    drawn(page, report_url("goal-conversion-rate"))
    assert page.is_visible("#goal")
    page.select_option("#goal", "g-repeat-buyer")
    url = report_url("goal-conversion-rate", goal="g-repeat-buyer")
    drawn(page, url)
    api = assert_page_matches_api(page, server, url)
    assert all("to_goal_rate" in e for e in api["elements"])
    assert page.get_attribute("g.node.selected", "data-element") == "g-repeat-buyer"
    page.select_option("#report", "goal-conversion-point")
    url = report_url("goal-conversion-point", goal="g-repeat-buyer")
    drawn(page, url)
    assert_page_matches_api(page, server, url)


def test_utm_filter_lists_the_values_in_the_data_and_filters(page: Page, server: Server) -> None:
    open_map(page, server)
    values = server.json(f"/api/maps/{MAP}/utm-values")
    page.wait_for_selector(".toolbar[data-utm=first]", state="attached")
    for field in ("source", "medium", "campaign", "content", "term"):
        options = page.eval_on_selector_all(
            f"#utm-{field} option", "(os) => os.map((o) => o.value)"
        )
        assert options == ["", *(v["value"] for v in values[field])]
    google = next(v for v in values["source"] if v["value"] == "google")
    page.select_option("#utm-source", "google")
    url = report_url("contact-flow", utm_source="google")
    drawn(page, url)
    api = assert_page_matches_api(page, server, url)
    assert api["cohort_size"] == google["contacts"]
    page.select_option("#utm-medium", "cpc")
    url = report_url("contact-flow", utm_source="google", utm_medium="cpc")
    drawn(page, url)
    assert_page_matches_api(page, server, url)
    page.check("#last-touch")
    url = report_url("contact-flow", utm_source="google", utm_medium="cpc", last_touch="true")
    drawn(page, url)
    assert_page_matches_api(page, server, url)


def test_date_range_filters_the_cohort(page: Page, server: Server) -> None:
    open_map(page, server)
    everyone = server.json(report_url("contact-flow"))["cohort_size"]
    rows = server.json(f"/api/maps/{MAP}/contacts?figure=cohort_size&limit=10000")["rows"]
    days = sorted({r["entered_at"][:10] for r in rows})
    start, end = days[len(days) // 3], days[2 * len(days) // 3]
    page.fill("#from", start)
    drawn(page, report_url("contact-flow", **{"from": start, "tz": "UTC"}))
    page.fill("#to", end)
    url = report_url("contact-flow", **{"from": start, "to": end, "tz": "UTC"})
    drawn(page, url)
    api = assert_page_matches_api(page, server, url)
    inside = sum(1 for r in rows if start <= r["entered_at"][:10] <= end)
    assert 0 < api["cohort_size"] == inside < everyone


def test_hover_shows_every_figure_of_an_element(page: Page, server: Server) -> None:
    open_map(page, server)
    api = server.json(report_url("contact-flow"))
    email = next(e for e in api["elements"] if e["id"] == "a-email-welcome")
    page.hover('g.node[data-element="a-email-welcome"]')
    card = page.locator("#card")
    card.wait_for(state="visible")
    rows = card.locator("tr[data-figure]")
    shown = {
        rows.nth(i).get_attribute("data-figure"): rows.nth(i).locator("td")
        for i in range(rows.count())
    }
    assert set(shown) == set(email) - {"id", "kind"}
    for name, cell in shown.items():
        assert cell.text_content() == written(name, email[name])
    assert card.locator(".card-name").text_content() == "Email: welcome"


def test_drill_down_lists_the_contacts_and_exports_them(page: Page, server: Server) -> None:
    open_map(page, server)
    element = "w-thursday-afternoon"
    page.click(f'g.node[data-element="{element}"] [data-figure="were_here"]')
    drawer = page.locator("#drawer")
    drawer.wait_for(state="visible")
    page.wait_for_selector("#drawer [data-total]")
    listed = server.json(f"/api/maps/{MAP}/contacts?figure=were_here&element={element}&limit=100")
    assert drawer.locator("[data-total]").get_attribute("data-total") == str(listed["total"])
    ids = drawer.locator("tr[data-contact]").evaluate_all(
        "(rs) => rs.map((r) => r.dataset.contact)"
    )
    assert ids == [r["contact_id"] for r in listed["rows"]]
    with page.expect_download() as download:
        drawer.locator(".export").click()
    path = Path(download.value.path())
    exported = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(exported) == listed["total"]
    api_csv = server.api(f"/api/maps/{MAP}/contacts?figure=were_here&element={element}&format=csv")
    assert path.read_text(encoding="utf-8") == api_csv.text
    page.keyboard.press("Escape")
    drawer.wait_for(state="hidden")


def test_a_connector_count_opens_by_keyboard(page: Page, server: Server) -> None:
    open_map(page, server)
    page.focus('g.edge-label[data-connector="large-yes"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#drawer [data-total]")
    listed = server.json(f"/api/maps/{MAP}/contacts?figure=contacts&connector=large-yes")
    assert page.get_attribute("#drawer [data-total]", "data-total") == str(listed["total"])
    assert page.evaluate("document.activeElement.className") == "drawer-close"


def test_roi_table_by_utm_value(page: Page, server: Server) -> None:
    open_map(page, server)
    page.wait_for_selector(".roi tr[data-utm-value]")
    for field in ("source", "medium", "campaign"):
        api = server.json(f"/api/maps/{MAP}/reports/roi?by={field}")
        page.click(f'.roi-tabs button[data-field="{field}"]')
        page.wait_for_selector(f'.roi-tabs button[data-field="{field}"][aria-pressed="true"]')
        rows = api["rows"]
        assert {r["utm_field"] for r in rows} == {field}
        page.wait_for_selector(f'.roi[data-field="{field}"]')
        drawn_rows = page.eval_on_selector_all(
            f'.roi[data-field="{field}"] tr[data-utm-value]',
            "(rs) => rs.map((r) => Object.fromEntries([...r.querySelectorAll('td')].map("
            "(td) => [td.dataset.key, JSON.parse(td.dataset.value)])))",
        )
        keys = ("utm_value", "contacts", "achievers", "revenue", "cost", "roi")
        assert drawn_rows == [{k: r[k] for k in keys} for r in rows]
