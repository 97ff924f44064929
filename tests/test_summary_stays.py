"""The stays summary behind Bottlenecks, kept at append time by the engine and the import, gives
the figures plain Python finds in the raw transitions and waits, and agrees with a rebuild."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.model import parse_map
from journeymap.model.map import AutomationMap
from test_engine_support import at
from test_import_support import JOURNEY, write
from test_reports_properties import Step, _play, maps, traffic

US = 1_000_000
DAY_US = 86_400 * US
GRACE_DAYS, STALL_DAYS = 0.01, 0.5


@dataclass
class _Stay:
    """One stay as the definition reads: its start, first arrival, end and arrivals along
    connectors."""

    start: int
    arrived_seq: int
    left: int | None = None
    exit: bool = False
    along: list[tuple[str, int]] = field(default_factory=list)


def _us(t: datetime) -> int:
    return (t - datetime(1970, 1, 1, tzinfo=t.tzinfo)) // timedelta(microseconds=1)


def _configured(m: AutomationMap) -> dict[str, int | None]:
    """Per element, the dwell the map sets: none for goals, ends and waits until a date, a wait's
    duration, else 0."""
    out: dict[str, int | None] = {}
    for e in m.elements:
        duration = getattr(e, "duration", None)
        if e.kind in ("goal", "end") or (e.kind == "wait" and duration is None):
            out[e.id] = None
        else:
            out[e.id] = 0 if duration is None else duration // timedelta(microseconds=1)
    return out


def _stays(jm: journeymap.Journeymap, map_id: str) -> dict[tuple[str, str], list[_Stay]]:
    """Every stay of every contact who entered the map, walking its moves in sequence order."""
    con = jm.store._con  # type: ignore[attr-defined]
    rows = con.execute(
        "SELECT contact_id, seq, from_element, to_element, connector_id, kind, occurred_at "
        "FROM transitions WHERE map_id = ? ORDER BY seq",
        [map_id],
    ).fetchall()
    entered = {r[0] for r in rows if r[5] == "enter"}
    stays: dict[tuple[str, str], list[_Stay]] = {}
    for contact, seq, src, dst, connector, kind, when in rows:
        if contact not in entered:
            continue
        t = _us(when)
        if src is not None:
            here = stays.get((contact, src), [])
            if here and here[-1].left is None:
                here[-1].left, here[-1].exit = t, kind == "exit"
        if dst is not None:
            here = stays.setdefault((contact, dst), [])
            if not here or here[-1].left is not None:
                here.append(_Stay(t, seq))
            stay = here[-1]
            stay.start = min(stay.start, t)
            if connector is not None:
                stay.along.append((connector, t))
    return stays


def _quantile_s(values: list[int], q: Fraction) -> float:
    """The q quantile of the values (microseconds), interpolated as numpy does, in seconds."""
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return float((v[lo] + (v[hi] - v[lo]) * (pos - lo)) / US)


def _reference(jm: journeymap.Journeymap, m: AutomationMap, now: datetime) -> dict[str, Any]:
    """Bottlenecks per element and connector, from the raw facts in plain Python."""
    con = jm.store._con  # type: ignore[attr-defined]
    due = {
        (c, e, s): _us(d)
        for c, e, s, d in con.execute(
            "SELECT contact_id, element_id, arrived_seq, due_at FROM waits WHERE map_id = ?",
            [m.id],
        ).fetchall()
    }
    own = _configured(m)
    ends = {e.id for e in m.elements if e.kind == "end"}
    grace, stall, t_now = round(GRACE_DAYS * DAY_US), round(STALL_DAYS * DAY_US), _us(now)
    done: dict[str, list[int]] = {}
    conf: dict[str, list[int]] = {}
    stuck: dict[str, set[str]] = {}
    seen: dict[str, set[str]] = {}
    dropped: dict[str, set[str]] = {}
    for (contact, element), stays in _stays(jm, m.id).items():
        for s in stays:
            wait = due.get((contact, element, s.arrived_seq))
            c = max(wait - s.start, 0) if wait is not None else own.get(element)
            if c is not None:
                conf.setdefault(element, []).append(c)
            if s.left is not None:
                done.setdefault(element, []).append(s.left - s.start)
            elif c is not None and t_now - s.start > c + grace:
                stuck.setdefault(element, set()).add(contact)
            if element in ends:
                continue
            for connector, t in s.along:
                seen.setdefault(connector, set()).add(contact)
                still = (s.left if s.left is not None else t_now) - t
                if s.exit or still > (c or 0) + stall:
                    dropped.setdefault(connector, set()).add(contact)
    elements = {}
    for e in m.elements:
        mine = own[e.id]
        setting = None if mine is None else mine / US
        elements[e.id] = (
            len(done.get(e.id, [])),
            _quantile_s(done[e.id], Fraction(1, 2)) if e.id in done else None,
            _quantile_s(done[e.id], Fraction(9, 10)) if e.id in done else None,
            _quantile_s(conf[e.id], Fraction(1, 2)) if e.id in conf else setting,
            len(stuck.get(e.id, ())),
        )
    connectors = {c.id: len(dropped.get(c.id, ())) for c in m.connectors if c.to not in ends}
    return {"elements": elements, "connectors": connectors}


def _reported(jm: journeymap.Journeymap, m: AutomationMap) -> dict[str, Any]:
    r = jm.report("bottlenecks", map_id=m.id, grace_days=GRACE_DAYS, stall_days=STALL_DAYS)
    elements = {
        e.id: (e.dwell_n, e.dwell_median_s, e.dwell_p90_s, e.dwell_configured_s, e.stuck)
        for e in r.elements
    }
    connectors = {c.id: c.drop_off for c in r.connectors if c.drop_off is not None}
    return {"elements": elements, "connectors": connectors}


def _stay_rows(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """rs_stay by names instead of keys (which a rebuild numbers afresh)."""
    con = jm.store._con  # type: ignore[attr-defined]
    return sorted(
        con.execute(
            "SELECT m.contact_id, m.map_id, e.name, c.name, s.ce, s.u1, s.arrived_seq, s.stay_us, "
            "s.at_us, s.left_us, s.left_exit, s.due_us "
            "FROM rs_stay s JOIN rs_member m USING (mk) JOIN rs_key e ON e.k = s.ek "
            "LEFT JOIN rs_key c ON c.k = s.ck"
        ).fetchall(),
        key=repr,
    )


Visit = tuple[int, int, int]
"""(contact, element index in JOURNEY, minutes after the contact's previous visit)."""
visits = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 600)), max_size=12)


