"""Goals: pulls from upstream, entering at a goal, waiting at a goal, and achievements' origin."""

from __future__ import annotations

import journeymap
from journeymap.engine import Event
from test_engine_support import (
    achievements,
    add,
    at,
    buy,
    end,
    form,
    goal,
    kind,
    moves,
    positions,
    trigger,
    wait,
)

_LINE = (
    [trigger("t"), wait("w1", duration="PT1H"), wait("w2", duration="P1D"), goal("g"), end("e")],
    [("c1", "t", "w1"), ("c2", "w1", "w2"), ("c3", "w2", "g"), ("c4", "g", "e")],
)


def test_goal_pulls_two_contacts_from_two_elements(jm: journeymap.Journeymap) -> None:
    add(jm, "m", *_LINE)
    jm.track(form("a", at(0)))
    jm.track(form("b", at(30)))
    jm.tick(at(60))  # a moves on to w2, b still waits at w1
    jm.track_many([buy("a", at(90)), buy("b", at(95))])
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "w1", "c1", "flow", at(0)),
        ("b", None, "t", None, "enter", at(30)),
        ("b", "t", "w1", "c1", "flow", at(30)),
        ("a", "w1", "w2", "c2", "flow", at(60)),
        ("a", "w2", "g", None, "pull", at(90)),
        ("a", "g", "e", "c4", "flow", at(90)),
        ("b", "w1", "g", None, "pull", at(95)),
        ("b", "g", "e", "c4", "flow", at(95)),
    ]
    assert achievements(jm) == [("a", "g", "w2", at(90)), ("b", "g", "w1", at(95))]
    # the pulled waits are not released later
    assert jm.tick(at(days=3)) == 0
    assert positions(jm, "a", "m") == positions(jm, "b", "m") == {"e"}


def test_contact_not_on_the_map_enters_at_the_goal(jm: journeymap.Journeymap) -> None:
    add(jm, "m", *_LINE)
    jm.track(buy("c", at(5)))
    assert moves(jm) == [
        ("c", None, "g", None, "enter", at(5)),
        ("c", "g", "e", "c4", "flow", at(5)),
    ]
    assert achievements(jm) == [("c", "g", None, at(5))]
    entries = jm.store.query("engine_entries")
    assert [(r["contact_id"], r["element_id"]) for r in entries] == [("c", "g")]
    achieved = jm.store.query("engine_achievements", {"map_id": "m"})
    assert achieved[0]["entry_id"] == entries[0]["entry_id"]


def test_contact_on_the_map_but_not_upstream_is_unaffected(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [trigger("t"), wait("w", duration="PT1H"), end("e1"), goal("g"), end("e2")],
        [("c1", "t", "w"), ("c2", "w", "e1"), ("c3", "g", "e2")],
    )
    jm.track(form("a", at(0)))
    jm.track(buy("a", at(10)))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "w", "c1", "flow", at(0)),
    ]
    assert achievements(jm) == []
    assert positions(jm, "a", "m") == {"w"}


def test_goal_reached_along_a_connector_waits_until_achieved(jm: journeymap.Journeymap) -> None:
    add(jm, "m", [trigger("t"), goal("g"), end("e")], [("c1", "t", "g"), ("c2", "g", "e")])
    jm.track(form("a", at(0)))
    assert positions(jm, "a", "m") == {"g"}
    assert achievements(jm) == []
    jm.track(buy("a", at(days=2)))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "g", "c1", "flow", at(0)),
        ("a", "g", "e", "c2", "flow", at(days=2)),
    ]
    # waiting at the goal: the achievement names the element it came from
    assert achievements(jm) == [("a", "g", "t", at(days=2))]
    assert positions(jm, "a", "m") == {"e"}


def test_goal_whose_state_already_holds_is_achieved_on_arrival(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [
            trigger("t"),
            goal("g", on="tag_added", tag="vip"),
            goal("h", on="tag_removed", tag="spam"),
            goal("k", on="field_updated", field="plan", value="pro"),
            end("e"),
        ],
        [("c1", "t", "g"), ("c2", "g", "h"), ("c3", "h", "k"), ("c4", "k", "e")],
    )
    jm.track(Event("contact_created", "a", at(0), tags=("vip",), fields={"plan": "pro"}))
    jm.track(form("a", at(1)))
    assert moves(jm) == [
        ("a", None, "g", None, "enter", at(0)),  # the created contact's tag enters at goal g
        ("a", "g", "h", "c2", "flow", at(0)),
        ("a", "h", "k", "c3", "flow", at(0)),
        ("a", "k", "e", "c4", "flow", at(0)),
    ]
    assert achievements(jm) == [
        ("a", "g", None, at(0)),
        ("a", "h", "g", at(0)),  # a contact without the tag already holds "tag removed"
        ("a", "k", "h", at(0)),
    ]
    # sitting at the end, the contact is on the map: the trigger lets it in no more
    assert positions(jm, "a", "m") == {"e"}


def test_tag_goal_waits_for_a_contact_without_the_tag(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [trigger("t"), goal("g", on="tag_added", tag="vip"), end("e")],
        [("c1", "t", "g"), ("c2", "g", "e")],
    )
    jm.track(form("a", at(0)))
    jm.track(Event("tag_added", "a", at(30), tag="other"))
    assert positions(jm, "a", "m") == {"g"}
    jm.track(Event("tag_added", "a", at(40), tag="vip"))
    assert moves(jm)[2:] == [("a", "g", "e", "c2", "flow", at(40))]
    assert achievements(jm) == [("a", "g", "t", at(40))]


