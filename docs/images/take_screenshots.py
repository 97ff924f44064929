"""Take the README's screenshots: one per report, from a demo store, in Debian's Chromium.

Run on a fresh demo store (the store is one file, so no other server may hold it):
    .venv/bin/journeymap demo --no-serve --db journeymap.duckdb
    .venv/bin/python docs/images/take_screenshots.py journeymap.duckdb
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

import journeymap
from journeymap.api.tokens import Scope, create_token

HERE = Path(__file__).parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# name -> (map, report, goal and options as a query, what to do once it is drawn)
SHOTS = {
    "contact-flow": ("lifecycle", "contact-flow", None, "card:a-email-welcome"),
    "contact-flow-branches": ("lifecycle", "contact-flow", None, "show:c-large-company"),
    "funnel-conversion": ("lifecycle", "funnel-conversion", None, "show:g-customer"),
    "lifetime-value": ("lifetime-value", "lifetime-value", None, "drill:t-guide-download"),
    "goal-conversion-rate": ("lifecycle", "goal-conversion-rate", "goal=g-repeat-buyer", None),
    "goal-conversion-point": ("lifecycle", "goal-conversion-point", "goal=g-customer", None),
    "goal-conversion-time": ("lifetime-value", "goal-conversion-time", None, "show:s-offer-test"),
    "attribution": (
        "lifecycle",
        "goal-conversion-point",
        "goal=g-customer&attribution=time-decay&half_life_days=7",
        "show:g-customer",
    ),
    "split-test": ("lifetime-value", "split-test", "goal=g-first-purchase", "show:s-offer-test"),
    "time-to-goal": ("lifecycle", "time-to-goal", "goal=g-customer", None),
    "bottlenecks": ("lifecycle", "bottlenecks", None, None),
    "trend": ("lifecycle", "goal-conversion-rate", "goal=g-customer", "card:g-customer"),
}


def shoot(page: Page, base: str, name: str, shot: tuple[str, str, str | None, str | None]) -> None:
    map_id, report, goal, extra = shot
    url = f"{base}/#/maps/{map_id}?report={report}" + (f"&{goal}" if goal else "")
    page.mouse.move(1, 1)  # no hover card left over from the shot before
    page.goto(url)
    page.wait_for_selector(f'#canvas[data-url*="/{map_id}/reports/{report}"]', state="attached")
    page.wait_for_selector(".roi tr[data-utm-value], .roi-body .empty")
    if extra and extra.startswith(("card:", "show:")):
        page.focus(f'g.node[data-element="{extra[5:]}"]')  # focus brings it into view
        if extra.startswith("show:"):
            page.evaluate("document.activeElement.blur()")
        else:  # the card shows the element's main figure by week of first entry
            page.wait_for_selector("#card .trend[data-periods]")
    elif extra and extra.startswith("drill:"):
        figure = f'g.node[data-element="{extra[6:]}"] .fig.door'
        page.focus(figure)
        page.click(figure)
        page.wait_for_selector("#drawer [data-total]")
    page.wait_for_timeout(400)
    page.screenshot(path=str(HERE / f"{name}.png"))


@contextmanager
def serving(db: str) -> Iterator[str]:
    """`journeymap serve` over the store on a free port of 127.0.0.1 until the block ends."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    script = "from journeymap.cli import app; app()"
    command = [sys.executable, "-c", script, "serve", "--db", db, "--port", str(port)]
    server = subprocess.Popen(command)  # noqa: S603 - this Python running journeymap
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def signed_in(browser: Browser, base: str, token: str, height: int) -> Page:
    """A page at 1,440 px wide, signed in with the token, on the list of maps."""
    page = browser.new_page(viewport={"width": 1440, "height": height}, timezone_id="UTC")
    page.goto(base + "/signin")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_selector(".map-card")
    return page


def main(db: str) -> None:
    with journeymap.open(db) as jm:
        token = create_token(jm.store, jm.clock, Scope.read)
    with serving(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = signed_in(browser, base, token, 960)
        page.screenshot(path=str(HERE / "maps.png"))
        for name, shot in SHOTS.items():
            shoot(page, base, name, shot)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "journeymap.duckdb")