def _rows(given: list[Visit], base: int, exits: set[int]) -> list[dict[str, Any]]:
    """Visit rows for import: each contact's visits in order from `base` minutes; a contact in
    `exits` leaves the map after its last visit."""
    names = [e["id"] for e in JOURNEY["elements"]]  # type: ignore[index]
    clock: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    for who, element, gap in given:
        clock[who] = clock.get(who, base) + gap + 1
        rows.append(
            {
                "contact_id": f"i{who}",
                "element_id": names[element],
                "entered_at": at(clock[who]).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )
    for who in exits & set(clock):
        last = max(i for i, r in enumerate(rows) if r["contact_id"] == f"i{who}")
        rows[last]["left_at"] = at(clock[who] + 30).strftime("%Y-%m-%dT%H:%M:%SZ")
    return rows


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    m=maps(),
    steps=traffic,
    first=visits,
    later=visits,
    exits=st.sets(st.integers(0, 3)),
)
def test_stays_match_the_raw_facts_after_engine_traffic_and_imports(
    tmp_path_factory: Any,
    m: AutomationMap,
    steps: list[Step],
    first: list[Visit],
    later: list[Visit],
    exits: set[int],
) -> None:
    tmp: Path = tmp_path_factory.mktemp("stays")
    now = at(days=60)
    journey = parse_map(JOURNEY)
    with journeymap.open(":memory:", clock=ManualClock(now)) as jm:
        jm.add_map(journey)
        jm.add_map(m)
        _play(jm, m, steps)  # c0..c4 sign up: they enter both maps, and wait on the journey's
        if first:
            jm.import_files([write(tmp / "first.csv", _rows(first, 0, exits))], map_id="journey")
        if later:  # the same contacts and new ones, after everything the first file holds
            rows = _rows(later, 10_000, set())
            jm.import_files([write(tmp / "later.csv", rows)], map_id="journey")
        for each in (m, journey):
            assert _reported(jm, each) == _reference(jm, each, now)
        kept = _stay_rows(jm)
        jm.store.rebuild_summaries()
        assert _stay_rows(jm) == kept
