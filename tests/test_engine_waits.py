"""Waits: the due time each kind of wait records, and the tick that releases it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import journeymap
from test_engine_support import add, at, end, form, moves, positions, trigger, wait


def _wait_map(jm: journeymap.Journeymap, **settings: Any) -> None:
    add(
        jm,
        "m",
        [trigger("t", reentry="always"), wait("w", **settings), end("e")],
        [("c1", "t", "w"), ("c2", "w", "e")],
    )


def _waits(jm: journeymap.Journeymap) -> list[tuple[str, str, datetime]]:
    return [(r["contact_id"], r["element_id"], r["due_at"]) for r in jm.store.query("engine_waits")]


def _left(jm: journeymap.Journeymap) -> list[tuple[str, datetime]]:
    """When each contact left the wait."""
    return [(m[0], m[5]) for m in moves(jm) if m[1] == "w"]


def test_duration_wait_is_released_by_the_first_tick_at_or_after_due(
    jm: journeymap.Journeymap,
) -> None:
    _wait_map(jm, duration="PT2H")
    jm.track(form("a", at(0)))
    jm.track(form("b", at(30)))
    assert _waits(jm) == [("a", "w", at(120)), ("b", "w", at(150))]
    assert jm.tick(at(119)) == 0
    assert jm.tick(at(120)) == 1  # due exactly now: released
    assert positions(jm, "a", "m") == {"e"}
    assert positions(jm, "b", "m") == {"w"}
    assert jm.tick(at(300)) == 1  # a late tick releases at the tick's time
    assert _left(jm) == [("a", at(120)), ("b", at(300))]
    assert jm.tick(at(400)) == 0


def test_until_wait_in_a_timezone_and_a_date_already_passed(jm: journeymap.Journeymap) -> None:
    # 12:00 in Berlin (UTC+1 in January) is 11:00 UTC
    _wait_map(jm, until="2026-01-10T12:00:00", timezone="Europe/Berlin")
    jm.track(form("a", at(0)))
    assert _waits(jm) == [("a", "w", datetime(2026, 1, 10, 11, 0, tzinfo=UTC))]
    assert jm.tick(datetime(2026, 1, 10, 10, 59, tzinfo=UTC)) == 0
    assert jm.tick(datetime(2026, 1, 10, 11, 0, tzinfo=UTC)) == 1
    late = datetime(2026, 1, 11, 8, 0, tzinfo=UTC)
    jm.track(form("b", late))  # after the date: passes straight through, no wait row
    assert _left(jm) == [("a", datetime(2026, 1, 10, 11, 0, tzinfo=UTC)), ("b", late)]
    assert len(_waits(jm)) == 1


def test_weekday_wait_holds_until_that_day_starts(jm: journeymap.Journeymap) -> None:
    _wait_map(jm, weekday="wednesday")
    jm.track(form("a", at(0)))  # Monday 09:00
    wednesday = datetime(2026, 1, 7, 0, 0, tzinfo=UTC)
    assert _waits(jm) == [("a", "w", wednesday)]
    jm.track(form("b", wednesday.replace(hour=15)))  # on a Wednesday: passes at once
    assert jm.tick(wednesday) == 1
    assert _left(jm) == [("b", wednesday.replace(hour=15)), ("a", wednesday)]


def test_time_of_day_wait_in_a_timezone(jm: journeymap.Journeymap) -> None:
    # 08:30 in New York (UTC-5 in January) is 13:30 UTC
    _wait_map(jm, time_of_day="08:30", timezone="America/New_York")
    jm.track(form("a", at(0)))  # 04:00 in New York: today at 08:30
    jm.track(form("b", at(hours=5)))  # 09:00 in New York: tomorrow at 08:30
    assert _waits(jm) == [
        ("a", "w", datetime(2026, 1, 5, 13, 30, tzinfo=UTC)),
        ("b", "w", datetime(2026, 1, 6, 13, 30, tzinfo=UTC)),
    ]
    assert jm.tick(datetime(2026, 1, 5, 13, 30, tzinfo=UTC)) == 1
    assert jm.tick(datetime(2026, 1, 6, 13, 29, tzinfo=UTC)) == 0
    assert jm.tick(datetime(2026, 1, 6, 13, 30, tzinfo=UTC)) == 1


def test_weekday_and_time_of_day_wait(jm: journeymap.Journeymap) -> None:
    # Monday 09:00 UTC is Monday 18:00 in Tokyo; Friday 17:00 Tokyo is Friday 08:00 UTC
    _wait_map(jm, weekday="friday", time_of_day="17:00", timezone="Asia/Tokyo")
    jm.track(form("a", at(0)))
    assert _waits(jm) == [("a", "w", datetime(2026, 1, 9, 8, 0, tzinfo=UTC))]


def test_time_of_day_on_the_night_clocks_go_back(jm: journeymap.Journeymap) -> None:
    # New York, 2026-11-01: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST)
    _wait_map(jm, time_of_day="01:30", timezone="America/New_York")
    jm.track(form("a", datetime(2026, 11, 1, 5, 40, tzinfo=UTC)))  # 01:40 EDT
    assert _waits(jm) == [("a", "w", datetime(2026, 11, 1, 6, 30, tzinfo=UTC))]


def test_time_of_day_in_the_hour_clocks_skip(jm: journeymap.Journeymap) -> None:
    # New York, 2026-03-08: 02:30 does not exist; the wait ends at 03:30 EDT = 07:30 UTC
    _wait_map(jm, time_of_day="02:30", timezone="America/New_York")
    jm.track(form("a", datetime(2026, 3, 8, 6, 0, tzinfo=UTC)))  # 01:00 EST
    assert _waits(jm) == [("a", "w", datetime(2026, 3, 8, 7, 30, tzinfo=UTC))]


def test_zero_duration_wait_passes_at_once(jm: journeymap.Journeymap) -> None:
    _wait_map(jm, duration="PT0S")
    jm.track(form("a", at(0)))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "w", "c1", "flow", at(0)),
        ("a", "w", "e", "c2", "flow", at(0)),
    ]
    assert _waits(jm) == []


def test_consecutive_waits_each_wait_from_their_own_arrival(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [trigger("t"), wait("w1", duration="PT1H"), wait("w2", duration="PT1H"), end("e")],
        [("c1", "t", "w1"), ("c2", "w1", "w2"), ("c3", "w2", "e")],
    )
    jm.track(form("a", at(0)))
    # a tick long after both would be due releases w1 at the tick; w2 then waits an hour from it
    assert jm.tick(at(300)) == 1
    assert positions(jm, "a", "m") == {"w2"}
    assert jm.tick(at(359)) == 0
    assert jm.tick(at(360)) == 1
    assert moves(jm)[2:] == [
        ("a", "w1", "w2", "c2", "flow", at(300)),
        ("a", "w2", "e", "c3", "flow", at(360)),
    ]


def test_a_loop_through_a_wait_that_passes_at_once_goes_round_once_per_tick(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "m",
        [
            trigger("t"),
            wait("w", duration="PT0S"),
            {"id": "tag", "kind": "action", "action": {"type": "add_tag", "tag": "seen"}},
        ],
        [("c1", "t", "w"), ("c2", "w", "tag"), ("c3", "tag", "w")],
    )
    jm.track(form("a", at(0)))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "w", "c1", "flow", at(0)),
        ("a", "w", "tag", "c2", "flow", at(0)),
        ("a", "tag", "w", "c3", "flow", at(0)),
    ]
    assert _waits(jm) == [("a", "w", at(0))]  # held, due at once: for the next tick
    assert jm.tick(at(0)) == 0
    assert jm.tick(at(1)) == 1
    assert moves(jm)[4:] == [
        ("a", "w", "tag", "c2", "flow", at(1)),
        ("a", "tag", "w", "c3", "flow", at(1)),
    ]
    assert positions(jm, "a", "m") == {"w"}


def test_a_wait_deleted_by_a_new_map_version_keeps_its_contacts(jm: journeymap.Journeymap) -> None:
    _wait_map(jm, duration="PT1H")
    jm.track(form("a", at(0)))
    add(jm, "m", [trigger("t", reentry="always"), end("e")], [("c1", "t", "e")])
    assert jm.tick(at(60)) == 0
    assert positions(jm, "a", "m") == {"w"}  # history kept, nothing to release it along
    assert len(moves(jm)) == 2


def test_a_month_is_30_days_and_a_year_365_days(jm: journeymap.Journeymap) -> None:
    # docs/maps.md: P1M counts as 30 days and P1Y as 365, whatever the calendar says
    add(
        jm,
        "m",
        [trigger("t"), wait("month", duration="P1M"), wait("year", duration="P1Y"), end("e")],
        [("c1", "t", "month"), ("c2", "month", "year"), ("c3", "year", "e")],
    )
    jan31 = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    jm.track(form("a", jan31))
    # January 31 + 30 days: February has 28 days in 2026, so March 2 (not February 28)
    march2 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert _waits(jm) == [("a", "month", march2)]
    assert jm.tick(datetime(2026, 3, 2, 9, 59, tzinfo=UTC)) == 0
    assert jm.tick(march2) == 1
    # March 2, 2026 + 365 days: 2027 has no February 29, so March 2, 2027
    assert _waits(jm)[-1] == ("a", "year", datetime(2027, 3, 2, 10, 0, tzinfo=UTC))
    jm.track(form("b", datetime(2027, 6, 1, tzinfo=UTC)))
    # June 1, 2027 + 30 days = July 1; the year wait is then July 1, 2027 + 365 days, which
    # crosses February 29, 2028: June 30, 2028, a day short of the calendar year
    jm.tick(datetime(2027, 7, 1, tzinfo=UTC))
    assert _waits(jm)[-1] == ("b", "year", datetime(2028, 6, 30, tzinfo=UTC))
