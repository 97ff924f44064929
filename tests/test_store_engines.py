"""Both store engines over the same facts: every report figure identical on DuckDB and on
ClickHouse (through chDB), on hand-worked maps and on random maps and traffic."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.map import AutomationMap
from journeymap.reports import ReportInvalid
from journeymap.reports.drilldown_figures import FIGURES
from test_engine_support import T0, action, build_map, buy, end, form, goal, trigger, wait
from test_reports_properties import Step, _play, maps, traffic
from test_reports_support import SEND

ENGINES: dict[str, Callable[[Path], str]] = {
    "duckdb": lambda folder: str(folder / "store.duckdb"),
    "chdb": lambda folder: f"chdb://{folder / 'store'}",
}
"""Each store engine and where its store lives in a folder."""

FILTERS: tuple[dict[str, Any], ...] = (
    {},
    {"utm": {"source": "google"}},
    {"utm": {"source": "(none)"}, "last_touch": True},
    {"date_range": (T0.date(), T0.date())},
    {"date_range": (T0.date() + timedelta(days=1), None), "tz": "America/New_York"},
)
"""The cohorts each report is asked for: all, by first and last touch, by local day."""


GOAL_REPORTS = (
    "goal-conversion-rate",
    "goal-conversion-point",
    "goal-conversion-time",
    "time-to-goal",
    "split-test",
    "roi",
)
"""The reports asked again for each goal of the map."""

GRACE_DAYS = (0.5, 1)
"""Bottlenecks' grace and stall days, one per cohort in turn: each value is bound into the same
SQL, and Bottlenecks is the slowest report on ClickHouse (planning its query takes seconds)."""

ATTRIBUTIONS = ("first", "linear", "time-decay")
"""Goal conversion point's attribution models besides the default (last)."""


def every_report(
    jm: journeymap.Journeymap, m: AutomationMap, filters: tuple[dict[str, Any], ...] = FILTERS
) -> dict[str, Any]:
    """Every report of the map as plain data, over each cohort, goal and option."""
    goals = [e.id for e in m.elements if e.kind == "goal"]
    out: dict[str, Any] = {}
    for i, cohort in enumerate(filters):
        for name in ("contact-flow", "funnel-conversion", "goal-conversion-rate"):
            out[f"{name}/{i}"] = _plain(jm.report(name, map_id=m.id, **cohort))
        for after in (False, True):
            out[f"lifetime-value/{after}/{i}"] = _plain(
                jm.report("lifetime-value", map_id=m.id, after_arrival=after, **cohort)
            )
        out[f"roi/{i}"] = _plain(jm.report("roi", map_id=m.id, **cohort))
        grace = GRACE_DAYS[i % len(GRACE_DAYS)]
        out[f"bottlenecks/{grace}/{i}"] = _plain(
            jm.report("bottlenecks", map_id=m.id, grace_days=grace, stall_days=grace, **cohort)
        )
        for g in goals:
            for name in GOAL_REPORTS:
                try:
                    found = _plain(jm.report(name, map_id=m.id, goal=g, **cohort))
                except ReportInvalid as exc:  # a split test on a map with no split
                    found = {"error": exc.code}
                out[f"{name}/{g}/{i}"] = found
            for model in ATTRIBUTIONS:
                out[f"attribution/{model}/{g}/{i}"] = _plain(
                    jm.report(
                        "goal-conversion-point",
                        map_id=m.id,
                        goal=g,
                        attribution=model,
                        half_life_days=0.5,
                        **cohort,
                    )
                )
            for period in ("week", "month"):
                out[f"trend/{period}/{g}/{i}"] = jm.trend(
                    "goal-conversion-rate",
                    map_id=m.id,
                    figure="achieved",
                    element=g,
                    period=period,
                    goal=g,
                    **cohort,
                ).as_dict()
    return out


def every_list(
    jm: journeymap.Journeymap, m: AutomationMap, filters: tuple[dict[str, Any], ...] = FILTERS
) -> dict[str, Any]:
    """The contacts behind every listable figure of the map, on every element, connector and
    goal it can be shown on, over each cohort; a figure shown elsewhere gives its error code."""
    goals = [None, *(e.id for e in m.elements if e.kind == "goal")]
    targets: list[dict[str, str]] = [
        {},
        *({"element": e.id} for e in m.elements),
        *({"connector": c.id} for c in m.connectors),
    ]
    out: dict[str, Any] = {}
    for i, cohort in enumerate(filters):
        for name, fig in FIGURES.items():
            for target in targets:
                if (fig.target == "map") != (not target):
                    continue
                for g in goals if fig.goal != "unused" else [None]:
                    key = f"{name}/{target}/{g}/{i}"
                    try:
                        found = jm.contacts(
                            m.id, figure=name, goal=g, limit=None, **target, **cohort
                        )
                    except ReportInvalid as exc:
                        out[key] = exc.code
                    else:
                        out[key] = found.as_dict()
        for g in goals[1:]:
            for model in ATTRIBUTIONS:
                for e in m.elements:
                    out[f"attribution/{model}/{e.id}/{g}/{i}"] = jm.contacts(
                        m.id,
                        figure="conversion_point",
                        element=e.id,
                        goal=g,
                        attribution=model,
                        half_life_days=0.5,
                        limit=None,
                        **cohort,
                    ).as_dict()
    return out