def test_fork_then_goal_pulls_both_branches_for_one_achievement(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "m",
        [
            trigger("t"),
            kind("f", "fork"),
            wait("w1", duration="PT1H"),
            wait("w2", duration="PT2H"),
            goal("g"),
            end("e"),
        ],
        [
            ("c1", "t", "f"),
            ("c2", "f", "w1"),
            ("c3", "f", "w2"),
            ("c4", "w1", "g"),
            ("c5", "w2", "g"),
            ("c6", "g", "e"),
        ],
    )
    jm.track(form("a", at(0)))
    jm.track(buy("a", at(30)))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "f", "c1", "flow", at(0)),
        ("a", "f", "w1", "c2", "flow", at(0)),
        ("a", "f", "w2", "c3", "flow", at(0)),
        ("a", "w1", "g", None, "pull", at(30)),
        ("a", "w2", "g", None, "pull", at(30)),
        ("a", "g", "e", "c6", "flow", at(30)),
    ]
    assert achievements(jm) == [("a", "g", "w1", at(30))]  # the earliest-arrived source
    assert positions(jm, "a", "m") == {"e"}
    assert jm.tick(at(180)) == 0


def test_waiting_at_the_goal_and_upstream_names_the_earliest_arrival(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "m",
        [trigger("t"), kind("f", "fork"), wait("w", duration="PT1H"), goal("g"), end("e")],
        [
            ("c1", "t", "f"),
            ("c2", "f", "g"),
            ("c3", "f", "w"),
            ("c4", "w", "g"),
            ("c5", "g", "e"),
        ],
    )
    jm.track(form("a", at(0)))
    assert positions(jm, "a", "m") == {"g", "w"}
    jm.track(buy("a", at(30)))
    assert moves(jm)[4:] == [
        ("a", "w", "g", None, "pull", at(30)),
        ("a", "g", "e", "c5", "flow", at(30)),
    ]
    # arrived at the goal first (from the fork), so the achievement names the fork
    assert achievements(jm) == [("a", "g", "f", at(30))]


def test_the_event_that_brings_a_contact_to_a_goal_does_not_achieve_it(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "m",
        [trigger("t", on="purchase"), goal("g"), end("e")],
        [("c1", "t", "g"), ("c2", "g", "e")],
    )
    jm.track(buy("a", at(0)))  # enters by the trigger and waits at the goal
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(0)),
        ("a", "t", "g", "c1", "flow", at(0)),
    ]
    assert achievements(jm) == []
    jm.track(buy("a", at(5)))  # the next purchase achieves it
    assert moves(jm)[2:] == [("a", "g", "e", "c2", "flow", at(5))]
    assert achievements(jm) == [("a", "g", "t", at(5))]


def test_one_event_achieves_only_the_nearest_of_two_goals(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        # the farther goal is listed first; the nearer one still pulls first
        [trigger("t"), goal("g2"), wait("w", duration="PT1H"), goal("g1"), end("e")],
        [("c1", "t", "w"), ("c2", "w", "g1"), ("c3", "g1", "g2"), ("c4", "g2", "e")],
    )
    jm.track(form("a", at(0)))
    jm.track(buy("a", at(10)))  # first purchase: g1 pulls; the same purchase is not a repeat
    assert moves(jm)[2:] == [
        ("a", "w", "g1", None, "pull", at(10)),
        ("a", "g1", "g2", "c3", "flow", at(10)),
    ]
    assert achievements(jm) == [("a", "g1", "w", at(10))]
    jm.track(buy("a", at(20)))  # the second purchase achieves the farther goal
    assert moves(jm)[4:] == [("a", "g2", "e", "c4", "flow", at(20))]
    assert achievements(jm)[1:] == [("a", "g2", "g1", at(20))]


def test_goal_with_nothing_below_keeps_the_contact(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [trigger("t"), wait("w", duration="PT1H"), goal("g")],
        [("c1", "t", "w"), ("c2", "w", "g")],
    )
    jm.track(form("a", at(0)))
    jm.track(buy("a", at(10)))
    jm.track(buy("a", at(20)))  # already achieved and nothing upstream: no second achievement
    assert moves(jm)[2:] == [("a", "w", "g", None, "pull", at(10))]
    assert achievements(jm) == [("a", "g", "w", at(10))]
    assert positions(jm, "a", "m") == {"g"}


def test_a_loop_through_a_goal_that_holds_goes_round_once(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [
            trigger("t"),
            goal("g", on="tag_added", tag="vip"),
            {
                "id": "mail",
                "kind": "action",
                "action": {"type": "send_email", "message": {"subject": "Hi"}},
            },
        ],
        [("c1", "t", "g"), ("c2", "g", "mail"), ("c3", "mail", "g")],
    )
    jm.track(Event("tag_added", "a", at(0), tag="vip"))  # enters at g, goes round once
    assert moves(jm) == [
        ("a", None, "g", None, "enter", at(0)),
        ("a", "g", "mail", "c2", "flow", at(0)),
        ("a", "mail", "g", "c3", "flow", at(0)),
    ]
    assert positions(jm, "a", "m") == {"g"}
    # the next vip event achieves the goal it waits at, and round it goes once more
    jm.track(Event("tag_added", "a", at(5), tag="vip"))
    assert moves(jm)[3:] == [
        ("a", "g", "mail", "c2", "flow", at(5)),
        ("a", "mail", "g", "c3", "flow", at(5)),
    ]
    assert achievements(jm) == [("a", "g", None, at(0)), ("a", "g", "mail", at(5))]
    assert [r["created_at"] for r in jm.outbox("a")] == [at(0), at(5)]  # a message each time
