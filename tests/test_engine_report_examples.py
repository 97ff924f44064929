"""docs/reports.md's examples: the story it tells, run through the engine, prints its figures."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from test_email_support import deliver_emails
from test_engine_support import T0, action, add, end, form, goal, trigger, wait

DOC = (Path(__file__).resolve().parent.parent / "docs" / "reports.md").read_text("utf-8")
EXAMPLES = DOC[DOC.index("## Examples") : DOC.index("## Drill-down")]
GOOGLE = {"source": "google"}


def _documented() -> dict[str, dict[str, Any]]:
    """Each example's JSON, by report name."""
    found = re.findall(r"### ([a-z-]+)\n\n```json\n(.*?)```", EXAMPLES, flags=re.DOTALL)
    return {name: json.loads(body) for name, body in found}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> journeymap.Journeymap:
    """The examples' story, times worked out from their figures (see each step)."""
    clock = ManualClock(T0)
    jm = journeymap.open(tmp_path_factory.mktemp("examples") / "s.duckdb", clock=clock)
    add(
        jm,
        "welcome",
        [
            trigger("signup"),
            action("welcome-mail", "send_email", message={"subject": "Welcome"}),
            wait("wait-1d", duration="P1D"),
            goal("purchase"),
            end("done"),
        ],
        [
            ("c1", "signup", "welcome-mail"),
            ("c2", "welcome-mail", "wait-1d"),
            ("c3", "wait-1d", "purchase"),
            ("c4", "purchase", "done"),
        ],
    )
    jm.track(form("ann", T0, utm=GOOGLE, fields={"email": "ann@x.org"}))
    jm.track(form("bob", T0, fields={"email": "bob@x.org"}))
    jm.track(form("cat", T0, utm=GOOGLE, fields={"email": "cat@x.org"}))
    assert deliver_emails(jm) == {"delivered": 3}  # the SMTP server takes all three
    opened = T0 + timedelta(minutes=10)
    jm.track(Event("email_opened", "ann", opened, map_id="welcome", element_id="welcome-mail"))
    # Ann buys 40 an hour after signing up, pulled from the wait: 3,600 s
    jm.track(_buy("ann", 3_600, "40"))
    # the scheduler releases Bob and Cat 300 s after their day: they wait at the goal
    assert jm.tick(T0 + timedelta(seconds=86_400 + 300)) == 2
    # Bob buys 15 the next day: 172,500 s after signing up, 85,800 s after reaching the goal
    # (mean from signup (3,600 + 172,500) / 2 = 88,050; at the goal (0 + 85,800 + 0) / 3)
    jm.track(_buy("bob", 172_500, "15"))
    jm.track(_buy("dan", 180_000, "25"))  # never signed up: enters at the goal
    clock.set(T0.replace(day=10))  # 2026-01-10 09:00, the examples' computed_at
    return jm


def _buy(contact: str, seconds: int, amount: str) -> Event:
    return Event("purchase", contact, T0 + timedelta(seconds=seconds), amount=Decimal(amount))


@pytest.mark.parametrize("name", sorted(_documented()))
def test_each_example_prints_the_documented_figures(
    story: journeymap.Journeymap, name: str
) -> None:
    documented = _documented()[name]
    kwargs: dict[str, Any] = {"goal": documented["goal"]}
    if "steps" in documented["options"]:
        kwargs["steps"] = documented["options"]["steps"]
    got = json.loads(story.report(name, map_id="welcome", **kwargs).to_json())
    elements = {e["id"]: e for e in got.pop("elements")}
    connectors = {c["id"]: c for c in got.pop("connectors")}
    for e in documented.pop("elements"):
        assert elements[e["id"]] == e
    for c in documented.pop("connectors"):
        assert connectors[c["id"]] == c
    assert {k: got[k] for k in documented} == documented
