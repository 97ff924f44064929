"""Bottlenecks: dwell time against the configured wait, stuck contacts and drop-off after
connectors, worked by hand, with the contacts behind each count."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.clock import ManualClock
from journeymap.model.map import AutomationMap
from journeymap.reports import ReportInvalid
from test_engine_support import T0, action, add, at, buy, end, form, goal, trigger, wait
from test_reports_properties import Step, _play, maps, traffic
from test_reports_support import column

HOUR = 3600.0


@pytest.fixture
def story(tmp_path: object) -> journeymap.Journeymap:
    """t -> w (wait 1 day) -> a (add tag) -> g (purchase) -> e; now is day 3 + 9 h.

    x1 signs up at 0 h, x2 at 6 h; the scheduler runs once, at day 1 + 7 h, and releases both
    (stays on w of 31 h and 25 h; configured: 24 h each). x3 signs up at day 1 + 8 h and x5 at
    day 2: both still on w (x3 for 2 days 1 h: past 1 day + 1 day of grace, stuck; x5 for 1 day
    9 h). x1 buys at day 2 after 17 h waiting at g; x2 has been waiting at g for 2 days 2 h."""
    clock = ManualClock(T0)
    jm = journeymap.open(":memory:", clock=clock)
    add(
        jm,
        "bn",
        [
            trigger("t"),
            wait("w", duration="P1D"),
            action("a", "add_tag", tag="seen"),
            goal("g"),
            end("e"),
        ],
        [("c1", "t", "w"), ("c2", "w", "a"), ("c3", "a", "g"), ("c4", "g", "e")],
    )
    jm.track(form("x1", at(0)))
    jm.track(form("x2", at(hours=6)))
    jm.tick(at(days=1, hours=7))
    jm.track(form("x3", at(days=1, hours=8)))
    jm.track(buy("x1", at(days=2)))
    jm.track(form("x5", at(days=2)))
    clock.set(at(days=3, hours=9))
    return jm


def test_dwell_configured_and_stuck_per_element(story: journeymap.Journeymap) -> None:
    r = story.report("bottlenecks", map_id="bn", grace_days=1, stall_days=1)
    assert r.options == {"grace_days": 1.0, "stall_days": 1.0}
    assert column(r, "dwell_n") == {"t": 4, "w": 2, "a": 2, "g": 1, "e": 0}
    # w: 25 h and 31 h: median 28 h; p90 at rank 0.9: 25 + 0.9 x 6 = 30.4 h
    assert column(r, "dwell_median_s") == {
        "t": 0.0,
        "w": 28 * HOUR,
        "a": 0.0,
        "g": 17 * HOUR,
        "e": None,
    }
    assert column(r, "dwell_p90_s") == {
        "t": 0.0,
        "w": 30.4 * HOUR,
        "a": 0.0,
        "g": 17 * HOUR,
        "e": None,
    }
    assert column(r, "dwell_configured_s") == {
        "t": 0.0,
        "w": 24 * HOUR,
        "a": 0.0,
        "g": None,
        "e": None,
    }
    assert column(r, "dwell_over_s") == {"t": 0.0, "w": 4 * HOUR, "a": 0.0, "g": None, "e": None}
    assert column(r, "stuck") == {"t": 0, "w": 1, "a": 0, "g": 0, "e": 0}
    assert column(r, "bottleneck_rank") == {"w": 1}


def test_a_longer_grace_leaves_nobody_stuck(story: journeymap.Journeymap) -> None:
    r = story.report("bottlenecks", map_id="bn", grace_days=1.5)
    assert column(r, "stuck")["w"] == 0  # 49 h here, under 24 h + 36 h
    assert column(r, "bottleneck_rank") == {}


def test_drop_off_after_each_connector(story: journeymap.Journeymap) -> None:
    r = story.report("bottlenecks", map_id="bn", grace_days=1, stall_days=1)
    got = {c.id: (c.drop_off, c.drop_off_rate, c.drop_off_rank) for c in r.connectors}
    # c1: x3 on w for 49 h, past 24 h configured + 24 h; c3: x2 still at g for 50 h, past 24 h;
    # c4 leads to an end, where a contact is done, not dropped; c3 ranks first on its rate
    assert got == {
        "c1": (1, 0.25, 2),
        "c2": (0, 0.0, None),
        "c3": (1, 0.5, 1),
        "c4": (None, None, None),
    }
    default = story.report("bottlenecks", map_id="bn")  # 14 stall days: nobody stopped yet
    assert {c.id: c.drop_off for c in default.connectors} == {
        "c1": 0,
        "c2": 0,
        "c3": 0,
        "c4": None,
    }


def _listed(
    jm: journeymap.Journeymap, figure: str, **target: str
) -> list[tuple[str, datetime | None, object]]:
    page = jm.contacts("bn", figure=figure, grace_days=1, stall_days=1, **target)
    assert page.total == len(page.rows)
    return [(x.contact_id, x.at, x.value) for x in page.rows]


def test_every_count_lists_its_contacts(story: journeymap.Journeymap) -> None:
    assert _listed(story, "dwell_n", element="w") == [
        ("x1", at(0), 1),
        ("x2", at(hours=6), 1),
    ]
    assert _listed(story, "stuck", element="w") == [("x3", at(days=1, hours=8), 49 * HOUR)]
    assert _listed(story, "drop_off", connector="c1") == [("x3", at(days=1, hours=8), 49 * HOUR)]
    assert _listed(story, "drop_off", connector="c3") == [("x2", at(days=1, hours=7), 50 * HOUR)]
    assert _listed(story, "dwell_n", element="t") == [
        ("x1", at(0), 1),
        ("x2", at(hours=6), 1),
        ("x3", at(days=1, hours=8), 1),
        ("x5", at(days=2), 1),
    ]


def test_bad_settings_name_their_parameter(story: journeymap.Journeymap) -> None:
    with pytest.raises(ReportInvalid) as bad:
        story.report("bottlenecks", map_id="bn", stall_days=0)
    assert (bad.value.code, bad.value.field) == ("bad_parameter", "stall_days")
    with pytest.raises(ReportInvalid) as grace:
        story.report("bottlenecks", map_id="bn", grace_days=-1)
    assert (grace.value.code, grace.value.field) == ("bad_parameter", "grace_days")


def test_the_cli_prints_the_same_figures(tmp_path: object) -> None:
    db = f"{tmp_path}/bn.duckdb"
    clock = ManualClock(T0)
    with journeymap.open(db, clock=clock) as jm:
        add(
            jm,
            "m",
            [trigger("t"), wait("w", duration="PT1H"), end("e")],
            [("c1", "t", "w"), ("c2", "w", "e")],
        )
        jm.track(form("x1", at(0)))
    # the CLI reports at the wall clock: x1 has sat on the one-hour wait since 2026-01-05
    out = CliRunner().invoke(
        app, ["stats", "--db", db, "--map", "m", "--report", "bottlenecks", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    w = next(e for e in data["elements"] if e["id"] == "w")
    assert (w["stuck"], w["dwell_configured_s"], w["bottleneck_rank"]) == (1, 3600.0, 1)
    assert data["connectors"][0]["drop_off"] == 1


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(m=maps(), steps=traffic, grace=st.sampled_from([0.0, 0.01, 1.0]))
def test_bottleneck_counts_stay_within_the_flow_on_random_maps(
    m: AutomationMap, steps: list[Step], grace: float
) -> None:
    with journeymap.open(":memory:", clock=ManualClock(at(days=30))) as jm:  # after the traffic
        jm.add_map(m)
        _play(jm, m, steps)
        r = jm.report("bottlenecks", map_id=m.id, grace_days=grace, stall_days=0.01)
        for e in r.elements:
            # every arrival begins a stay or joins one; a stay ends, or it is the live position
            assert (e.dwell_n or 0) + e.here_now <= e.visits
            assert (e.stuck or 0) <= e.here_now
            assert (e.dwell_median_s is None) == (e.dwell_n == 0)
            if e.dwell_n:
                assert 0 <= (e.dwell_median_s or 0) <= (e.dwell_p90_s or 0)
            for figure in ("dwell_n", "stuck"):
                listed = jm.contacts(
                    m.id,
                    figure=figure,
                    element=e.id,
                    grace_days=grace,
                    stall_days=0.01,
                    limit=None,
                )
                if figure == "stuck":
                    assert listed.total == e.stuck
                else:
                    assert sum(int(x.value or 0) for x in listed.rows) == e.dwell_n
        for c in r.connectors:
            if c.drop_off is None:
                continue
            assert c.drop_off <= c.contacts
            listed = jm.contacts(
                m.id,
                figure="drop_off",
                connector=c.id,
                stall_days=0.01,
                grace_days=grace,
                limit=None,
            )
            assert listed.total == c.drop_off


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    signups=st.lists(st.integers(0, 24 * 60 - 1), min_size=1, max_size=40),
    ticks=st.lists(st.integers(24 * 60, 3 * 24 * 60), min_size=1, max_size=6, unique=True),
)
def test_dwell_median_and_p90_agree_with_numpy_on_random_releases(
    signups: list[int], ticks: list[int]
) -> None:
    """Contacts sign up at random minutes of day 0 onto a one-day wait, released by scheduler
    runs at random minutes: each dwell is the first run at or after its due time less its
    arrival, and the median and 90th percentile are numpy's (linear) over those."""
    clock = ManualClock(T0)
    with journeymap.open(":memory:", clock=clock) as jm:
        add(
            jm,
            "bn",
            [trigger("t"), wait("w", duration="P1D"), action("a", "add_tag", tag="x"), end("e")],
            [("c1", "t", "w"), ("c2", "w", "a"), ("c3", "a", "e")],
        )
        for i, minute in enumerate(signups):
            jm.track(form(f"x{i}", at(minute)))
        for minute in sorted(ticks):
            jm.tick(at(minute))
        clock.set(at(4 * 24 * 60))  # the ones still waiting: here 3 days and more, stuck
        r = jm.report("bottlenecks", map_id="bn")
        released = [
            min(t for t in ticks if t >= m + 24 * 60) - m
            for m in signups
            if any(t >= m + 24 * 60 for t in ticks)
        ]
        w = next(e for e in r.elements if e.id == "w")
        assert (w.dwell_n, w.stuck) == (len(released), len(signups) - len(released))
        if not released:
            assert w.dwell_median_s is None
            return
        median, p90 = np.percentile(np.array(released, dtype=float) * 60, [50, 90])
        assert w.dwell_median_s == pytest.approx(median, rel=1e-12)
        assert w.dwell_p90_s == pytest.approx(p90, rel=1e-12)
