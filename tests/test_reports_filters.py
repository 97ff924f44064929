"""Cohort date ranges with timezones, page visitors on page triggers, and parameter errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import journeymap
from journeymap.engine import Event
from journeymap.errors import JourneymapError
from journeymap.reports import ReportResult
from test_engine_support import add, end, form, goal, trigger, wait


def _at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, second, tzinfo=UTC)


def _visit(visitor: str | None, contact: str | None, url: str, when: datetime, **utm: str) -> Event:
    return Event("page_visited", contact, when, url=url, visitor_id=visitor, utm=utm)


@pytest.fixture
def pages(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """p (page visit */pricing*) -> e. v1 visits pricing twice and v2 the about page, both
    anonymous; contact k visits pricing late on Jan 6 (UTC) and enters; v3 visits after midnight."""
    add(
        jm,
        "pages",
        [trigger("p", on="page_visited", url_pattern="*/pricing*"), end("e")],
        [("c1", "p", "e")],
    )
    jm.track(_visit("v1", None, "https://shop.test/pricing", _at(5, 10), source="ads"))
    jm.track(_visit("v1", None, "https://shop.test/pricing?plan=pro", _at(5, 11)))
    jm.track(_visit("v2", None, "https://shop.test/about", _at(5, 12)))
    jm.track(_visit(None, "k", "https://shop.test/pricing", _at(6, 23, 30)))
    jm.track(_visit("v3", None, "https://shop.test/pricing", _at(7, 0, 30)))
    return jm


def _visitors(r: ReportResult) -> tuple[int | None, int | None, int]:
    p = r.element("p")
    return p.page_visits, p.unique_visitors, r.cohort_size


def test_page_visitors_count_anonymous_visits(pages: journeymap.Journeymap) -> None:
    r = pages.report("contact-flow", map_id="pages")
    assert _visitors(r) == (4, 3, 1)
    assert r.element("e").page_visits is None  # only on page-visit triggers


def test_page_visitors_filter_on_the_visits_own_utm(pages: journeymap.Journeymap) -> None:
    ads = pages.report("contact-flow", map_id="pages", utm={"source": "ads"})
    assert _visitors(ads) == (1, 1, 0)
    none = pages.report("contact-flow", map_id="pages", utm={"source": "(none)"})
    assert _visitors(none) == (3, 3, 1)


def test_date_range_days_are_local_to_the_timezone(pages: journeymap.Journeymap) -> None:
    day = ("2026-01-06", "2026-01-06")
    utc = pages.report("contact-flow", map_id="pages", date_range=day)
    assert _visitors(utc) == (1, 1, 1)
    paris = pages.report("contact-flow", map_id="pages", date_range=day, tz="Europe/Paris")
    assert _visitors(paris) == (0, 0, 0)
    new_york = pages.report("contact-flow", map_id="pages", date_range=day, tz="America/New_York")
    assert _visitors(new_york) == (2, 2, 1)
    assert new_york.filters["tz"] == "America/New_York"


def test_date_range_edges_include_the_first_and_last_day_whole(
    jm: journeymap.Journeymap,
) -> None:
    add(jm, "edges", [trigger("t"), end("e")], [("c1", "t", "e")])
    jm.track(form("before", _at(5, 23, 59, 59)))
    jm.track(form("first", _at(6, 0)))
    jm.track(form("last", _at(7, 23, 59, 59)))
    jm.track(form("after", _at(8, 0)))
    jm.track(form("before", _at(6, 12)))  # no re-entry while on the map: cohort date stays Jan 5
    r = jm.report("contact-flow", map_id="edges", date_range=("2026-01-06", "2026-01-07"))
    assert r.cohort_size == 2
    assert r.element("e").here_now == 2
    assert (
        jm.report("contact-flow", map_id="edges", date_range=("2026-01-06", None)).cohort_size == 3
    )
    assert (
        jm.report("contact-flow", map_id="edges", date_range=(None, "2026-01-06")).cohort_size == 2
    )


def test_cohort_date_is_the_first_entry(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "once",
        [trigger("t", reentry="always"), wait("w", duration="PT1H"), end("e", exit=True)],
        [("c1", "t", "w"), ("c2", "w", "e")],
    )
    jm.track(form("a", _at(5, 12)))
    jm.tick(_at(5, 14))
    jm.track(form("a", _at(6, 12)))  # re-enters on Jan 6; still in the Jan 5 cohort
    jan5 = jm.report("contact-flow", map_id="once", date_range=("2026-01-05", "2026-01-05"))
    assert (jan5.cohort_size, jan5.element("t").visits) == (1, 2)
    jan6 = jm.report("contact-flow", map_id="once", date_range=("2026-01-06", "2026-01-06"))
    assert jan6.cohort_size == 0


@pytest.mark.parametrize(
    ("name", "kwargs", "code", "mentions"),
    [
        ("contact-flow", {"map_id": "nope"}, "unknown_map", "nope"),
        ("no-such-report", {"map_id": "g"}, "unknown_report", "no-such-report"),
        ("goal-conversion-point", {"map_id": "g"}, "goal_required", "goal"),
        ("goal-conversion-time", {"map_id": "g", "goal": "zz"}, "unknown_goal", "zz"),
        ("goal-conversion-rate", {"map_id": "g", "goal": "w"}, "not_a_goal", "'w' is a wait"),
        (
            "contact-flow",
            {"map_id": "g", "date_range": ("2026-02-01", "2026-01-01")},
            "from_after_to",
            "2026-02-01",
        ),
        ("contact-flow", {"map_id": "g", "utm": {"sauce": "x"}}, "unknown_utm_field", "sauce"),
        ("contact-flow", {"map_id": "g", "tz": "Mars/Olympus"}, "unknown_timezone", "Mars"),
        (
            "contact-flow",
            {"map_id": "g", "date_range": ("2026-13-01", None)},
            "bad_date",
            "from: '2026-13-01' is not a YYYY-MM-DD date",
        ),
        (
            "contact-flow",
            {"map_id": "g", "date_range": ("0001-01-01", None), "tz": "Asia/Tokyo"},
            "bad_date",
            "from: 0001-01-01 is not between 1970-01-01 and 2999-12-31",
        ),
        ("contact-flow", {"map_id": "g", "tz": "Europe"}, "unknown_timezone", "'Europe'"),
        ("funnel-conversion", {"map_id": "g", "steps": ["t", "w"]}, "bad_funnel_step", "'w'"),
        ("funnel-conversion", {"map_id": "g", "steps": ["t"]}, "bad_funnel_step", "2 to 10"),
        ("funnel-conversion", {"map_id": "g", "steps": ["t", "x"]}, "bad_funnel_step", "'x'"),
    ],
)
def test_bad_parameters_get_an_error_with_its_code(
    jm: journeymap.Journeymap, name: str, kwargs: dict[str, object], code: str, mentions: str
) -> None:
    add(
        jm,
        "g",
        [trigger("t"), wait("w", duration="P1D"), goal("goal"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "goal"), ("c3", "goal", "e")],
    )
    with pytest.raises(JourneymapError) as err:
        jm.report(name, **kwargs)  # type: ignore[arg-type]
    assert err.value.code == code
    assert mentions in str(err.value)
