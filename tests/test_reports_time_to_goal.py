"""Time to Goal: Kaplan-Meier over contacts who converted and contacts still on the way.

Checked against a hand-worked example with censoring at exit and at now, and against lifelines
(an independent Kaplan-Meier implementation) on random traffic run through the engine."""

from __future__ import annotations

import io
from csv import DictReader
from pathlib import Path

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from journeymap.reports import ReportInvalid
from test_api_support import open_api
from test_engine_support import T0, add, at, buy, end, form, goal, kind, trigger, wait

DAY = 86_400.0


def exit_map(jm: journeymap.Journeymap) -> None:
    """t -> w (10 days) -> k: google contacts go on to the goal g, the others exit at x."""
    add(
        jm,
        "ttg",
        [
            trigger("t"),
            wait("w", duration="P10D"),
            kind("k", "condition", rule={"utm": "source", "touch": "first", "value": "google"}),
            goal("g"),
            end("done"),
            end("x", exit=True),
        ],
        [
            ("c1", "t", "w"),
            ("c2", "w", "k"),
            ("cy", "k", "g", {"label": "yes"}),
            ("cn", "k", "x", {"label": "no"}),
            ("c3", "g", "done"),
        ],
    )


@pytest.fixture
def story(jm: journeymap.Journeymap, clock: ManualClock) -> journeymap.Journeymap:
    """Day 0: a, d (google) and b, c, e sign up. a buys on day 2, b on day 5. Day 10: c and e
    exit at x, d reaches the goal and waits there. e buys on day 20 (entering at the goal). f
    (google) signs up on day 35. The report is asked on day 40."""
    exit_map(jm)
    google = {"source": "google"}
    jm.track_many(
        [
            form("a", at(0), utm=google),
            form("b", at(0)),
            form("c", at(0)),
            form("d", at(0), utm=google),
            form("e", at(0)),
        ]
    )
    jm.track(buy("a", at(days=2)))
    jm.track(buy("b", at(days=5)))
    jm.tick(at(days=10))
    jm.track(buy("e", at(days=20)))
    jm.track(form("f", at(days=35), utm=google))
    clock.set(at(days=40))
    return jm


def test_hand_worked_example_with_exits_and_contacts_still_on_the_way(
    story: journeymap.Journeymap,
) -> None:
    r = story.report("time-to-goal", map_id="ttg", goal="g")
    # at t (and w, passed at once): a 2 d and b 5 d converted, f 5 d on the way (censored after
    # b's conversion at the same time), c exited after 10 d, e converted after 20 d, d on the
    # way for 40 d. At risk 6, 5, -, 2: S = 5/6, then 5/6 * 4/5 = 2/3, then 2/3 * 1/2 = 1/3.
    for element in ("t", "w"):
        e = r.element(element)
        assert (e.time_to_goal_n, e.time_to_goal_converted, e.time_to_goal_censored) == (6, 3, 3)
        assert e.time_to_goal_median_s == 20 * DAY  # the first time S <= 1/2
        assert e.converted_by_1d == 0.0
        assert e.converted_by_7d == pytest.approx(1 / 3, abs=1e-15)
        assert e.converted_by_30d == pytest.approx(2 / 3, abs=1e-15)
        assert e.converted_by_90d is None  # nobody was followed for 90 days
        # the curve the page draws: a step at each conversion, then the longest time followed
        curve = r.totals["curves"][element]
        assert [t for t, _ in curve] == [0, 2 * DAY, 5 * DAY, 20 * DAY, 40 * DAY]
        assert [share for _, share in curve] == pytest.approx([0, 1 / 6, 1 / 3, 2 / 3, 2 / 3])
    # x: c arrived and exited on day 10 (followed 0 s), e arrived then and converted 10 d later
    x = r.element("x")
    assert (x.time_to_goal_n, x.time_to_goal_converted, x.time_to_goal_median_s) == (2, 1, 10 * DAY)
    assert (x.converted_by_1d, x.converted_by_7d, x.converted_by_30d) == (0.0, 0.0, None)
    # k: c (exit, 0 s), e (converted after 10 d) and d (at the goal, on the way for 30 d)
    k = r.element("k")
    assert (k.time_to_goal_n, k.time_to_goal_converted, k.time_to_goal_median_s) == (3, 1, 10 * DAY)
    assert k.converted_by_30d == pytest.approx(1 / 2, abs=1e-15)
    # Goal Conversion Time looks at a, b and e only: (2 + 5 + 20) / 3 = 9 days
    gct = story.report("goal-conversion-time", map_id="ttg", goal="g").element("t")
    assert gct.conversion_time_mean_s == pytest.approx(9 * DAY)
    # the median's interval, as lifelines gives it for the same observations
    kmf = KaplanMeierFitter().fit(
        np.array([2, 5, 5, 10, 20, 40]) * DAY, np.array([1, 1, 0, 0, 1, 0], dtype=bool)
    )
    band = median_survival_times(kmf.confidence_interval_)
    low, high = float(band.iloc[0, 0]), float(band.iloc[0, 1])
    t = r.element("t")
    assert t.time_to_goal_median_low_s == pytest.approx(low)
    assert (t.time_to_goal_median_high_s, high) == (None, np.inf)  # never reached


