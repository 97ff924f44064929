"""Take the builder's screenshots for docs/web.md, in Debian's Chromium.

Needs no demo data: it stores both prebuilt maps in a new store in a temporary folder, serves it
on 127.0.0.1 and edits the lifecycle map in the browser without publishing anything:
    .venv/bin/python docs/images/take_builder_screenshots.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

import journeymap
from journeymap.api.tokens import Scope, create_token
from journeymap.model.loading import load_template

HERE = Path(__file__).parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def shots(page: Page, base: str) -> None:
    page.goto(base + "/#/maps/lifecycle/edit")
    page.wait_for_selector(".b-node")
    page.click('.b-node[data-element="a-email-welcome"] .name')
    page.wait_for_selector("#check-state:not(:has-text('Checking'))")
    page.wait_for_timeout(300)
    page.screenshot(path=str(HERE / "builder.png"))
    page.click('.palette-item[data-kind="split"]')
    page.locator(".builder-canvas").evaluate("(c) => c.scrollTo(0, 0)")
    page.locator(".builder-map").click(position={"x": 840, "y": 420})
    page.wait_for_selector('.b-node[data-element="split-1"].has-problem')
    page.wait_for_timeout(300)
    page.screenshot(path=str(HERE / "builder-problems.png"))


def main() -> None:
    db = str(Path(tempfile.mkdtemp()) / "builder.duckdb")
    with journeymap.open(db) as jm:
        for name in ("lifecycle", "lifetime-value"):
            jm.add_map(load_template(name))
        token = create_token(jm.store, jm.clock, Scope.write)
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
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, timezone_id="UTC")
            page.goto(base + "/signin")
            page.fill("#token", token)
            page.click("button[type=submit]")
            page.wait_for_selector(".map-card")
            shots(page, base)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