def _plain(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = result.as_dict()
    data.pop("computed_at")
    return data


@pytest.fixture(params=list(ENGINES))
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def jm(tmp_path: Path, clock: ManualClock, engine: str) -> Iterator[journeymap.Journeymap]:
    """A journeymap over a fresh store of each engine."""
    lib = journeymap.open(ENGINES[engine](tmp_path), clock=clock)
    yield lib
    lib.close()


def _journey() -> AutomationMap:
    """t -> mail -> w (1 day) -> g (purchase goal) -> x; g also pulls contacts from upstream."""
    return build_map(
        "m",
        [
            trigger("t"),
            action("mail", "send_email", **SEND),
            wait("w", duration="P1D"),
            goal("g", on="purchase"),
            end("x"),
        ],
        [
            ("k1", "t", "mail", {}),
            ("k2", "mail", "w", {}),
            ("k3", "w", "g", {}),
            ("k4", "g", "x", {}),
        ],
    )


def test_hand_worked_journey_on_each_engine(jm: journeymap.Journeymap) -> None:
    """a (no UTM) buys after 2 hours: pulled from the wait to the goal and on to x; b (google)
    waits out the day and reaches the goal, where it waits; c buys before it was ever on the
    map, so it enters at the goal and goes on to x."""
    m = _journey()
    jm.add_map(m)
    jm.track(buy("c", T0 - timedelta(hours=1), "7"))
    jm.track(form("a", T0))
    jm.track(form("b", T0 + timedelta(minutes=30), utm={"source": "google"}))
    jm.track(buy("a", T0 + timedelta(hours=2), "25"))
    jm.track(buy("a", T0 + timedelta(hours=3), "-5"))
    jm.tick(T0 + timedelta(days=2))
    flow = jm.report("contact-flow", map_id="m")
    assert flow.cohort_size == 3
    assert {e.id: (e.were_here, e.here_now, e.visits) for e in flow.elements} == {
        "t": (2, 0, 2),
        "mail": (2, 0, 2),
        "w": (2, 0, 2),
        "g": (2, 1, 3),
        "x": (0, 2, 2),
    }
    assert {c.id: (c.contacts, c.share) for c in flow.connectors} == {
        "k1": (2, 1.0),
        "k2": (2, 1.0),
        "k3": (1, 1.0),
        "k4": (2, 1.0),
    }
    google = jm.report("contact-flow", map_id="m", utm={"source": "google"})
    assert google.cohort_size == 1
    assert google.element("g").here_now == 1
    rate = jm.report("goal-conversion-rate", map_id="m", goal="g")
    assert (rate.element("g").achieved, rate.element("g").conversion_rate) == (2, 2 / 3)
    assert (rate.element("w").to_goal, rate.element("w").to_goal_rate) == (1, 0.5)
    point = jm.report("goal-conversion-point", map_id="m", goal="g").as_dict()
    assert (point["goal_achievers"], point["entered_at_goal"]) == (2, 1)
    assert {e["id"]: e["conversion_point"] for e in point["elements"]}["w"] == 1
    time = jm.report("goal-conversion-time", map_id="m", goal="g")
    assert (time.element("t").conversion_time_n, time.element("t").conversion_time_mean_s) == (
        1,
        7200.0,
    )
    ltv = jm.report("lifetime-value", map_id="m")
    assert (str(ltv.element("x").amount_spent), str(ltv.element("t").average_spent)) == (
        "27.00",
        "10.00",
    )
    funnel = jm.report("funnel-conversion", map_id="m").totals["funnel"]
    assert [(s["step"], s["count"], s["entered_directly"]) for s in funnel] == [
        (1, 2, None),
        (2, 1, 1),
    ]


def _both(folder: Path) -> Iterator[journeymap.Journeymap]:
    """One journeymap per engine over fresh stores in the folder, same clock start."""
    for name, where in ENGINES.items():
        (folder / name).mkdir()
        yield journeymap.open(where(folder / name), clock=ManualClock(T0))


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(m=maps(), steps=traffic)
def test_random_maps_and_traffic_give_the_same_figures_on_both_engines(
    m: AutomationMap, steps: list[Step]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        figures = []
        for jm in _both(Path(tmp)):
            with jm:
                jm.add_map(m)
                _play(jm, m, steps)
                figures.append(every_report(jm, m, FILTERS[:2]))
        duck, click = figures
        assert click.keys() == duck.keys()
        for key, value in duck.items():
            assert click[key] == value, key


def test_email_opens_and_utm_filters_agree(tmp_path: Path) -> None:
    """Emails sent and opened, contacts with UTM on first and last touch, on both engines."""
    m = _journey()
    figures = []
    for jm in _both(tmp_path):
        with jm:
            jm.add_map(m)
            jm.track(form("a", T0, utm={"source": "google", "campaign": "x"}))
            jm.track(form("b", T0 + timedelta(minutes=5), utm={"source": ""}))
            jm.track(form("a", T0 + timedelta(days=3), utm={"source": "bing"}))
            jm.track(
                Event("email_opened", "a", T0 + timedelta(hours=1), map_id="m", element_id="mail")
            )
            jm.tick(T0 + timedelta(days=4))
            figures.append(every_report(jm, m, FILTERS[:2]) | every_list(jm, m, FILTERS[:1]))
    assert figures[1] == figures[0]


def test_the_engine_resumes_from_the_store_after_a_restart(
    tmp_path: Path, clock: ManualClock, engine: str
) -> None:
    """a waits a day at w when the store is closed; opened again, the tick releases it to the
    goal, where it waits; b enters after the restart."""
    where = ENGINES[engine](tmp_path)
    with journeymap.open(where, clock=clock) as jm:
        jm.add_map(_journey())
        jm.track(form("a", T0))
    with journeymap.open(where, clock=clock) as jm:
        jm.track(form("b", T0 + timedelta(hours=1)))
        jm.tick(T0 + timedelta(days=1, minutes=1))
        flow = jm.report("contact-flow", map_id="m")
        assert {e.id: (e.were_here, e.here_now) for e in flow.elements} == {
            "t": (2, 0),
            "mail": (2, 0),
            "w": (1, 1),
            "g": (0, 1),
            "x": (0, 0),
        }