def test_the_cohort_filter_and_the_goal_rules(story: journeymap.Journeymap) -> None:
    r = story.report("time-to-goal", map_id="ttg", goal="g", utm={"source": "google"})
    t = r.element("t")  # a 2 d converted, f 5 d and d 40 d on the way: S = 2/3 from day 2 on
    assert (t.time_to_goal_n, t.time_to_goal_converted) == (3, 1)
    assert t.time_to_goal_median_s is None
    assert t.converted_by_7d == pytest.approx(1 / 3, abs=1e-15)
    assert t.converted_by_30d == pytest.approx(1 / 3, abs=1e-15)
    assert r.element("x").time_to_goal_n == 0
    assert r.element("x").time_to_goal_median_s is None
    assert r.element("x").converted_by_1d is None
    with pytest.raises(ReportInvalid) as missing:
        story.report("time-to-goal", map_id="ttg")
    assert missing.value.code == "goal_required"
    with pytest.raises(ReportInvalid) as wrong:
        story.report("time-to-goal", map_id="ttg", goal="w")
    assert wrong.value.code == "not_a_goal"


def test_drill_down_lists_converted_and_censored_contacts(story: journeymap.Journeymap) -> None:
    def listed(figure: str) -> list[tuple[str, float | None]]:
        page = story.contacts("ttg", figure=figure, element="t", goal="g")
        assert page.total == len(page.rows)
        return sorted((row.contact_id, row.value) for row in page.rows)

    assert listed("time_to_goal_converted") == [("a", 2 * DAY), ("b", 5 * DAY), ("e", 20 * DAY)]
    assert listed("time_to_goal_censored") == [("c", 10 * DAY), ("d", 40 * DAY), ("f", 5 * DAY)]
    assert len(listed("time_to_goal_n")) == 6
    with pytest.raises(ReportInvalid) as bad:
        story.contacts("ttg", figure="time_to_goal_median_s", element="t", goal="g")
    assert bad.value.code == "figure_not_listable"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_traffic_against_lifelines(
    jm: journeymap.Journeymap, clock: ManualClock, seed: int
) -> None:
    """Contacts sign up over 60 days, most buy later; the others are censored at day 100."""
    add(
        jm,
        "rnd",
        [trigger("t"), wait("w", duration="P30D"), goal("g"), end("done")],
        [("c1", "t", "w"), ("c2", "w", "g"), ("c3", "g", "done")],
    )
    rng = np.random.default_rng(seed)
    n = 90
    minute = 60.0
    signup = rng.integers(0, 60 * 1440, n)  # minutes after T0, over 60 days
    delay = rng.exponential(12 * 1440, n).round().astype(int) + 1
    now = 100 * 1440
    converted = (rng.uniform(0, 1, n) < 0.7) & (signup + delay < now)
    events = [(int(signup[i]), form(f"c{i}", at(int(signup[i])))) for i in range(n)]
    events += [
        (int(signup[i] + delay[i]), buy(f"c{i}", at(int(signup[i] + delay[i]))))
        for i in range(n)
        if converted[i]
    ]
    events.sort(key=lambda pair: pair[0])
    jm.track_many([e for _, e in events])
    clock.set(at(now))
    followed = np.where(converted, delay, now - signup) * minute
    kmf = KaplanMeierFitter().fit(followed, converted)
    r = jm.report("time-to-goal", map_id="rnd", goal="g")
    e = r.element("t")
    assert (e.time_to_goal_n, e.time_to_goal_converted) == (n, int(converted.sum()))
    expected_median = kmf.median_survival_time_
    assert e.time_to_goal_median_s == (None if np.isinf(expected_median) else expected_median)
    band = median_survival_times(kmf.confidence_interval_)
    for got, want in (
        (e.time_to_goal_median_low_s, band.iloc[0, 0]),
        (e.time_to_goal_median_high_s, band.iloc[0, 1]),
    ):
        assert got == (None if np.isinf(want) else pytest.approx(float(want), rel=1e-9))
    longest = followed.max()
    horizons = ((1, e.converted_by_1d), (7, e.converted_by_7d), (30, e.converted_by_30d))
    for days, got in (*horizons, (90, e.converted_by_90d)):
        want = 1 - float(kmf.predict(days * DAY))
        assert got == (pytest.approx(want, abs=1e-12) if days * DAY <= longest else None)
    assert e.time_to_goal_median_s is not None  # the data are not trivial


