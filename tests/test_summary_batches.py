"""Summaries folded from appends of many events at once (the applier's micro-batches) equal
those of the same traffic appended one event at a time, a rebuild, and the raw facts."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.intake.applier import Applier
from journeymap.intake.log import IntakeLog
from journeymap.model.map import AutomationMap
from journeymap.store.duckdb import summaries
from journeymap.store.facts import FactBatch
from test_engine_support import T0, action, add, at, buy, end, form, goal, trigger, wait
from test_reports_properties import Step, _play, maps, traffic
from test_reports_support import SEND
from test_summary_stays import _reference, _reported, _stay_rows, _us

NEVER = 1 << 62

WAIT_EDGES = [("c1", "t", "w"), ("c2", "w", "e")]


class _MicroBatches:
    """Takes `_play`'s events and ticks into the engine, writing them `per` at a time."""

    def __init__(self, jm: journeymap.Journeymap, per: int) -> None:
        self.engine = jm.engine
        self.engine.flush_every = NEVER
        self.per = per
        self.held = 0

    def track(self, event: Event) -> None:
        self.engine.apply(event)
        self._counted()

    def tick(self, now: datetime) -> None:
        self.engine.tick(now)
        self._counted()

    def _counted(self) -> None:
        self.held += 1
        if self.held == self.per:
            self.engine.flush()
            self.held = 0


