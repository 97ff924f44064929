"""On random valid maps and event streams, recorded moves replay exactly to the live positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.elements import Goto
from journeymap.model.map import AutomationMap
from journeymap.model.validation import problems
from test_engine_support import T0

CONTACTS = ("c0", "c1", "c2", "c3")
KINDS = ("goal", "action", "wait", "condition", "split", "fork", "goto", "end")
EVENTS: tuple[dict[str, Any], ...] = (
    {"on": "form_submitted", "form": "signup"},
    {"on": "form_submitted", "form": "demo"},
    {"on": "purchase"},
    {"on": "tag_added", "tag": "vip"},
    {"on": "tag_removed", "tag": "vip"},
    {"on": "field_updated", "field": "plan", "value": "pro"},
)
ACTIONS: tuple[dict[str, Any], ...] = (
    {"type": "add_tag", "tag": "vip"},
    {"type": "remove_tag", "tag": "vip"},
    {"type": "update_field", "field": "plan", "value": "pro"},
    {"type": "send_email", "message": {"subject": "hi"}},
)
RULES: tuple[dict[str, Any], ...] = (
    {"tag": "vip", "op": "has"},
    {"field": "plan", "op": "eq", "value": "pro"},
)


@dataclass
class _Builder:
    """Grows a map from open outgoing slots, so every element is reachable and counts fit."""

    elements: list[dict[str, Any]] = field(default_factory=list)
    connectors: list[dict[str, Any]] = field(default_factory=list)
    slots: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def new(self, draw: st.DrawFn, kind: str) -> str:
        eid = f"{kind[:2]}{len(self.elements)}"
        body: dict[str, Any] = {"id": eid, "kind": kind}
        out: list[dict[str, Any]] = []
        if kind == "trigger":
            body["event"] = draw(st.sampled_from(EVENTS))
            body["reentry"] = draw(st.sampled_from(["always", "not_while_on_map", "once"]))
            out = [{}]
        elif kind == "goal":
            body["event"] = draw(st.sampled_from(EVENTS))
            out = [{}] if draw(st.booleans()) else []
        elif kind == "action":
            body["action"] = draw(st.sampled_from(ACTIONS))
            out = [{}]
        elif kind == "wait":
            body["duration"] = f"PT{draw(st.sampled_from([0, 30, 60, 120]))}M"
            out = [{}]
        elif kind == "condition":
            body["rule"] = draw(st.sampled_from(RULES))
            out = [{"label": "yes"}, {"label": "no"}]
        elif kind == "split":
            first = draw(st.integers(1, 99))
            out = [{"weight": first}, {"weight": 100 - first}]
        elif kind == "fork":
            out = [{}] * draw(st.integers(2, 3))
        elif kind == "goto":
            targets = [
                e["id"] for e in self.elements if e["kind"] not in ("trigger", "goal", "goto")
            ]
            assume(targets)
            body["target"] = draw(st.sampled_from(targets))
        elif kind == "end":
            body["exit"] = draw(st.booleans())
        self.elements.append(body)
        self.slots.extend((eid, extra) for extra in out)
        return eid

    def connect(self, src: str, dst: str, extra: dict[str, Any]) -> None:
        cid = f"k{len(self.connectors)}"
        self.connectors.append({"id": cid, "from": src, "to": dst, **extra})


@st.composite
def maps(draw: st.DrawFn, most_elements: int = 8, most_doors: int = 2) -> AutomationMap:
    """A small random map that passes validation."""
    b = _Builder()
    b.new(draw, "trigger")
    for _ in range(draw(st.integers(0, most_doors))):
        b.new(draw, draw(st.sampled_from(["trigger", "goal"])))
    budget = draw(st.integers(2, most_elements))
    while b.slots:
        src, extra = b.slots.pop(draw(st.integers(0, len(b.slots) - 1)))
        # joining an existing wait, goal or end never makes a loop without a wait or goal
        joinable = [
            e["id"] for e in b.elements if e["kind"] in ("wait", "goal", "end") and e["id"] != src
        ]
        if joinable and (budget <= 0 or draw(st.integers(0, 3)) == 0):
            b.connect(src, draw(st.sampled_from(joinable)), extra)
            continue
        kind = draw(st.sampled_from(KINDS)) if budget > 0 else "end"
        budget -= 1
        b.connect(src, b.new(draw, kind), extra)
    m = AutomationMap.model_validate(
        {"id": "m", "elements": b.elements, "connectors": b.connectors}
    )
    assume(not problems(m))
    return m


@st.composite
def streams(draw: st.DrawFn) -> list[tuple[int, str, str, dict[str, Any]]]:
    """(minutes after T0, event/tick/restart, contact, event settings), in time order."""
    ops = []
    now = 0
    for _ in range(draw(st.integers(1, 14))):
        now += draw(st.sampled_from([0, 0, 10, 30, 60, 120]))
        what = draw(st.sampled_from(["event", "event", "event", "tick", "restart"]))
        ops.append((now, what, draw(st.sampled_from(CONTACTS)), draw(st.sampled_from(EVENTS))))
    return ops


def _event(contact: str, minutes: int, spec: dict[str, Any]) -> Event:
    when = T0 + timedelta(minutes=minutes)
    kind = spec["on"]
    if kind == "purchase":
        return Event(kind, contact, when, amount=Decimal("9.50"))
    settings_ = {k: v for k, v in spec.items() if k != "on"}
    return Event(kind, contact, when, **settings_)


def _replay(
    m: AutomationMap, rows: list[dict[str, Any]], achieved: list[dict[str, Any]]
) -> dict[str, set[str]]:
    """Positions per contact from the recorded moves as set operations, checking each move."""
    by_id = m.element_by_id
    connectors = {c.id: c for c in m.connectors}
    held: dict[str, set[str]] = {c: set() for c in CONTACTS}
    last_from: dict[str, str | None] = {}
    pending = list(achieved)
    for r in rows:
        while pending and pending[0]["seq"] < r["seq"]:
            a = pending.pop(0)
            # a goal is achieved where the contact is: at the goal it entered, was pulled to or
            # waited at
            assert a["goal_id"] in held[a["contact_id"]], a
        contact, src, dst, cid, kind = (
            r["contact_id"],
            r["from_element"],
            r["to_element"],
            r["connector_id"],
            r["kind"],
        )
        here = held[contact]
        if kind == "enter":
            assert src is None
            assert cid is None
            assert by_id[dst].kind in ("trigger", "goal")
        else:
            # a fork's branches all leave the one fork position, one move after another
            sibling = last_from.get(contact) == src and by_id[src].kind == "fork"
            assert src in here or sibling, f"{contact} moved from {src!r} it does not hold: {r}"
            here.discard(src)
            if kind == "flow":
                c = connectors[cid]
                assert (c.from_, c.to) == (src, dst)
            else:
                assert cid is None
            if kind == "pull":
                assert by_id[dst].kind == "goal"
            elif kind == "goto":
                goto = by_id[src]
                assert isinstance(goto, Goto)
                assert goto.target == dst
            elif kind == "exit":
                assert dst is None
            else:
                assert kind == "flow", kind
        if dst is not None:
            here.add(dst)
        last_from[contact] = src
    assert all(a["goal_id"] in held[a["contact_id"]] for a in pending)
    return held


def _facts(jm: journeymap.Journeymap) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = jm.store.query("engine_transitions", {"map_id": "m", "contact_id": None})
    return rows, jm.store.query("engine_achievements", {"map_id": "m"})


def _live(jm: journeymap.Journeymap) -> dict[str, set[str]]:
    return {c: set(jm.engine.state_of(c, "m").positions) for c in CONTACTS}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(m=maps(), ops=streams())
def test_recorded_moves_replay_to_the_live_positions(
    m: AutomationMap, ops: list[tuple[int, str, str, dict[str, Any]]]
) -> None:
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        jm.add_map(m)
        for minutes, what, contact, spec in ops:
            if what == "event":
                jm.track(_event(contact, minutes, spec))
            elif what == "tick":
                jm.tick(T0 + timedelta(minutes=minutes))
            else:
                jm.reload()
        replayed = _replay(m, *_facts(jm))
        assert replayed == _live(jm)
        jm.reload()
        assert replayed == _live(jm)
        # and the restarted engine moves on exactly as recorded: release everything still due
        jm.tick(T0 + timedelta(days=30))
        assert _replay(m, *_facts(jm)) == _live(jm)


def _all_facts(jm: journeymap.Journeymap) -> dict[str, Any]:
    """Every fact the engine writes, and every contact's live positions."""
    jm.engine.flush()
    facts: dict[str, Any] = {
        "engine_transitions": jm.store.query(
            "engine_transitions", {"map_id": None, "contact_id": None}
        ),
        "engine_achievements": jm.store.query("engine_achievements", {"map_id": None}),
    }
    for q in ("engine_entries", "engine_waits", "engine_email_events"):
        facts[q] = jm.store.query(q)
    facts["contacts"] = [jm.store.query("contact", {"contact_id": c}) for c in CONTACTS]
    facts["live"] = {c: jm.engine.state_of(c, "m").positions for c in CONTACTS}
    return facts


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(
    m=maps(),
    ops=streams(),
    capacity=st.sampled_from([0, 1, 2]),
    flush_every=st.sampled_from([1, 3, 1_000]),
)
def test_a_cache_smaller_than_the_contacts_writes_the_same_facts(
    m: AutomationMap,
    ops: list[tuple[int, str, str, dict[str, Any]]],
    capacity: int,
    flush_every: int,
) -> None:
    """Contacts evicted from the engine's memory reload exactly from its state file: the same
    moves, achievements, entries, waits and emails as an engine that holds every contact."""

    def bounded(jm: journeymap.Journeymap) -> None:
        jm.engine.cache.capacity = capacity
        jm.engine.flush_every = flush_every

    with (
        journeymap.open(":memory:", clock=ManualClock(T0)) as whole,
        journeymap.open(":memory:", clock=ManualClock(T0)) as small,
    ):
        whole.add_map(m)
        small.add_map(m)
        bounded(small)
        for minutes, what, contact, spec in ops:
            if what == "event":
                whole.track(_event(contact, minutes, spec))
                small.engine.apply(_event(contact, minutes, spec))
            elif what == "tick":
                whole.tick(T0 + timedelta(minutes=minutes))
                small.engine.tick(T0 + timedelta(minutes=minutes))
            else:
                whole.reload()
                small.reload()
                bounded(small)
        small.engine.flush()
        assert len(small.engine.cache) <= capacity  # the rest were let go and reloaded
        assert _all_facts(small) == _all_facts(whole)
        # waits still pending release alike
        whole.tick(T0 + timedelta(days=30))
        small.engine.tick(T0 + timedelta(days=30))
        assert _all_facts(small) == _all_facts(whole)