def test_http_api_json_and_csv(story: journeymap.Journeymap) -> None:
    with open_api(story) as api:
        url = "/api/maps/ttg/reports/time-to-goal"
        body = api.client.get(url, params={"goal": "g"}, headers=api.read).json()
        t = next(e for e in body["elements"] if e["id"] == "t")
        assert (t["time_to_goal_n"], t["time_to_goal_censored"]) == (6, 3)
        assert (t["time_to_goal_median_s"], t["time_to_goal_median_high_s"]) == (20 * DAY, None)
        assert t["converted_by_30d"] == pytest.approx(2 / 3, abs=1e-15)
        csv = api.client.get(url, params={"goal": "g", "format": "csv"}, headers=api.read).text
        rows = {r["id"]: r for r in DictReader(io.StringIO(csv))}
        assert (rows["x"]["time_to_goal_median_s"], rows["x"]["converted_by_30d"]) == (
            "864000.0",
            "",
        )


def test_the_command_line_prints_followed_converted_median_and_shares(tmp_path: Path) -> None:
    db = tmp_path / "ttg.duckdb"
    with journeymap.open(db, clock=ManualClock(T0)) as jm:
        exit_map(jm)
        jm.track_many([form(c, at(0)) for c in ("c", "e")])
        jm.tick(at(days=10))  # both exit at x
        jm.track(buy("e", at(days=20)))
    args = ["stats", "--db", str(db), "--map", "ttg", "--report", "time-to-goal", "--goal", "g"]
    console.width = 80
    try:
        result = CliRunner().invoke(app, args)
    finally:
        console._width = None
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[1] == "Report: Time to Goal, goal: Any purchase (g)"
    # at x, c exited on arrival (followed 0 s) and e converted 10 days after: S(10 d) = 0
    assert (
        " Exit the map                      2           1   10.0 d       10.0 d   10.0 d" in lines
    )
    assert " Exit the map                         0.0%     0.0%         -         -" in lines
