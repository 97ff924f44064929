"""Contact Flow on a map with re-entries, a condition and a fork; email stats; UTM filters."""

from __future__ import annotations

import pytest

import journeymap
from journeymap.engine import Event
from test_email_support import deliver_emails
from test_engine_support import action, add, at, end, form, kind, trigger, wait
from test_reports_support import SEND, column, flow, links


@pytest.fixture
def fork_map(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """t (re-entry always) -> mail -> cond (first UTM source google?) yes: fork -> w1 -> e1 and
    fork -> e2 (exit); no: e3. x (google) enters twice, y (no UTM) once."""
    add(
        jm,
        "flow",
        [
            trigger("t", reentry="always"),
            action("mail", "send_email", **SEND),
            kind("cond", "condition", rule={"utm": "source", "op": "eq", "value": "google"}),
            kind("f", "fork"),
            wait("w1", duration="P1D"),
            end("e1"),
            end("e2", exit=True),
            end("e3"),
        ],
        [
            ("c1", "t", "mail"),
            ("c2", "mail", "cond"),
            ("c3", "cond", "f", {"label": "yes"}),
            ("c4", "cond", "e3", {"label": "no"}),
            ("c5", "f", "w1"),
            ("c6", "f", "e2"),
            ("c7", "w1", "e1"),
        ],
    )
    jm.track(form("x", at(0), utm={"source": "google"}, fields={"email": "x@x.org"}))
    jm.track(form("x", at(10)))
    jm.track(form("y", at(20), fields={"email": "y@x.org"}))
    return jm


def test_re_entries_fork_and_condition_before_the_wait_ends(
    fork_map: journeymap.Journeymap,
) -> None:
    r = fork_map.report("contact-flow", map_id="flow")
    assert r.cohort_size == 2
    assert flow(r) == {
        "t": (2, 0, 3),
        "mail": (2, 0, 3),
        "cond": (2, 0, 3),
        "f": (1, 0, 2),
        "w1": (0, 1, 2),
        "e1": (0, 0, 0),
        "e2": (1, 0, 2),
        "e3": (0, 1, 1),
    }
    assert links(r) == {
        "c1": (2, 1.0),
        "c2": (2, 1.0),
        "c3": (1, 0.5),
        "c4": (1, 0.5),
        "c5": (1, 1.0),
        "c6": (1, 1.0),
        "c7": (0, None),
    }


def test_after_the_wait_every_contact_was_here(fork_map: journeymap.Journeymap) -> None:
    fork_map.tick(at(days=2))
    r = fork_map.report("contact-flow", map_id="flow")
    assert flow(r)["w1"] == (1, 0, 2)
    assert flow(r)["e1"] == (0, 1, 1)
    assert links(r)["c7"] == (1, 1.0)


def test_email_stats_count_sends_and_unique_opens_clicks_unsubscribes(
    fork_map: journeymap.Journeymap,
) -> None:
    jm = fork_map
    queued = jm.report("contact-flow", map_id="flow").element("mail")
    assert (queued.sent, queued.queued, queued.failed, queued.open_rate) == (0, 3, 0, None)
    assert deliver_emails(jm) == {"delivered": 3}  # `sent` once the SMTP server took them
    for kind_, contact, minute in [
        ("email_opened", "x", 30),
        ("email_opened", "x", 31),
        ("email_clicked", "x", 32),
        ("email_unsubscribed", "y", 33),
    ]:
        jm.track(Event(kind_, contact, at(minute), map_id="flow", element_id="mail"))
    r = jm.report("contact-flow", map_id="flow")
    mail = r.element("mail")
    assert (mail.sent, mail.opened, mail.clicked, mail.unsubscribed) == (3, 1, 1, 1)
    assert (mail.queued, mail.failed, mail.last_error) == (0, 0, None)
    assert (mail.open_rate, mail.click_rate, mail.unsubscribe_rate) == (1 / 3, 1 / 3, 1 / 3)
    assert set(column(r, "sent")) == {"mail"}  # email stats only on send-email elements
    google = jm.report("contact-flow", map_id="flow", utm={"source": "google"})
    mail = google.element("mail")
    assert (mail.sent, mail.opened, mail.clicked, mail.unsubscribed) == (2, 1, 1, 0)
    assert (mail.open_rate, mail.click_rate, mail.unsubscribe_rate) == (0.5, 0.5, 0.0)


def test_utm_filters_first_touch_none_and_last_touch(fork_map: journeymap.Journeymap) -> None:
    jm = fork_map
    jm.track(Event("custom", "x", at(40), utm={"source": "newsletter"}))
    google = jm.report("contact-flow", map_id="flow", utm={"source": "google"})
    assert google.cohort_size == 1
    assert flow(google)["t"] == (1, 0, 2)
    assert links(google)["c3"] == (1, 1.0)
    none = jm.report("contact-flow", map_id="flow", utm={"source": "(none)"})
    assert none.cohort_size == 1
    assert flow(none)["e3"] == (0, 1, 1)
    assert links(none)["c4"] == (1, 1.0)
    assert flow(none)["f"] == (0, 0, 0)
    both = jm.report("contact-flow", map_id="flow", utm={"source": "google", "medium": "(none)"})
    assert both.cohort_size == 1
    assert jm.report("contact-flow", map_id="flow", utm={"source": "newsletter"}).cohort_size == 0
    last = jm.report("contact-flow", map_id="flow", utm={"source": "newsletter"}, last_touch=True)
    assert last.cohort_size == 1
    assert flow(last)["w1"] == (0, 1, 2)
    assert last.filters == {
        "from": None,
        "to": None,
        "tz": "UTC",
        "utm": {"source": "newsletter"},
        "last_touch": True,
    }


def test_a_figure_reflects_an_event_as_soon_as_it_is_applied(
    fork_map: journeymap.Journeymap,
) -> None:
    jm = fork_map
    jm.engine.apply(form("z", at(50)))  # buffered in the engine, not yet flushed
    assert jm.report("contact-flow", map_id="flow").cohort_size == 3
