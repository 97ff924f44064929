"""The page in Chromium: sign-in is required, and figures follow new events without a reload."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from test_web_support import Server, build_store, chromium, new_page, running_server, sign_in

pytestmark = pytest.mark.xdist_group("browser")
"""Browser tests run one at a time on one test worker: Chromium and the server share its core."""

FLOW = "/api/maps/lifecycle/reports/contact-flow"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("web-live") / "demo.duckdb"
    write, read = build_store(db, contacts=300, seed=23)
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


def test_nothing_of_a_map_shows_without_signing_in(page: Page, server: Server) -> None:
    wanted = "#/maps/lifecycle?report=contact-flow"
    page.goto(server.base + "/" + wanted)
    assert page.url == server.base + "/signin" + wanted
    assert page.locator("g.node").count() == 0
    assert page.locator("#token").is_visible()
    page.fill("#token", server.read)
    page.click("button[type=submit]")  # signed in, the page opens the map that was asked for
    page.wait_for_selector(f'#canvas[data-url="{FLOW}"]', state="attached")
    assert page.url == server.base + "/" + wanted
    page.context.clear_cookies()
    for path in ("/api/maps", "/api/maps/lifecycle/layout", FLOW, "/api/maps/lifecycle/utm-values"):
        assert page.request.get(server.base + path).status == 401
    page.goto(server.base + "/")
    assert page.url == server.base + "/signin"


def test_an_unknown_token_is_refused_with_a_plain_message(page: Page, server: Server) -> None:
    page.goto(server.base + "/signin")
    page.fill("#token", "jm_not-a-real-token")
    page.click("button[type=submit]")
    message = page.locator(".form-error")
    assert message.text_content() == (
        "That token is not known here, or was revoked, or has expired. "
        "Make one with `journeymap token create`."
    )
    assert page.context.cookies() == []


def test_sign_in_sets_a_strict_http_only_session_and_sign_out_ends_it(
    page: Page, server: Server
) -> None:
    sign_in(page, server)
    (cookie,) = page.context.cookies()
    assert cookie["name"] == "jm_session"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert server.read not in cookie["value"]
    assert page.request.get(server.base + "/api/maps").status == 200
    page.click(".signout button")
    page.wait_for_url(server.base + "/signin")
    assert page.context.cookies() == []
    assert page.request.get(server.base + "/api/maps").status == 401


def test_cookie_writes_need_the_same_origin(page: Page, server: Server) -> None:
    sign_in(page, server, server.write)
    (cookie,) = page.context.cookies()
    jar = {"jm_session": cookie["value"]}
    event = {"kind": "tag_added", "contact_id": "csrf-probe", "tag": "x"}
    cross = httpx.post(
        server.base + "/api/events",
        json=event,
        cookies=jar,
        headers={"Origin": "http://evil.example"},
    )
    assert cross.status_code == 403
    assert cross.json()["error"]["code"] == "forbidden"
    assert httpx.post(server.base + "/api/events", json=event, cookies=jar).status_code == 403
    same = page.evaluate(
        """async (event) => (await fetch('/api/events', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify(event)})).status""",
        event,
    )
    assert same == 200
    forged = {"jm_session": "0" * 64 + "." + cookie["value"].split(".")[1]}
    assert httpx.get(server.base + "/api/maps", cookies=forged).status_code == 401


def test_figures_follow_new_events_without_a_reload(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(server.base + "/?poll=500#/maps/lifecycle?report=contact-flow")
    page.wait_for_selector(f'#canvas[data-url="{FLOW}"]', state="attached")
    figure = 'g.node[data-element="t-newsletter-signup"] [data-figure="were_here"]'
    before = server.json(FLOW)
    signed_up = next(e for e in before["elements"] if e["id"] == "t-newsletter-signup")
    page.wait_for_selector(f'{figure}[data-value="{signed_up["were_here"]}"]')
    first_computed = page.get_attribute(".computed", "data-computed-at")
    page.evaluate("window.notReloaded = true")

    for n in (1, 2):
        posted = httpx.post(
            server.base + "/api/events",
            json={"kind": "form_submitted", "contact_id": f"live-{n}", "form": "newsletter-signup"},
            headers={"Authorization": f"Bearer {server.write}"},
        )
        assert posted.json() == {
            "accepted": 1,
            "duplicates": 0,
            "applied": False,
            "dead_letters": [],
        }
    page.wait_for_selector(f'{figure}[data-value="{signed_up["were_here"] + 2}"]')

    assert page.evaluate("window.notReloaded") is True
    after = server.json(FLOW)
    now = next(e for e in after["elements"] if e["id"] == "t-newsletter-signup")
    assert now["were_here"] == signed_up["were_here"] + 2
    assert after["cohort_size"] == before["cohort_size"] + 2
    assert page.text_content(figure + " .fig-value") == f"{now['were_here']:,}"
    page.wait_for_selector(f'#status .cohort[data-value="{after["cohort_size"]}"]')
    assert page.get_attribute(".computed", "data-computed-at") != first_computed
