"""Live positions after a repeated visit to the same element: reports, here-now lists, the engine's
positions and the waits it schedules, on fixed examples and on random maps and visit histories."""

from __future__ import annotations

import itertools
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.map import AutomationMap
from test_engine_support import build_map, end, goal, trigger, wait
from test_import_support import write
from test_reports_properties import maps
from test_reports_support import flow

LOOP = build_map(
    "loop",
    [trigger("t", on="purchase"), goal("g")],
    [("t-g", "t", "g")],
)
"""The issue's map: a purchase trigger t flowing into a purchase goal g."""

LOOP_VISITS = [
    {"contact_id": "a", "element_id": "t", "entered_at": "2026-01-01T00:00:00Z",
     "left_at": "2026-01-02T00:00:00Z"},
    {"contact_id": "a", "element_id": "g", "entered_at": "2026-01-02T00:00:00Z",
     "left_at": "2026-01-03T00:00:00Z"},
    {"contact_id": "a", "element_id": "g", "entered_at": "2026-01-03T00:00:00Z", "left_at": None},
    {"contact_id": "b", "element_id": "t", "entered_at": "2026-01-01T00:00:00Z",
     "left_at": "2026-01-02T00:00:00Z"},
    {"contact_id": "b", "element_id": "g", "entered_at": "2026-01-02T00:00:00Z", "left_at": None},
]  # fmt: skip

NOW = datetime(2026, 1, 10, tzinfo=UTC)


def _open(tmp: Path) -> journeymap.Journeymap:
    return journeymap.open(tmp / "live.duckdb", clock=ManualClock(NOW))


def _here_now(jm: journeymap.Journeymap, map_id: str, element: str) -> list[str]:
    page = jm.contacts(map_id, figure="here_now", element=element, limit=None)
    return [r.contact_id for r in page.rows]


def _moves_of(jm: journeymap.Journeymap, contact: str) -> list[tuple[Any, ...]]:
    rows = jm.store.query("engine_transitions", {"map_id": None, "contact_id": contact})
    return [(r["from_element"], r["to_element"], r["kind"], r["occurred_at"]) for r in rows]


def test_a_repeated_visit_to_a_goal_keeps_the_contact_there(tmp_path: Path) -> None:
    with _open(tmp_path) as jm:
        jm.add_map(LOOP)
        jm.import_files([write(tmp_path / "visits.csv", LOOP_VISITS)], map_id="loop")
        assert flow(jm.report("contact-flow", map_id="loop")) == {
            "t": (2, 0, 2),
            "g": (0, 2, 3),
        }
        assert _here_now(jm, "loop", "g") == ["b", "a"]  # by the arrival they stand on
        assert jm.contacts("loop", figure="were_here", element="g").total == 0
        demo = {
            r["element_id"]: r for r in jm.store.query("here_now_by_element", {"map_id": "loop"})
        }
        assert (demo["g"]["here_now"], demo["g"]["were_here"]) == (2, 0)
        # the engine carries on from a's live position: a purchase neither re-enters at t
        # nor achieves g again, since a already achieved it there
        pos = jm.engine.state_of("a", "loop").positions
        assert set(pos) == {"g"}
        assert pos["g"].achieved
        before = _moves_of(jm, "a")
        jm.track(Event("purchase", "a", NOW, amount=Decimal("5")))
        assert _moves_of(jm, "a") == before
        assert flow(jm.report("contact-flow", map_id="loop"))["g"] == (0, 2, 3)


