"""The simulator drives the real engine: its facts follow the maps and every figure derives."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.errors import JourneymapError
from journeymap.model.map import AutomationMap
from journeymap.sim import SimResult, Simulation
from test_sim_support import NURTURE, NURTURE_YAML, SHOP, START, load, replay

CONTACTS = 400
DAYS = 45


@dataclass
class Run:
    jm: journeymap.Journeymap
    result: SimResult
    maps: list[AutomationMap]


def simulate(path: Path, *, seed: int, contacts: int = CONTACTS, days: int = DAYS) -> Run:
    clock = ManualClock(START)
    jm = journeymap.open(path, clock=clock)
    maps = [jm.add_map(NURTURE), jm.add_map(SHOP)]
    sim = Simulation(jm.engine, clock, maps, contacts=contacts, days=days, seed=seed, start=START)
    return Run(jm, sim.run(), maps)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    r = simulate(tmp_path_factory.mktemp("sim") / "sim.duckdb", seed=11)
    yield r
    r.jm.close()


def test_same_seed_writes_the_same_facts(tmp_path: Path) -> None:
    rows = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        r = simulate(tmp_path / f"{name}.duckdb", seed=seed, contacts=120, days=20)
        rows.append([(x["fact"], x["row"]) for x in r.jm.store.query("sim_fact_rows")])
        r.jm.close()
    assert len(rows[0]) > 1000
    assert rows[0] == rows[1]
    assert rows[0] != rows[2]


def test_every_contact_arrives_within_the_period(run: Run) -> None:
    counts = {r["fact"]: r["n"] for r in run.jm.store.query("sim_fact_counts")}
    assert counts["contacts"] == CONTACTS == run.result.contacts
    assert run.result.end == START + timedelta(days=DAYS)
    visits = run.jm.store.query("sim_page_visits")
    assert max(v["occurred_at"] for v in visits) <= run.result.end
    assert min(v["occurred_at"] for v in visits) >= START


def test_every_move_follows_the_map(run: Run) -> None:
    by_id = {m.id: m for m in run.maps}
    kinds: Counter[str] = Counter()
    for t in run.jm.store.query("sim_transitions"):
        m = by_id[t["map_id"]]
        src, dst, kind = t["from_element"], t["to_element"], t["kind"]
        kinds[kind] += 1
        if kind == "enter":
            assert m.element_by_id[dst].kind in ("trigger", "goal")
            assert src is None
            assert t["connector_id"] is None
        elif kind == "flow":
            c = next(c for c in m.connectors if c.id == t["connector_id"])
            assert (c.from_, c.to) == (src, dst)
        elif kind == "pull":
            assert m.element_by_id[dst].kind == "goal"
            assert t["connector_id"] is None
        elif kind == "goto":
            goto = m.element_by_id[src]
            assert goto.kind == "goto"
            assert getattr(goto, "target", None) == dst
        else:
            assert kind == "exit"
            assert dst is None
            assert t["connector_id"] is None
    assert set(kinds) == {"enter", "flow", "pull", "goto", "exit"}


def test_positions_derive_from_the_moves(run: Run) -> None:
    forks = {e.id for m in run.maps for e in m.elements if e.kind == "fork"}
    held = replay(run.jm.store.query("sim_transitions"), forks)
    for (contact, map_id), where in held.items():
        assert set(run.jm.engine.state_of(contact, map_id).positions) == where
    for m in run.maps:
        here = Counter(e for (_c, mid), where in held.items() if mid == m.id for e in where)
        rows = run.jm.store.query("here_now_by_element", {"map_id": m.id})
        assert {r["element_id"]: r["here_now"] for r in rows if r["here_now"]} == dict(here)
        assert sum(here.values()) > 0


def test_no_contact_waits_past_its_due_time(run: Run) -> None:
    assert run.jm.store.query("sim_overdue_waits", {"now": run.result.end}) == []
    waits = {e.id for m in run.maps for e in m.elements if e.kind == "wait"}
    due = {
        (w["contact_id"], w["map_id"], w["element_id"], w["arrived_seq"]): w["due_at"]
        for w in run.jm.store.query("sim_waits")
    }
    # each release along a connector happens exactly at the due time of the arrival it ends
    last_arrival: dict[tuple[str, str, str], int] = {}
    released = 0
    for t in run.jm.store.query("sim_transitions"):
        if t["from_element"] in waits and t["kind"] == "flow":
            key = (t["contact_id"], t["map_id"], t["from_element"])
            assert due[(*key, last_arrival[key])] == t["occurred_at"]
            released += 1
        if t["to_element"] is not None:
            last_arrival[(t["contact_id"], t["map_id"], t["to_element"])] = t["seq"]
    assert released > 100


def test_contacts_come_from_a_mix_of_sources(run: Run) -> None:
    mix = {(r["source"], r["medium"]): r["contacts"] for r in run.jm.store.query("sim_utm_mix")}
    assert sum(mix.values()) == CONTACTS
    assert {("google", "cpc"), ("facebook", "paid_social"), ("(none)", "(none)")} <= set(mix)
    assert len({source for source, _ in mix}) >= 6


def test_purchases_include_refunds_of_earlier_purchases(run: Run) -> None:
    purchases = run.jm.store.query("sim_purchases")
    refunds = [p for p in purchases if p["amount"] < 0]
    assert refunds
    assert len(refunds) < len(purchases) / 5
    for r in refunds:
        assert any(
            p["contact_id"] == r["contact_id"]
            and p["product"] == r["product"]
            and p["amount"] == -r["amount"]
            and p["occurred_at"] < r["occurred_at"]
            for p in purchases
        )
    assert all(p["amount"] == p["amount"].quantize(Decimal("0.01")) for p in purchases)


def test_anonymous_visits_come_before_sign_up(run: Run) -> None:
    visits = run.jm.store.query("sim_page_visits")
    anonymous = [v for v in visits if v["contact_id"] is None]
    assert len(anonymous) == run.result.anonymous_visits > 0
    known = {v["visitor_id"]: v["occurred_at"] for v in reversed(visits) if v["contact_id"]}
    later = [v for v in anonymous if v["visitor_id"] in known]
    assert later
    assert all(v["occurred_at"] < known[v["visitor_id"]] for v in later)


def test_emails_are_opened_and_clicked_only_after_they_were_sent(run: Run) -> None:
    seen: dict[str, set[tuple[str, str, str]]] = {"sent": set(), "opened": set()}
    counts: Counter[str] = Counter()
    for e in run.jm.store.query("sim_email_events"):
        key = (e["map_id"], e["element_id"], e["contact_id"])
        counts[e["event"]] += 1
        if e["event"] in seen:
            seen[e["event"]].add(key)
        if e["event"] == "opened":
            assert key in seen["sent"]
        elif e["event"] in ("clicked", "unsubscribed"):
            assert key in seen["opened"]
    assert counts["sent"] == run.result.emails_sent
    assert counts["sent"] > counts["opened"] > counts["clicked"] > 0


def test_every_door_of_both_maps_lets_contacts_in(run: Run) -> None:
    moves = run.jm.store.query("sim_transitions")
    entered = Counter(t["to_element"] for t in moves if t["kind"] == "enter")
    for m in run.maps:
        for e in m.elements:
            if e.kind == "trigger":
                assert entered[e.id] > 0, e.id
    reached = Counter(t["to_element"] for t in moves if t["to_element"])
    for goal in ("g-opened", "g-clicked", "g-course", "g-plan", "g-unvip"):
        assert reached[goal] > 0, goal
    used = Counter(t["connector_id"] for t in moves)
    assert used["n5"] > 0
    assert used["n6"] > 0


def test_a_simulation_needs_maps_and_a_period(tmp_path: Path) -> None:
    clock = ManualClock(START)
    with journeymap.open(tmp_path / "x.duckdb", clock=clock) as jm:
        with pytest.raises(JourneymapError) as no_map:
            Simulation(jm.engine, clock, [], contacts=5, days=5, seed=1, start=START)
        assert no_map.value.code == "sim_no_map"
        with pytest.raises(JourneymapError) as no_days:
            Simulation(jm.engine, clock, [NURTURE], contacts=5, days=0, seed=1, start=START)
        assert no_days.value.code == "sim_size"


def test_the_clock_ends_at_the_end_of_the_period(run: Run) -> None:
    end: datetime = run.result.end
    assert run.jm.clock.now() == end


def test_a_url_pattern_no_url_can_match_is_named_before_anything_is_written(
    tmp_path: Path,
) -> None:
    webinar = "{on: form_submitted, form: webinar}"
    odd = load(NURTURE_YAML.replace(webinar, '{on: page_visited, url_pattern: "/[!a-zA-Z0-9_~-]"}'))
    clock = ManualClock(START)
    with journeymap.open(tmp_path / "x.duckdb", clock=clock) as jm:
        with pytest.raises(JourneymapError) as bad:
            Simulation(jm.engine, clock, [odd], contacts=5, days=5, seed=1, start=START)
        assert bad.value.code == "sim_url_pattern"
        assert "trigger 't-webinar' of map 'nurture'" in bad.value.message
        assert jm.store.query("sim_fact_counts")[0] == {"fact": "contacts", "n": 0}


def test_packed_plans_write_the_facts_whole_plans_wrote(tmp_path: Path) -> None:
    """5,000 contacts over a year on both prebuilt maps write, row for row, the facts the
    simulator wrote when it held each contact's whole plan in memory (figures of that version,
    seed 3, recorded here)."""
    clock = ManualClock(START)
    with journeymap.open(tmp_path / "s.duckdb", clock=clock, tracking_secret="s" * 32) as jm:
        maps = [jm.add_template("lifecycle"), jm.add_template("lifetime-value")]
        result = Simulation(
            jm.engine, clock, maps, contacts=5000, days=365, seed=3, start=START
        ).run()
        counts = {r["fact"]: r["n"] for r in jm.store.query("sim_fact_counts")}
        digest = hashlib.sha256()
        rows = jm.store.query("sim_fact_rows")
        for r in rows:
            digest.update(f"{r['fact']}\t{r['row']}\n".encode())
    assert (result.events, result.anonymous_visits, result.emails_sent, result.ticks) == (
        45380,
        4632,
        15662,
        4092,
    )
    assert counts == {
        "contacts": 5000,
        "entries": 7808,
        "transitions": 76873,
        "achievements": 6479,
        "waits": 11939,
        "email_events": 24776,
        "purchases": 3587,
        "page_visits": 24448,
    }
    assert len(rows) == 194366
    assert digest.hexdigest() == "adecff1a2ba419fd78dc6ecfe1a81acca356adae44f96dde634d9b50a2b6f668"
