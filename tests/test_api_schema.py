"""The OpenAPI schema: schemathesis exercises every operation; the settings are all documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.tokens import Scope, create_token
from journeymap.clock import ManualClock
from journeymap.model.loading import parse_map
from test_api_support import SECRET, served, welcome_map

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "api.md"
EXAMPLES = 5
"""Examples per operation and phase: enough to reach every check, few enough to stay quick."""


def test_schemathesis_with_every_check_finds_no_failure(tmp_path: Path, clock: ManualClock) -> None:
    """`schemathesis run --checks all` (schemathesis.toml, every phase) over a served store."""
    jm = journeymap.open(tmp_path / "schema.duckdb", clock=clock)
    token = create_token(jm.store, clock, Scope.write)
    jm.add_map(parse_map(welcome_map()))
    app = create_app(jm, Settings(tracking_secret=SECRET, max_body_bytes=20_000))
    try:
        with served(app) as url:
            run = subprocess.run(
                [
                    str(Path(sys.executable).parent / "schemathesis"),
                    "run",
                    f"{url}/api/openapi.json",
                    "--checks",
                    "all",
                    "--max-examples",
                    str(EXAMPLES),
                    "--seed",
                    "1",
                    "--generation-deterministic",
                    "--header",
                    f"Authorization: Bearer {token}",
                ],
                cwd=ROOT,  # where schemathesis.toml is
                capture_output=True,
                text=True,
                env={**os.environ, "NO_COLOR": "1"},
                check=False,
            )
    finally:
        jm.close()
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    assert run.returncode == 0, run.stdout[-6000:]
    assert "Failures:" not in summary
    assert "Tested: 38" in summary


def test_every_setting_is_documented_in_docs_api_md() -> None:
    text = DOCS.read_text("utf-8")
    missing = [
        name
        for name in Settings.model_fields
        if f"`{name}`" not in text or f"`JOURNEYMAP_{name.upper()}`" not in text
    ]
    assert missing == []
