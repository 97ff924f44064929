"""Take the builder's screenshots for docs/web.md, in Debian's Chromium.

Needs no demo data: it stores both prebuilt maps in a new store in a temporary folder, serves it
on 127.0.0.1 and edits the lifecycle map in the browser, saving a draft and publishing nothing:
    .venv/bin/python docs/images/take_builder_screenshots.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from take_screenshots import ARGS, HERE, serving, signed_in

import journeymap
from journeymap.api.tokens import Scope, create_token
from journeymap.model.loading import load_template


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
    page.click("#save-draft")
    page.wait_for_selector("#builder-version.draft-state")
    page.wait_for_timeout(300)
    page.screenshot(path=str(HERE / "builder-problems.png"))


def main() -> None:
    db = str(Path(tempfile.mkdtemp()) / "builder.duckdb")
    with journeymap.open(db) as jm:
        for name in ("lifecycle", "lifetime-value"):
            jm.add_map(load_template(name))
        token = create_token(jm.store, jm.clock, Scope.write)
    with serving(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        shots(signed_in(browser, base, token, 900), base)
        browser.close()


if __name__ == "__main__":
    main()