def test_a_repeated_visit_to_a_wait_gets_its_release(tmp_path: Path) -> None:
    m = build_map(
        "hold",
        [trigger("t"), wait("w", duration="P1D"), end("e")],
        [("t-w", "t", "w"), ("w-e", "w", "e")],
    )
    visits = [
        {"contact_id": "a", "element_id": "t", "entered_at": "2026-01-01T00:00:00Z"},
        {"contact_id": "a", "element_id": "w", "entered_at": "2026-01-02T00:00:00Z"},
        {"contact_id": "a", "element_id": "w", "entered_at": "2026-01-03T00:00:00Z"},
    ]
    with _open(tmp_path) as jm:
        jm.add_map(m)
        jm.import_files([write(tmp_path / "visits.csv", visits)], map_id="hold")
        assert flow(jm.report("contact-flow", map_id="hold")) == {
            "t": (1, 0, 1),
            "w": (0, 1, 2),
            "e": (0, 0, 0),
        }
        due = datetime(2026, 1, 4, tzinfo=UTC)  # one day after the visit it stands on
        assert jm.engine.state_of("a", "hold").positions["w"].due_at == due
        overdue = jm.store.query("sim_overdue_waits", {"now": NOW})
        assert [(r["contact_id"], r["element_id"], r["due_at"]) for r in overdue] == [
            ("a", "w", due)
        ]
        assert jm.tick(NOW) == 1
        assert _moves_of(jm, "a")[-1] == ("w", "e", "flow", NOW)
        assert jm.store.query("sim_overdue_waits", {"now": NOW}) == []
        assert flow(jm.report("contact-flow", map_id="hold")) == {
            "t": (1, 0, 1),
            "w": (1, 0, 2),
            "e": (0, 1, 1),
        }


# --- random maps, random visit histories with repeated visits ------------------------------------

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@st.composite
def histories(draw: st.DrawFn, m: AutomationMap) -> list[dict[str, Any]]:
    """Visit rows for up to four contacts; each visit repeats the one before or goes anywhere."""
    ids = [e.id for e in m.elements]
    rows: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 4))):
        contact = f"c{n}"
        when = T0 + timedelta(minutes=n)
        path = [draw(st.sampled_from(ids))]
        for _ in range(draw(st.integers(0, 6))):
            path.append(path[-1] if draw(st.booleans()) else draw(st.sampled_from(ids)))
        for i, element in enumerate(path):
            rows.append(
                {
                    "contact_id": contact,
                    "element_id": element,
                    "entered_at": (when + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "left_at": None,
                }
            )
        if draw(st.booleans()):  # the last visit is over: the contact left the map
            left = when + timedelta(hours=len(path))
            rows[-1]["left_at"] = left.strftime("%Y-%m-%dT%H:%M:%SZ")
    return rows


def _expected(m: AutomationMap, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Where each contact stands (its last visit, unless that one has left_at), from the file."""
    by_contact = {
        c: list(vs) for c, vs in itertools.groupby(rows, key=lambda r: str(r["contact_id"]))
    }
    standing = {
        c: vs[-1]["element_id"] for c, vs in by_contact.items() if vs[-1]["left_at"] is None
    }
    figures = {}
    for e in m.elements:
        visitors = {c for c, vs in by_contact.items() if any(v["element_id"] == e.id for v in vs)}
        here = {c for c in visitors if standing.get(c) == e.id}
        visits = sum(1 for r in rows if r["element_id"] == e.id)
        figures[e.id] = (len(visitors) - len(here), len(here), visits)
    return {"standing": standing, "figures": figures}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), m=maps())
def test_live_positions_follow_repeated_visits_on_random_maps(
    data: st.DataObject, m: AutomationMap
) -> None:
    rows = data.draw(histories(m))
    expected = _expected(m, rows)
    with tempfile.TemporaryDirectory() as tmp:
        jm = _open(Path(tmp))
        try:
            jm.add_map(m)
            jm.import_files([write(Path(tmp) / "visits.csv", rows)], map_id=m.id)
            assert flow(jm.report("contact-flow", map_id=m.id)) == expected["figures"]
            for e in m.elements:
                here = {c for c, el in expected["standing"].items() if el == e.id}
                assert set(_here_now(jm, m.id, e.id)) == here
            demo = jm.store.query("here_now_by_element", {"map_id": m.id})
            assert {r["element_id"]: (r["were_here"], r["here_now"]) for r in demo} == {
                e: (w, h) for e, (w, h, v) in expected["figures"].items() if v
            }
            for contact in {str(r["contact_id"]) for r in rows}:
                standing = expected["standing"].get(contact)
                held = set(jm.engine.state_of(contact, m.id).positions)
                assert held == ({standing} if standing else set())
            incremental = jm.store.query("summary_snapshot")
            jm.store.rebuild_summaries()
            assert jm.store.query("summary_snapshot") == incremental
        finally:
            jm.close()