def _deliveries(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """rs_delivery and the delivery queue by names instead of keys."""
    con = jm.store._con  # type: ignore[attr-defined]
    counts = con.execute(
        "SELECT m.contact_id, m.map_id, k.name, d.queued, d.delivered, d.failed "
        "FROM rs_delivery d JOIN rs_member m USING (mk) JOIN rs_key k ON k.k = d.ek"
    ).fetchall()
    queue = con.execute("SELECT contact_id, map_id, element_id FROM delivery_queue").fetchall()
    return sorted(counts, key=repr) + sorted(queue, key=repr)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(m=maps(), steps=traffic, per=st.sampled_from([2, 5, 40]))
def test_micro_batches_fold_into_the_summaries_one_event_at_a_time_gives(
    m: AutomationMap, steps: list[Step], per: int
) -> None:
    clock = ManualClock(T0)
    with (
        journeymap.open(":memory:", clock=clock) as one,
        journeymap.open(":memory:", clock=clock) as many,
    ):
        one.add_map(m)
        many.add_map(m)
        _play(one, m, steps)
        _play(_MicroBatches(many, per), m, steps)  # type: ignore[arg-type]
        many.engine.flush()
        snapshot = many.store.query("summary_snapshot")
        assert snapshot == one.store.query("summary_snapshot")
        assert _deliveries(many) == _deliveries(one)
        assert _reported(many, m) == _reference(many, m, T0)
        stays = _stay_rows(many)
        many.store.rebuild_summaries()
        assert many.store.query("summary_snapshot") == snapshot
        assert _stay_rows(many) == stays


def test_a_micro_batch_folds_members_its_transitions_do_not_name(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "life",
        [trigger("t"), action("s", "send_email", **SEND), goal("g")],
        [("c1", "t", "s"), ("c2", "s", "g")],
    )
    jm.track(form("b", at(0)))  # b flows t -> s -> g and waits there for its purchase
    batch = _MicroBatches(jm, 3)
    batch.track(form("a", at(1)))  # transitions: a enters; the blocks below name b only
    batch.track(Event("email_opened", "b", at(2), map_id="life", element_id="s"))
    batch.track(buy("b", at(3)))  # b achieves the goal it waits at: no move
    rate = jm.report("goal-conversion-rate", map_id="life", goal="g")
    assert (rate.cohort_size, rate.element("g").achieved) == (2, 1)
    opened = jm.report("contact-flow", map_id="life").element("s")
    assert (opened.sent, opened.opened) == (0, 1)
    snapshot = jm.store.query("summary_snapshot")
    jm.store.rebuild_summaries()
    assert jm.store.query("summary_snapshot") == snapshot


def _members_utm(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """Each member's first and last UTM source, by value."""
    con = jm.store._con  # type: ignore[attr-defined]
    return sorted(
        con.execute(
            "SELECT m.contact_id, m.map_id, f.value, l.value FROM rs_member m "
            "LEFT JOIN rs_utm f ON f.u = m.u1 LEFT JOIN rs_utm l ON l.u = m.w1"
        ).fetchall(),
        key=repr,
    )


def test_a_micro_batch_the_store_refuses_leaves_nothing_known_to_the_next(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    add(jm, "life", [trigger("t"), goal("g")], [("c1", "t", "g")])
    log = IntakeLog(str(tmp_path / "intake.sqlite"), jm.clock)
    applier = Applier(jm, log, batch_events=10)
    try:
        log.submit("events", [form("a", at(0), utm={"source": "google"})]).result()
        applier.run_once()  # the UTM codes and keys known since are kept between micro-batches
        log.submit("events", [form("b", at(1), utm={"source": "bing"})]).result()
        # DECIMAL(18, 2) holds no such amount: the store refuses the micro-batch after its
        # contacts' fold gave "bing" a code, and rolls it back
        log.submit("events", [buy("b", at(2), amount="1" + "0" * 20)]).result()
        applier.run_once()
        assert applier.pos == log.newest_pos()
    finally:
        log.close()
    assert applier.dead_letters == 1  # the purchase; the form of "b" was applied on a retry
    assert _members_utm(jm) == [("a", "life", "google", "google"), ("b", "life", "bing", "bing")]
    before = _members_utm(jm)
    jm.store.rebuild_summaries()
    assert _members_utm(jm) == before


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the summary SQL files run from now on (folds and their guards)."""
    ran: list[str] = []
    real = summaries._sql

    def sql(name: str) -> str:
        ran.append(name)
        return real(name)

    monkeypatch.setattr(summaries, "_sql", sql)
    return ran


def _waits_due(jm: journeymap.Journeymap) -> dict[str, int | None]:
    """Each contact's due time on its stay at "w" (none elsewhere), the same after a rebuild."""
    stays = _stay_rows(jm)
    jm.store.rebuild_summaries()
    assert _stay_rows(jm) == stays
    assert all(row[-1] is None for row in stays if row[2] != "w")
    return {row[0]: row[-1] for row in stays if row[2] == "w"}


def test_the_waits_an_append_begins_are_folded_with_its_transitions(
    jm: journeymap.Journeymap, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(jm, "life", [trigger("t"), wait("w", duration="PT1H"), end("e")], WAIT_EDGES)
    ran = _recording(monkeypatch)
    jm.track(form("a", at(0)))
    jm.track(form("b", at(5)))
    jm.engine.flush()
    assert "summary_stays_fold" in ran
    assert "summary_stays_waits" not in ran
    assert _waits_due(jm) == {"a": _us(at(60)), "b": _us(at(65))}


def test_waits_an_append_does_not_begin_are_folded_on_their_own(
    jm: journeymap.Journeymap, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(jm, "life", [trigger("t"), wait("w", duration="PT1H"), end("e")], WAIT_EDGES)

    def moves(contact: str, seq: int, when: datetime) -> list[tuple[Any, ...]]:
        return [
            (seq, contact, "life", seq, None, "t", None, "enter", when),
            (seq + 1, contact, "life", seq, "t", "w", "c1", "flow", when),
        ]

    def waiting(contact: str, seq: int, when: datetime) -> tuple[Any, ...]:
        return (contact, "life", "w", seq, seq + 1, when + timedelta(hours=1))

    jm.store.append(FactBatch({"transitions": moves("a", 1, at(0)) + moves("d", 3, at(1))}))
    ran = _recording(monkeypatch)
    jm.store.append(FactBatch({"waits": [waiting("d", 3, at(1))]}))
    assert ran.count("summary_stays_waits") == 1
    jm.store.append(
        FactBatch({"transitions": moves("b", 5, at(5)), "waits": [waiting("b", 5, at(5))]})
    )
    assert ran.count("summary_stays_waits") == 1  # b's wait went with its transitions
    # c's wait is begun by the append's transitions, a's is not: both fold on their own
    jm.store.append(
        FactBatch(
            {
                "transitions": moves("c", 7, at(9)),
                "waits": [waiting("c", 7, at(9)), waiting("a", 1, at(0))],
            }
        )
    )
    assert ran.count("summary_stays_waits") == 2
    expected = {"a": at(60), "b": at(65), "c": at(69), "d": at(61)}
    assert _waits_due(jm) == {contact: _us(due) for contact, due in expected.items()}


def test_a_contacts_fold_counts_the_members_it_touched_without_a_count_of_its_own(
    jm: journeymap.Journeymap, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(jm, "life", [trigger("t", reentry="always"), goal("g")], [("c1", "t", "g")])
    jm.track(form("a", at(0)))  # a member with no UTM yet
    jm.track(form("b", at(0), utm={"source": "google"}))
    ran = _recording(monkeypatch)
    jm.track(form("a", at(1), utm={"source": "bing"}))  # a's first touch: its cohort moves
    assert {"summary_contacts", "summary_contacts_apply", "summary_carry"} <= set(ran)
    jm.track(form("b", at(2), utm={"source": "bing"}))  # b's last touch only: no carry
    assert ran.count("summary_contacts_apply") == 2
    assert ran.count("summary_carry") == 1
    assert "summary_when_touched" not in ran
    assert "summary_when_carry" not in ran
    expected = [("a", "life", "bing", "bing"), ("b", "life", "google", "bing")]
    assert _members_utm(jm) == expected
    jm.store.rebuild_summaries()
    assert _members_utm(jm) == expected
