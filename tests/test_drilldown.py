"""Drill-down: the contacts behind every count of a hand-worked scenario, filters and paging."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import JourneymapError
from journeymap.reports import ReportResult
from test_email_support import deliver_emails
from test_engine_support import T0, action, add, at, buy, end, form, goal, trigger, wait
from test_reports_support import SEND


def who(jm: journeymap.Journeymap, figure: str, **kw: Any) -> list[str]:
    """Contact ids of the whole list behind a figure, in the list's order."""
    page = jm.contacts("dd", figure=figure, limit=None, **kw)
    assert page.total == len(page.rows)
    return [r.contact_id for r in page.rows]


def _email(contact: str) -> dict[str, str]:
    return {"email": f"{contact}@x.org"}


def scenario(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """t (re-entry always) -> mail -> w (1 day) -> g (purchase) -> e.

    a (google/cpc) signs up at 09:00, opens at 09:05, buys 25 at 09:10 (pulled from w), then
    signs up again at 00:00 the next day and sits on w; b (no UTM) signs up at 09:20, opens
    twice and clicks, and the tick moves it on to g, where it waits; c buys 10 at 09:40 without
    signing up (enters at g); d (facebook) signs up at 23:30 UTC (08:30 on 6 January in Tokyo)
    and unsubscribes."""
    add(
        jm,
        "dd",
        [
            trigger("t", reentry="always"),
            action("mail", "send_email", **SEND),
            wait("w", duration="P1D"),
            goal("g"),
            end("e"),
        ],
        [("c1", "t", "mail"), ("c2", "mail", "w"), ("c3", "w", "g"), ("c4", "g", "e")],
    )
    jm.track(form("a", at(0), utm={"source": "google", "medium": "cpc"}, fields=_email("a")))
    jm.track(Event("email_opened", "a", at(5), map_id="dd", element_id="mail"))
    jm.track(buy("a", at(10), "25"))
    jm.track(form("b", at(20), fields=_email("b")))
    for kind, minute in (("email_opened", 30), ("email_opened", 31), ("email_clicked", 32)):
        jm.track(Event(kind, "b", at(minute), map_id="dd", element_id="mail"))
    jm.track(buy("c", at(40), "10"))
    jm.track(form("d", at(hours=14, minutes=30), utm={"source": "facebook"}, fields=_email("d")))
    jm.track(form("a", at(hours=15)))
    jm.tick(at(days=1, hours=1))
    assert deliver_emails(jm) == {"delivered": 4}  # before d unsubscribes
    jm.track(Event("email_unsubscribed", "d", at(days=1, hours=2), map_id="dd", element_id="mail"))
    return jm


@pytest.fixture
def fresh(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """The scenario for a test that adds events to it."""
    return scenario(jm)


@pytest.fixture(scope="module")
def dd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[journeymap.Journeymap]:
    """The scenario, built once for the tests that only read it."""
    lib = journeymap.open(tmp_path_factory.mktemp("dd") / "dd.duckdb", clock=ManualClock(T0))
    yield scenario(lib)
    lib.close()


def test_flow_figures_list_their_contacts(dd: journeymap.Journeymap) -> None:
    r = dd.report("contact-flow", map_id="dd")
    w = r.element("w")
    assert (w.were_here, w.here_now, w.visits) == (1, 2, 4)
    assert who(dd, "here_now", element="w") == ["d", "a"]  # ordered by the live arrival
    assert who(dd, "were_here", element="w") == ["b"]
    assert who(dd, "here_now", element="g") == ["b"]
    assert who(dd, "were_here", element="g") == ["a", "c"]
    assert who(dd, "here_now", element="e") == ["a", "c"]
    visits = dd.contacts("dd", figure="visits", element="w")
    assert [(x.contact_id, x.value) for x in visits.rows] == [("a", 2), ("b", 1), ("d", 1)]
    assert sum(int(x.value or 0) for x in visits.rows) == w.visits
    assert who(dd, "visitors", element="t") == ["a", "b", "d"]
    assert r.connector("c3").contacts == 1
    assert who(dd, "contacts", connector="c3") == ["b"]  # a was pulled, not along c3
    moved = dd.contacts("dd", figure="contacts", connector="c1")
    assert [(x.contact_id, x.at, x.value) for x in moved.rows] == [
        ("a", at(0), 2),
        ("b", at(20), 1),
        ("d", at(hours=14, minutes=30), 1),
    ]
    assert who(dd, "cohort_size") == ["a", "b", "c", "d"]


def test_the_time_of_each_row(dd: journeymap.Journeymap) -> None:
    here = dd.contacts("dd", figure="here_now", element="w")
    assert here.at_name == "arrived_at"
    assert [(x.contact_id, x.at) for x in here.rows] == [
        ("d", at(hours=14, minutes=30)),
        ("a", at(hours=15)),  # its second arrival, the one it is still on
    ]
    first = dd.contacts("dd", figure="visitors", element="w")
    assert [(x.contact_id, x.at) for x in first.rows] == [
        ("a", at(0)),
        ("b", at(20)),
        ("d", at(hours=14, minutes=30)),
    ]
    a = first.rows[0]
    assert (a.created_at, a.first_utm_source, a.first_utm_medium, a.first_utm_campaign) == (
        at(0),
        "google",
        "cpc",
        None,
    )


def test_goal_figures_list_their_contacts(dd: journeymap.Journeymap) -> None:
    rate = dd.report("goal-conversion-rate", map_id="dd", goal="g")
    assert (rate.element("g").achieved, rate.cohort_size) == (2, 4)
    assert who(dd, "achieved", element="g") == ["a", "c"]
    assert {e.id: e.to_goal for e in rate.elements} == {"t": 1, "mail": 1, "w": 1, "g": 2, "e": 0}
    to_goal = dd.contacts("dd", figure="to_goal", element="t", goal="g")
    assert [(x.contact_id, x.at, x.value) for x in to_goal.rows] == [("a", at(10), 600.0)]
    assert to_goal.value_name == "seconds_to_goal"
    assert who(dd, "to_goal", element="g", goal="g") == ["a", "c"]
    assert who(dd, "to_goal", element="e", goal="g") == []
    assert who(dd, "conversion_time_n", element="w", goal="g") == ["a"]
    point = dd.report("goal-conversion-point", map_id="dd", goal="g").as_dict()
    assert (point["goal_achievers"], point["entered_at_goal"]) == (2, 1)
    assert who(dd, "conversion_point", element="w", goal="g") == ["a"]
    assert who(dd, "conversion_point", element="t", goal="g") == []
    assert who(dd, "entered_at_goal", goal="g") == ["c"]
    assert who(dd, "goal_achievers", goal="g") == ["a", "c"]
    assert who(dd, "achievers") == ["a", "c"]


def test_funnel_and_spend_figures_list_their_contacts(dd: journeymap.Journeymap) -> None:
    funnel = dd.report("funnel-conversion", map_id="dd")
    g = funnel.element("g")
    assert (funnel.element("t").funnel_count, g.funnel_count, g.entered_directly) == (3, 1, 1)
    assert who(dd, "funnel_count", element="t") == ["a", "b", "d"]
    reached = dd.contacts("dd", figure="funnel_count", element="g")
    assert [(x.contact_id, x.at) for x in reached.rows] == [("a", at(10))]
    assert who(dd, "entered_directly", element="g") == ["c"]
    ltv = dd.report("lifetime-value", map_id="dd")
    assert (ltv.element("w").amount_spent, ltv.element("g").amount_spent) == (25, 35)
    spend = dd.contacts("dd", figure="amount_spent", element="g")
    assert [(x.contact_id, x.value) for x in spend.rows] == [("a", 25), ("c", 10), ("b", 0)]
    assert spend.value_name == "amount"
    after = dd.contacts("dd", figure="amount_spent", element="e", after_arrival=True)
    assert [(x.contact_id, x.value) for x in after.rows] == [("a", 25), ("c", 10)]  # same minute


def test_email_figures_list_their_contacts(dd: journeymap.Journeymap) -> None:
    mail = dd.report("contact-flow", map_id="dd").element("mail")
    assert (mail.sent, mail.opened, mail.clicked, mail.unsubscribed) == (4, 2, 1, 1)
    sent = dd.contacts("dd", figure="sent", element="mail")
    assert [(x.contact_id, x.value) for x in sent.rows] == [("a", 2), ("b", 1), ("d", 1)]
    assert sum(int(x.value or 0) for x in sent.rows) == mail.sent
    opened = dd.contacts("dd", figure="opened", element="mail")
    assert [(x.contact_id, x.at, x.value) for x in opened.rows] == [
        ("a", at(5), 1),
        ("b", at(30), 2),
    ]
    assert opened.at_name == "opened_at"
    assert who(dd, "clicked", element="mail") == ["b"]
    assert who(dd, "unsubscribed", element="mail") == ["d"]


def test_utm_filters_and_none(fresh: journeymap.Journeymap) -> None:
    assert who(fresh, "cohort_size", utm={"source": "(none)"}) == ["b", "c"]
    assert who(fresh, "were_here", element="w", utm={"source": "(none)"}) == ["b"]
    assert who(fresh, "here_now", element="w", utm={"source": "(none)"}) == []
    assert who(fresh, "here_now", element="w", utm={"source": "google", "medium": "cpc"}) == ["a"]
    assert who(fresh, "here_now", element="w", utm={"source": "google", "medium": "(none)"}) == []
    fresh.track(Event("custom", "d", at(days=2), utm={"source": "newsletter"}))
    assert who(fresh, "cohort_size", utm={"source": "newsletter"}) == []
    assert who(fresh, "cohort_size", utm={"source": "newsletter"}, last_touch=True) == ["d"]


@pytest.mark.parametrize(
    ("date_range", "tz", "expected"),
    [
        (("2026-01-05", "2026-01-05"), "UTC", ["a", "b", "c", "d"]),
        (("2026-01-06", None), "UTC", []),
        (("2026-01-06", "2026-01-06"), "Asia/Tokyo", ["d"]),
        ((None, "2026-01-05"), "Asia/Tokyo", ["a", "b", "c"]),
        (("2026-01-05", "2026-01-05"), "America/Los_Angeles", ["a", "b", "c", "d"]),
    ],
)
def test_date_edges_follow_the_timezone(
    dd: journeymap.Journeymap,
    date_range: tuple[str | None, str | None],
    tz: str,
    expected: list[str],
) -> None:
    report = dd.report("contact-flow", map_id="dd", date_range=date_range, tz=tz)
    assert report.cohort_size == len(expected)
    assert who(dd, "cohort_size", date_range=date_range, tz=tz) == expected
    w = report.element("w")
    assert len(who(dd, "here_now", element="w", date_range=date_range, tz=tz)) == w.here_now


def test_paging_is_stable_and_counts_the_whole_list(fresh: journeymap.Journeymap) -> None:
    pages = [fresh.contacts("dd", figure="cohort_size", limit=3, offset=k) for k in (0, 3)]
    assert [[r.contact_id for r in p.rows] for p in pages] == [["a", "b", "c"], ["d"]]
    assert [p.total for p in pages] == [4, 4]
    middle = fresh.contacts("dd", figure="cohort_size", limit=2, offset=1)
    assert [r.contact_id for r in middle.rows] == ["b", "c"]
    past = fresh.contacts("dd", figure="cohort_size", limit=2, offset=9)
    assert (past.rows, past.total, past.limit, past.offset) == ([], 4, 2, 9)
    # equal times are ordered by contact id, whatever order the contacts came in
    fresh.track_many([form("z2", at(days=3)), form("z1", at(days=3))])
    assert who(fresh, "cohort_size") == ["a", "b", "c", "d", "z1", "z2"]
    last = fresh.contacts("dd", figure="cohort_size", limit=1, offset=4)
    assert [r.contact_id for r in last.rows] == ["z1"]


def test_json_shape_names_the_time_and_value(dd: journeymap.Journeymap) -> None:
    data = dd.contacts("dd", figure="opened", element="mail", limit=1).as_dict()
    assert data == {
        "map_id": "dd",
        "figure": "opened",
        "element": "mail",
        "connector": None,
        "goal": None,
        "filters": {"from": None, "to": None, "tz": "UTC", "utm": {}, "last_touch": False},
        "definition": "contacts with at least one opened email event from this element",
        "at_name": "opened_at",
        "value_name": "events",
        "total": 2,
        "limit": 1,
        "offset": 0,
        "rows": [
            {
                "contact_id": "a",
                "created_at": "2026-01-05T09:00:00+00:00",
                "first_utm_source": "google",
                "first_utm_medium": "cpc",
                "first_utm_campaign": None,
                "first_utm_content": None,
                "first_utm_term": None,
                "opened_at": "2026-01-05T09:05:00+00:00",
                "events": 1,
            }
        ],
    }


def test_csv_export_holds_the_whole_list(dd: journeymap.Journeymap) -> None:
    out = io.StringIO()
    assert dd.export_contacts("dd", figure="amount_spent", element="g", out=out) == 3
    assert out.getvalue().splitlines() == [
        "contact_id,created_at,first_utm_source,first_utm_medium,first_utm_campaign,"
        "first_utm_content,first_utm_term,arrived_at,amount",
        "a,2026-01-05T09:00:00+00:00,google,cpc,,,,2026-01-05T09:10:00+00:00,25.00",
        "c,2026-01-05T09:40:00+00:00,,,,,,2026-01-05T09:40:00+00:00,10.00",
        "b,2026-01-05T09:20:00+00:00,,,,,,2026-01-06T10:00:00+00:00,0.00",  # released by the tick
    ]
    empty = io.StringIO()
    assert dd.export_contacts("dd", figure="here_now", element="t", out=empty) == 0
    assert list(csv.reader(io.StringIO(empty.getvalue()))) == [
        [
            "contact_id",
            "created_at",
            "first_utm_source",
            "first_utm_medium",
            "first_utm_campaign",
            "first_utm_content",
            "first_utm_term",
            "arrived_at",
            "visits",
        ]
    ]


def test_a_figure_the_report_does_not_show_is_an_error(dd: journeymap.Journeymap) -> None:
    report: ReportResult = dd.report("contact-flow", map_id="dd")
    assert report.element("t").sent is None  # and so its list is refused
    with pytest.raises(JourneymapError) as err:
        dd.contacts("dd", figure="sent", element="t")
    assert err.value.code == "figure_not_for_element"
    assert "'t' is a trigger" in str(err.value)


@pytest.mark.parametrize(
    ("kw", "code", "names"),
    [
        ({"figure": "nope", "element": "t"}, "unknown_figure", "'nope'"),
        ({"figure": "conversion_rate", "element": "g"}, "figure_not_listable", "achieved"),
        ({"figure": "page_visits", "element": "t"}, "figure_not_listable", "visitor ids"),
        ({"figure": "here_now"}, "element_required", "'here_now'"),
        ({"figure": "here_now", "element": "zz"}, "unknown_element", "'zz'"),
        ({"figure": "here_now", "connector": "c1"}, "unexpected_connector", "elements"),
        ({"figure": "contacts"}, "connector_required", "connectors"),
        ({"figure": "contacts", "connector": "c9"}, "unknown_connector", "'c9'"),
        ({"figure": "contacts", "element": "t"}, "unexpected_element", "connectors"),
        ({"figure": "cohort_size", "element": "t"}, "unexpected_element", "the map"),
        ({"figure": "achieved", "element": "w"}, "figure_not_for_element", "'w' is a wait"),
        ({"figure": "opened", "element": "w"}, "figure_not_for_element", "send-email"),
        ({"figure": "conversion_point", "element": "w"}, "goal_required", "'conversion_point'"),
        ({"figure": "entered_at_goal", "goal": "w"}, "not_a_goal", "'w' is a wait"),
        ({"figure": "entered_at_goal", "goal": "gg"}, "unknown_goal", "'gg'"),
        ({"figure": "funnel_count", "element": "w"}, "figure_not_for_element", "t, g"),
        ({"figure": "entered_directly", "element": "t"}, "figure_not_for_element", "first"),
        ({"figure": "cohort_size", "utm": {"color": "x"}}, "unknown_utm_field", "'color'"),
        ({"figure": "cohort_size", "tz": "Mars/Base"}, "unknown_timezone", "'Mars/Base'"),
        ({"figure": "cohort_size", "limit": 0}, "bad_parameter", "limit"),
        ({"figure": "cohort_size", "offset": -1}, "bad_parameter", "offset"),
        (
            {"figure": "cohort_size", "date_range": ("2026-02-01", "2026-01-01")},
            "from_after_to",
            "from: 2026-02-01",
        ),
        ({"figure": "cohort_size", "offset": 2**63}, "bad_parameter", "offset"),
        ({"figure": "cohort_size", "tz": "Europe"}, "unknown_timezone", "'Europe'"),
        ({"figure": "cohort_size", "date_range": (None, "9999-12-31")}, "bad_date", "to: 9999"),
    ],
)
def test_errors_carry_a_stable_code_and_name_the_field(
    dd: journeymap.Journeymap, kw: dict[str, Any], code: str, names: str
) -> None:
    with pytest.raises(JourneymapError) as err:
        dd.contacts("dd", **kw)
    assert err.value.code == code
    assert names in str(err.value)


def test_an_unknown_map_is_not_found(dd: journeymap.Journeymap) -> None:
    with pytest.raises(JourneymapError) as err:
        dd.contacts("nomap", figure="cohort_size")
    assert err.value.code == "unknown_map"


def test_a_funnel_step_taken_out_of_order_counts_as_entered_directly(
    fresh: journeymap.Journeymap,
) -> None:
    """c achieved g before it ever signed up: it has both steps, but not in funnel order."""
    fresh.track(form("c", at(days=2)))
    funnel = fresh.report("funnel-conversion", map_id="dd")
    g = funnel.element("g")
    assert (funnel.element("t").funnel_count, g.funnel_count, g.entered_directly) == (4, 1, 1)
    assert who(fresh, "funnel_count", element="t") == ["a", "b", "d", "c"]
    assert who(fresh, "funnel_count", element="g") == ["a"]
    assert who(fresh, "entered_directly", element="g") == ["c"]
