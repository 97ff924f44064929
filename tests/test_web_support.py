"""Helpers for the browser tests: a real server over a small simulated store, and Chromium."""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

import journeymap
from journeymap.api.tokens import Scope, create_token
from journeymap.cli.demo import build_demo

SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
"""Where Debian, Ubuntu and Google put the browser; Playwright's own download is tried after."""
MISSING_BROWSER = (
    "The browser tests need Chromium: install Debian's package (apt-get install chromium) or "
    "Playwright's own browser (.venv/bin/playwright install chromium), or set "
    "JOURNEYMAP_CHROMIUM to a Chromium executable. Looked for: {places}."
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 20_000
"""How long a step may wait for the page (a bound on waiting, not a speed requirement)."""


@dataclass
class Server:
    """A running `journeymap serve` and the tokens made for it."""

    base: str
    write: str
    read: str

    def api(self, path: str, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.read}"}
        return httpx.get(self.base + path, headers=headers, timeout=30)

    def json(self, path: str) -> Any:
        response = self.api(path)
        assert response.status_code == 200, response.text
        return response.json()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def build_store(db: Path, contacts: int, seed: int) -> tuple[str, str]:
    """A demo store of `contacts` simulated contacts, its overdue waits released; two tokens."""
    build_demo(str(db), contacts=contacts, days=45, seed=seed, start=None)
    with journeymap.open(db) as jm:
        while jm.tick():  # what the server's scheduler would release at once
            pass
        return (
            create_token(jm.store, jm.clock, Scope.write),
            create_token(jm.store, jm.clock, Scope.read),
        )


@contextmanager
def running_server(db: Path) -> Iterator[str]:
    """`journeymap serve` on a free port of 127.0.0.1 until the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    script = "from journeymap.cli import app; app()"
    command = [sys.executable, "-c", script, "serve", "--db", str(db), "--port", str(port)]
    log = db.with_suffix(".log").open("w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))
    try:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(db.with_suffix(".log").read_text())
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def chromium_path(playwright_own: str) -> str:
    """The Chromium to drive: $JOURNEYMAP_CHROMIUM, the system's, or Playwright's download."""
    places = [os.environ.get("JOURNEYMAP_CHROMIUM", ""), *SYSTEM_CHROMIUMS, playwright_own]
    for place in places:
        if place and Path(place).is_file() and os.access(place, os.X_OK):
            return place
    raise RuntimeError(MISSING_BROWSER.format(places=", ".join(p for p in places if p)))


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(p.chromium.executable_path), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser) -> Page:
    """A laptop-sized page in UTC, so the page's days are the API's days."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


def sign_in(page: Page, server: Server, token: str | None = None) -> None:
    page.goto(server.base + "/")
    page.fill("#token", token or server.read)
    page.click("button[type=submit]")
    page.wait_for_selector(".map-card")


# --- how the page writes figures (mirrors static/figures.js) --------------------------------------

RATES = {
    "open_rate",
    "click_rate",
    "unsubscribe_rate",
    "conversion_rate",
    "funnel_rate_prev",
    "funnel_rate_start",
    "to_goal_rate",
    "conversion_point_share",
    "entered_at_goal_share",
    "share",
    "drop_off_rate",
    "branch_rate",
    "converted_by_30d",
}
MONEY = {"amount_spent", "average_spent"}
VERDICTS = {
    "too_small": "too early to call",
    "winner": "winner found",
    "control_wins": "control wins",
    "no_difference": "no winner yet",
}
ROI_PERCENT = {"roi"}
DURATIONS = {
    "conversion_time_mean_s",
    "conversion_time_median_s",
    "conversion_time_p90_s",
    "dwell_median_s",
    "dwell_p90_s",
    "dwell_configured_s",
    "dwell_over_s",
    "time_to_goal_median_s",
}


def js_fixed(value: float, digits: int) -> str:
    """Number.prototype.toFixed for the values the page shows (round half away from zero)."""
    scaled = abs(value) * 10**digits
    rounded = math.floor(scaled + 0.5)
    text = f"{rounded / 10**digits:.{digits}f}"
    return ("-" if value < 0 and rounded else "") + text


def written(name: str, value: Any) -> str:
    """The text the page writes for a figure's value."""
    if value is None:
        return "\u2013"  # the page writes an en dash for a figure with no value
    if name in RATES:
        return js_fixed(value * 100, 1) + "%"
    if name in MONEY:
        return ("-" if value < 0 else "") + f"${abs(value):,.2f}"  # the demo's currency: USD
    if name in DURATIONS:
        for limit, unit, div, digits in (
            (60, "s", 1, 0),
            (3600, "min", 60, 1),
            (86400, "h", 3600, 1),
        ):
            if abs(value) < limit:
                return f"{js_fixed(value / div, digits)} {unit}"
        return f"{js_fixed(value / 86400, 1)} d"
    if name == "split_verdict":
        return VERDICTS[value]
    if name == "bottleneck_rank":
        return f"#{value}"
    if name == "conversion_credit":  # an exact fraction, written to one decimal (half up)
        tenths = math.floor(Fraction(value) * 10 + Fraction(1, 2))
        return f"{tenths // 10:,}" + (f".{tenths % 10}" if tenths % 10 else "")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def drawn_figures(page: Page, selector: str, key: str) -> dict[str, dict[str, tuple[Any, str]]]:
    """Every figure drawn on elements (or connectors): id -> figure -> (value, text)."""
    found: dict[str, dict[str, list[str]]] = page.eval_on_selector_all(
        selector,
        f"""(nodes) => Object.fromEntries(nodes.map((n) => [n.dataset.{key},
            Object.fromEntries([...n.querySelectorAll('[data-figure]')].map(
                (f) => [f.dataset.figure, [f.dataset.value, f.querySelector('.fig-value')
                    ? f.querySelector('.fig-value').textContent : f.textContent]]))]))""",
    )
    return {
        oid: {name: (json.loads(v), text) for name, (v, text) in figs.items()}
        for oid, figs in found.items()
    }


# --- geometry of the drawn map (map units) -----------------------------------------------------

Box = tuple[float, float, float, float]
EPS = 1.0
"""Touching is allowed: boxes are shrunk by this much before asking whether they overlap."""


def _inside(box: Box, shrink: float = EPS) -> Box:
    x, y, w, h = box
    return x + shrink, y + shrink, w - 2 * shrink, h - 2 * shrink


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share more than an edge."""
    ax, ay, aw, ah = _inside(a, EPS / 2)
    bx, by, bw, bh = _inside(b, EPS / 2)
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def crosses(p: list[float], q: list[float], box: Box) -> bool:
    """Whether the segment p-q enters the inside of a box (Liang-Barsky clipping)."""
    x, y, w, h = _inside(box)
    dx, dy = q[0] - p[0], q[1] - p[1]
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, p[0] - x), (dx, x + w - p[0]), (-dy, p[1] - y), (dy, y + h - p[1])):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def within(inner: Box, outer: Box) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox - EPS and y >= oy - EPS and x + w <= ox + ow + EPS and y + h <= oy + oh + EPS
