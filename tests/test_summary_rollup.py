"""The flow rollup (rs_flow) equals one computed in plain Python from the facts after engine
micro-batches of several sizes and after imports, and Contact Flow read through it (date ranges
in time zones off UTC midnight, UTM filters) equals Contact Flow computed from the facts."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.model.map import AutomationMap
from test_engine_support import T0
from test_import_support import JOURNEY, add_journey, write
from test_reports_properties import Step, _flow_of, _play, _reference_flow, maps, traffic
from test_summary_batches import _MicroBatches

Group = tuple[Any, ...]
"""(map, kind, element or connector, five first-touch values, UTC day of first entry)"""
Sums = tuple[int, int, int, int, int]
"""(rows, visitors, here now, visits, left by connector)"""

ZONES = ("UTC", "Asia/Kolkata", "America/New_York")
"""UTC, +05:30 and -05:00: ranges whose bounds fall on UTC midnight, a half hour off it, hours
off it."""

UTM = ("source", "medium", "campaign", "content", "term")

SLOW = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
"""Each example plays a store's worth of traffic and runs a dozen reports."""


def _stored(jm: journeymap.Journeymap) -> dict[Group, Sums]:
    """rs_flow with names and UTM values instead of keys and codes."""
    con = jm.store._con  # type: ignore[attr-defined]
    rows = con.execute(
        "SELECT m.name, k.kind, k.name, u1.value, u2.value, u3.value, u4.value, u5.value, f.day, "
        "f.rows, f.visitors, f.here_now, f.visits, f.left_by_connector FROM rs_flow f "
        "JOIN rs_key k ON k.k = f.k JOIN rs_key m ON m.k = f.mapk "
        "JOIN rs_utm u1 ON u1.u = f.u1 JOIN rs_utm u2 ON u2.u = f.u2 "
        "JOIN rs_utm u3 ON u3.u = f.u3 JOIN rs_utm u4 ON u4.u = f.u4 JOIN rs_utm u5 ON u5.u = f.u5"
    ).fetchall()
    return {tuple(r[:9]): tuple(r[9:]) for r in rows}  # type: ignore[misc]


def _first_touch(jm: journeymap.Journeymap, contact: str) -> tuple[str, ...]:
    found = jm.store.query("contact", {"contact_id": contact})
    row = found[0] if found else {}
    return tuple(row.get(f"first_utm_{part}") or "(none)" for part in UTM)


