"""Performance Mode in Chromium: the six reports, goal, UTM and date filters, hover, drill-down."""

from __future__ import annotations

import csv
import io
import itertools
import json
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
    overlap,
    running_server,
    sign_in,
    within,
    written,
)

pytestmark = pytest.mark.xdist_group("browser")
"""Browser tests run one at a time on one test worker: Chromium and the server share its core."""

MAP = "lifecycle"
REPORTS = (
    "contact-flow",
    "funnel-conversion",
    "lifetime-value",
    "goal-conversion-rate",
    "goal-conversion-point",
    "goal-conversion-time",
    "split-test",
    "time-to-goal",
    "bottlenecks",
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


EMAIL = {"sent", "opened", "open_rate", "clicked", "click_rate", "unsubscribed", "unsubscribe_rate"}
TIME = {
    "conversion_time_mean_s",
    "conversion_time_median_s",
    "conversion_time_p90_s",
    "conversion_time_n",
}


def expected_figures(api: dict[str, Any], element: dict[str, Any]) -> set[str]:
    """The figures docs/reports.md puts on an element in each report, from the map file."""
    kind, eid, goal = element["kind"], element["id"], api["goal"]
    report = api["report"]
    if report == "contact-flow":
        shown = {"were_here"} | ({"here_now"} if kind in ("goal", "wait", "end") else set())
        if kind == "action" and element["action"]["type"] == "send_email":
            shown |= EMAIL | {"queued", "failed"}
        if kind == "action" and element["action"]["type"] in ("notify", "webhook"):
            shown |= {"delivered", "pending", "failed"}
        if kind == "trigger" and element["event"]["on"] == "page_visited":
            shown |= {"page_visits", "unique_visitors"}
        return shown
    if report == "funnel-conversion":
        steps = api["options"]["steps"]
        if eid not in steps:
            return set()
        first = {"funnel_step", "funnel_count", "funnel_rate_start"}
        step = next(e["funnel_step"] for e in api["elements"] if e["id"] == eid)
        return first if step == 1 else first | {"funnel_rate_prev", "entered_directly"}
    if report == "lifetime-value":
        return {"amount_spent", "average_spent"}
    if report == "goal-conversion-rate":
        shown = {"achieved", "conversion_rate"} if kind == "goal" else set()
        return shown | ({"to_goal", "to_goal_rate"} if goal and eid != goal else set())
    if report == "goal-conversion-point":
        bucket = {"entered_at_goal", "entered_at_goal_share"} if eid == goal else set()
        return {"conversion_point", "conversion_point_share", "conversion_credit"} | bucket
    if report == "split-test":
        return {"split_contacts", "split_verdict"} if kind == "split" else set()
    if report == "time-to-goal":
        return {"time_to_goal_median_s", "converted_by_30d", "time_to_goal_n"}
    if report == "bottlenecks":
        found = next(e for e in api["elements"] if e["id"] == eid)
        worst = {"bottleneck_rank"} if found.get("bottleneck_rank") else set()
        return {"dwell_median_s", "dwell_configured_s", "stuck", "dwell_n"} | worst
    assert report == "goal-conversion-time"
    return TIME


def assert_page_matches_api(page: Page, server: Server, url: str) -> dict[str, Any]:
    """Every figure of the report is on its element and connector, equal to the API's."""
    api = server.json(url)
    elements = {e["id"]: e for e in api["elements"]}
    goal = api["goal"]
    if api["report"] == "goal-conversion-point":  # the entered-at-goal bucket sits on the goal
        elements[goal] |= {k: api[k] for k in ("entered_at_goal", "entered_at_goal_share")}
    connectors = {c["id"]: c for c in api["connectors"]}
    map_elements = {e["id"]: e for e in server.json(f"/api/maps/{MAP}")["elements"]}
    on_elements = drawn_figures(page, "g.node", "element")
    on_connectors = drawn_figures(page, "g.edge-label", "connector")
    assert set(on_elements) == set(elements)
    assert set(on_connectors) == set(connectors)
    shown = 0
    for eid, figures in on_elements.items():
        assert set(figures) == expected_figures(api, map_elements[eid]), eid
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
    assert_figures_fit(page)
    cohort = page.get_attribute("#status .cohort", "data-value")
    assert cohort == str(api["cohort_size"])
    assert page.get_attribute("#json-link", "href") == url
    return api


def assert_figures_fit(page: Page) -> None:
    """Every text drawn on an element, figures included, stays inside it and overlaps no other."""
    g = page.evaluate(
        "async () => (await import('/static/mapview.js')).geometry(window.journeymap.view())"
    )
    for eid, texts in g["texts"].items():
        for t in texts:
            assert within(tuple(t), tuple(g["nodes"][eid])), (eid, t)
        for a, b in itertools.combinations(texts, 2):
            assert not overlap(tuple(a), tuple(b)), (eid, a, b)


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
    assert sorted(labels) == ["30%", "70%", "NO", "YES"]
    for report in REPORTS:
        page.select_option("#report", report)
        needs = ("goal-conversion-point", "goal-conversion-time", "split-test", "time-to-goal")
        goal = "g-customer" if report in needs else None
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
    assert page.is_hidden("#half-life")
    page.select_option("#attribution", "linear")
    url = report_url("goal-conversion-point", goal="g-repeat-buyer", attribution="linear")
    drawn(page, url)
    linear = assert_page_matches_api(page, server, url)
    assert linear["options"]["attribution"] == "linear"
    page.select_option("#attribution", "time-decay")
    page.fill("#half-life", "2")
    page.press("#half-life", "Enter")
    url = report_url(
        "goal-conversion-point",
        goal="g-repeat-buyer",
        attribution="time-decay",
        half_life_days="2",
    )
    drawn(page, url)
    decay = assert_page_matches_api(page, server, url)
    assert decay["options"] == {"attribution": "time-decay", "half_life_days": 2.0}


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
    figure = f'g.node[data-element="{element}"] [data-figure="were_here"]'
    page.focus(figure)  # keyboard focus brings it into sight
    page.click(figure)
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


def test_the_map_opens_at_actual_size_and_zooms(page: Page, server: Server) -> None:
    open_map(page, server)
    assert page.get_attribute("#canvas", "data-scale") == "1.0000"
    assert page.text_content("#zoom-level") == "100%"
    page.click("#zoom-in")
    assert page.get_attribute("#canvas", "data-scale") == "1.2500"
    page.click("#zoom-fit")  # the lifecycle map is taller than the frame: fit shrinks it
    fitted = float(page.get_attribute("#canvas", "data-scale") or "0")
    frame = page.eval_on_selector("#canvas", "(c) => [c.clientWidth, c.clientHeight]")
    size = page.evaluate("[window.journeymap.view().width, window.journeymap.view().height]")
    assert fitted == pytest.approx(min(frame[0] / size[0], frame[1] / size[1]), abs=0.0001)
    assert fitted < 1
    page.click("#zoom-actual")
    assert page.get_attribute("#canvas", "data-scale") == "1.0000"


def test_funnel_steps_are_picked_in_the_page(page: Page, server: Server) -> None:
    open_map(page, server)
    page.select_option("#report", "funnel-conversion")
    drawn(page, report_url("funnel-conversion"))
    default = server.json(report_url("funnel-conversion"))["options"]["steps"]
    picked = page.eval_on_selector_all("#steps-row select", "(ss) => ss.map((s) => s.value)")
    assert picked == default
    elements = server.json(f"/api/maps/{MAP}")["elements"]
    triggers = [e["id"] for e in elements if e["kind"] == "trigger"]
    assert len(triggers) == 2
    bars = page.eval_on_selector_all(".funnel-step", "(ls) => ls.map((l) => l.dataset.step)")
    assert bars[0] == ",".join(triggers)  # entering through either trigger is step 1
    assert bars[1:] == default[2:]
    last = len(default) - 1
    page.click(f'#steps-row button[aria-label="Remove step {last + 1}"]')
    steps = default[:last]
    drawn(page, report_url("funnel-conversion") + "?" + "&".join(f"steps={s}" for s in steps))
    candidates = [
        e["id"] for e in elements if e["kind"] in ("trigger", "goal") and e["id"] not in steps
    ]
    page.select_option('#steps-row select[data-step="1"]', candidates[0])
    steps = [steps[0], candidates[0], *steps[2:]]
    url = report_url("funnel-conversion") + "?" + "&".join(f"steps={s}" for s in steps)
    drawn(page, url)
    api = assert_page_matches_api(page, server, url)
    assert api["options"]["steps"] == steps
    bars = page.eval_on_selector_all(".funnel-step", "(ls) => ls.map((l) => l.dataset.step)")
    assert bars == steps
    last = next(e for e in api["elements"] if e["id"] == steps[-1])
    total = page.locator(".funnel-total")
    assert json.loads(total.get_attribute("data-value") or "") == last["funnel_rate_start"]
    assert total.locator("strong").text_content() == written("share", last["funnel_rate_start"])


def test_an_error_names_the_control_and_clears_the_figures(page: Page, server: Server) -> None:
    open_map(page, server)
    assert page.locator("g.node [data-figure]").count() > 0
    page.fill("#to", "2026-01-01")
    drawn(page, report_url("contact-flow", to="2026-01-01", tz="UTC"))
    page.fill("#from", "2026-02-01")
    page.wait_for_selector("#alert:not([hidden])")
    assert page.text_content("#alert") == (
        "“First entry from” is after “to”: pick a start day on or before the end day."
    )
    assert page.locator("g.node [data-figure]").count() == 0
    assert page.get_attribute("#canvas", "data-url") == ""


def test_a_connector_has_a_hover_card(page: Page, server: Server) -> None:
    open_map(page, server)
    api = server.json(report_url("contact-flow"))
    large_no = next(c for c in api["connectors"] if c["id"] == "large-no")
    label = 'g.edge-label[data-connector="large-no"]'
    page.focus(label)
    page.hover(label)
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert card.get_attribute("data-connector") == "large-no"
    assert card.locator(".card-name").text_content() == (
        "Company of 50 people or more? → Until Thursday 15:00 New York time"
    )
    cells = card.locator("tr[data-figure] td")
    shown = {
        card.locator("tr[data-figure]").nth(i).get_attribute("data-figure"): cells.nth(i)
        for i in range(cells.count())
    }
    assert set(shown) == {"contacts", "share"}
    assert shown["contacts"].text_content() == f"{large_no['contacts']:,}"
    assert shown["share"].text_content() == written("share", large_no["share"])


def test_utm_choices_follow_the_other_filters(page: Page, server: Server) -> None:
    open_map(page, server)
    page.select_option("#utm-source", "google")
    drawn(page, report_url("contact-flow", utm_source="google"))
    narrowed = server.json(f"/api/maps/{MAP}/utm-values?utm_source=google")
    everyone = server.json(f"/api/maps/{MAP}/utm-values")
    assert narrowed["medium"] != everyone["medium"]
    # by hand: google's contacts split by medium add up to google's count in the source list
    google = next(v["contacts"] for v in everyone["source"] if v["value"] == "google")
    assert sum(v["contacts"] for v in narrowed["medium"]) == google
    expected = ["", *(v["value"] for v in narrowed["medium"])]
    page.wait_for_function(
        "(want) => JSON.stringify([...document.querySelectorAll('#utm-medium option')]"
        ".map((o) => o.value)) === JSON.stringify(want)",
        arg=expected,
    )


def test_the_page_works_at_390_pixels(browser: Browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="UTC")
    p = context.new_page()
    try:
        sign_in(p, server)
        p.goto(server.base + f"/#/maps/{MAP}?report=contact-flow")
        drawn(p, report_url("contact-flow"))
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        box = p.locator("#canvas").bounding_box()
        assert box is not None
        assert box["width"] <= 390
        assert box["height"] >= 300
        assert p.get_attribute("#canvas", "data-scale") == "1.0000"
    finally:
        context.close()


def test_the_roi_table_fits_its_panel_at_1280_pixels(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, server)
    for field in ("source", "medium", "campaign"):
        page.click(f'.roi-tabs button[data-field="{field}"]')
        page.wait_for_selector(f'.roi[data-field="{field}"]')
        table, panel = page.eval_on_selector(
            ".roi-body", "(b) => [b.querySelector('.roi').scrollWidth, b.clientWidth]"
        )
        assert table <= panel, field
    note = page.locator(".roi-note")
    assert note.get_attribute("data-basis") == "whole"
    page.select_option("#utm-medium", "cpc")
    page.wait_for_selector('.roi-note[data-basis="cohort_share"]')
    assert note.text_content().startswith("Cost under a UTM filter: each value's cost times")


def test_split_tests_and_time_to_goal_beside_the_map(page: Page, server: Server) -> None:
    open_map(page, server)
    page.select_option("#report", "split-test")
    url = report_url("split-test", goal="g-customer")
    drawn(page, url)
    api = server.json(url)
    splits = [e for e in api["elements"] if e.get("split_contacts") is not None]
    assert splits
    for s in splits:
        shown = page.get_attribute(f'.split-test[data-split="{s["id"]}"] .verdict', "data-verdict")
        assert shown == s["split_verdict"]
        text = page.text_content(f'.split-test[data-split="{s["id"]}"] .verdict')
        assert text == s["split_verdict_text"]
        rows = page.eval_on_selector_all(
            f'.split-test[data-split="{s["id"]}"] tbody tr',
            "(rs) => rs.map((r) => r.dataset.connector)",
        )
        assert rows == [c["id"] for c in api["connectors"] if c["from"] == s["id"]]
    page.select_option("#report", "time-to-goal")
    url = report_url("time-to-goal", goal="g-customer")
    drawn(page, url)
    api = server.json(url)
    followed = [e["id"] for e in api["elements"] if e["time_to_goal_n"] and e["id"] != "g-customer"]
    drawn_curves = lambda: page.eval_on_selector_all(  # noqa: E731
        ".km-chart path.km", "(ps) => ps.map((p) => p.dataset.element)"
    )
    assert drawn_curves() == followed[:3]
    page.check(f'.km-pick input[data-element="{followed[3]}"]')
    assert drawn_curves() == [*followed[:3], followed[3]]
    page.uncheck(f'.km-pick input[data-element="{followed[0]}"]')
    assert drawn_curves() == [*followed[1:3], followed[3]]
    # one step per point of the curve the API gives
    d = page.get_attribute(f'.km-chart path.km[data-element="{followed[3]}"]', "d") or ""
    assert d.count("H") == len(api["curves"][followed[3]]) - 1


def test_an_elements_card_shows_its_figure_by_week(page: Page, server: Server) -> None:
    open_map(page, server)
    page.focus('g.node[data-element="g-customer"]')  # focus brings it into view and shows its card
    page.wait_for_selector("#card .trend[data-periods]")
    figure = page.get_attribute("#card .trend", "data-figure")
    assert figure == "were_here"
    trend = server.json(
        f"/api/maps/{MAP}/reports/contact-flow/trend?figure=were_here&element=g-customer&period=week"
    )
    bars = page.eval_on_selector_all(
        "#card .trend rect",
        "(rs) => rs.map((r) => [r.dataset.period, JSON.parse(r.dataset.value)])",
    )
    assert bars == [[r["period"], r["value"]] for r in trend["rows"]]
    assert sum(v for _, v in bars) == trend["overall"]


def test_bottleneck_settings_on_the_page(page: Page, server: Server) -> None:
    open_map(page, server)
    page.select_option("#report", "bottlenecks")
    drawn(page, report_url("bottlenecks"))
    assert page.is_hidden("#attribution")
    page.fill("#stall-days", "3")
    page.press("#stall-days", "Enter")
    url = report_url("bottlenecks", stall_days="3")
    drawn(page, url)
    api = assert_page_matches_api(page, server, url)
    assert api["options"] == {"grace_days": 1.0, "stall_days": 3.0}
    marked = page.eval_on_selector_all(
        "g.node.bottleneck", "(ns) => ns.map((n) => n.dataset.element)"
    )
    assert sorted(marked) == sorted(e["id"] for e in api["elements"] if e.get("bottleneck_rank"))
    red = page.eval_on_selector_all(
        "g.edge-label.bottleneck", "(ls) => ls.map((l) => l.dataset.connector)"
    )
    assert red  # contacts sit at the goals for more than 3 days after arriving
    assert sorted(red) == sorted(c["id"] for c in api["connectors"] if c.get("drop_off_rank"))