def _reference(jm: journeymap.Journeymap, map_ids: list[str]) -> dict[Group, Sums]:
    """The rollup from the stored transitions and contacts alone: per member who entered, its
    elements (arrivals, last arrival and departure, departures along a connector) and
    connectors, summed per group."""
    out: dict[Group, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for map_id in map_ids:
        moves = jm.store.query("engine_transitions", {"map_id": map_id, "contact_id": None})
        entered: dict[str, datetime] = {}
        for r in moves:
            if r["kind"] == "enter":
                c = r["contact_id"]
                entered[c] = min(entered.get(c, r["occurred_at"]), r["occurred_at"])
        arrivals: dict[tuple[str, str], list[int]] = defaultdict(list)
        departures: dict[tuple[str, str], list[tuple[int, bool]]] = defaultdict(list)
        moved: set[tuple[str, str]] = set()
        for r in moves:
            c = r["contact_id"]
            if r["to_element"] is not None:
                arrivals[c, r["to_element"]].append(r["seq"])
            if r["from_element"] is not None:
                departures[c, r["from_element"]].append((r["seq"], r["connector_id"] is not None))
            if r["connector_id"] is not None:
                moved.add((c, r["connector_id"]))
        for c, e in set(arrivals) | set(departures):
            if c not in entered:
                continue
            day = (entered[c].astimezone(UTC).date() - date(1970, 1, 1)).days
            sums = out[(map_id, "element", e, *_first_touch(jm, c), day)]
            got, left = arrivals[c, e], departures[c, e]
            live = bool(got) and max(got) >= max((s for s, _ in left), default=-1)
            for i, n in enumerate((1, int(bool(got)), int(live), len(got))):
                sums[i] += n
            sums[4] += int(any(by for _, by in left))
        for c, k in moved:
            if c in entered:
                day = (entered[c].astimezone(UTC).date() - date(1970, 1, 1)).days
                out[(map_id, "connector", k, *_first_touch(jm, c), day)][0] += 1
    return {g: tuple(s) for g, s in out.items()}  # type: ignore[misc]


def _flows_agree(jm: journeymap.Journeymap, m: AutomationMap, start: date, days: int) -> None:
    """Contact Flow with and without a date range in each zone and a first-touch filter equals
    Contact Flow from the facts."""
    for utm in (None, "google", "(none)"):
        filters: dict[str, Any] = {} if utm is None else {"utm": {"source": utm}}
        assert _flow_of(jm.report("contact-flow", map_id=m.id, **filters)) == (
            _reference_flow(jm, m, utm, None)
        )
        for tz in ZONES:
            until = start + timedelta(days=days)
            report = jm.report(
                "contact-flow", map_id=m.id, date_range=(start, until), tz=tz, **filters
            )
            assert _flow_of(report) == _reference_flow(jm, m, utm, start, until=until, tz=tz)


@settings(SLOW, max_examples=20)
@given(
    m=maps(),
    steps=traffic,
    per=st.sampled_from([0, 1, 3, 7, 40]),
    start=st.integers(-1, 4),
    days=st.integers(0, 6),
)
def test_the_rollup_kept_through_micro_batches_equals_the_facts_and_so_do_the_flow_figures(
    m: AutomationMap, steps: list[Step], per: int, start: int, days: int
) -> None:
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        _play(jm if per == 0 else _MicroBatches(jm, per), m, steps)  # type: ignore[arg-type]
        jm.engine.flush()
        reference = _reference(jm, [m.id])
        assert _stored(jm) == reference
        _flows_agree(jm, m, T0.date() + timedelta(days=start), days)
        jm.store.rebuild_summaries()
        assert _stored(jm) == reference


Visit = tuple[int, list[int], int]
"""A contact's imported walk: contact number, elements of the journey by index, minutes apart."""

walks = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.lists(st.integers(0, len(JOURNEY["elements"]) - 1), min_size=1, max_size=5),  # type: ignore[arg-type]
        st.integers(1, 600),
    ),
    min_size=1,
    max_size=8,
)


def _visits(walks: list[Visit], start: datetime, seen: set[int]) -> list[dict[str, Any]]:
    """Visit rows for the walks, each contact's after `start` (one walk per contact)."""
    names = [e["id"] for e in JOURNEY["elements"]]  # type: ignore[attr-defined]
    rows = []
    for who, path, gap in walks:
        if who in seen:
            continue
        seen.add(who)
        when = start + timedelta(minutes=gap * (who + 1))
        for i in path:
            rows.append({"contact_id": f"c{who}", "element_id": names[i], "entered_at": when})
            when += timedelta(minutes=gap)
    for row in rows:
        row["entered_at"] = row["entered_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return rows


@settings(SLOW, max_examples=15)
@given(
    first=walks,
    later=walks,
    sources=st.lists(st.sampled_from(["google", "news", ""]), min_size=6, max_size=6),
    start=st.integers(-1, 4),
    days=st.integers(0, 6),
)
def test_the_rollup_built_by_imports_equals_the_facts_and_so_do_the_flow_figures(
    tmp_path_factory: Any,
    first: list[Visit],
    later: list[Visit],
    sources: list[str],
    start: int,
    days: int,
) -> None:
    tmp: Path = tmp_path_factory.mktemp("rollup")
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        add_journey(jm)
        jm.import_files([write(tmp / "a.csv", _visits(first, T0, set()))], map_id="journey")
        contacts = [
            {"contact_id": f"c{i}", "created_at": T0.isoformat(), "utm_source": s}
            for i, s in enumerate(sources)
            if s
        ]
        if contacts:  # first touch given after entry: every member's rows move
            jm.import_files([write(tmp / "contacts.csv", contacts)])
        again = _visits(later, T0 + timedelta(days=30), set())  # known members go on
        jm.import_files([write(tmp / "b.csv", again)], map_id="journey")
        reference = _reference(jm, ["journey"])
        assert _stored(jm) == reference
        _flows_agree(jm, jm.map("journey"), T0.date() + timedelta(days=start), days)
        jm.store.rebuild_summaries()
        assert _stored(jm) == reference
