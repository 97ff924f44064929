"""Actions run and pass on; tag and field changes cascade to every map; maps add and remove."""

from __future__ import annotations

from decimal import Decimal

import journeymap
from journeymap.engine import Event
from test_engine_support import (
    achievements,
    action,
    add,
    at,
    end,
    form,
    goal,
    moves,
    positions,
    trigger,
    wait,
)


def _queued(jm: journeymap.Journeymap) -> list[tuple[object, ...]]:
    """The messages send-email actions queued: map, element, contact, when."""
    return [(r["map_id"], r["element_id"], r["contact_id"], r["created_at"]) for r in jm.outbox()]


def _email_rows(jm: journeymap.Journeymap) -> list[tuple[object, ...]]:
    rows = jm.store.query("engine_email_events")
    return [
        (r["event"], r["map_id"], r["element_id"], r["contact_id"], r["occurred_at"]) for r in rows
    ]


def _tags(jm: journeymap.Journeymap, contact: str) -> list[str]:
    return sorted(jm.store.query("contact", {"contact_id": contact})[0]["tags"])


def test_tag_added_by_an_action_fires_a_tag_trigger_on_another_map(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "a",
        [trigger("t"), action("tag", "add_tag", tag="vip"), end("e")],
        [("a1", "t", "tag"), ("a2", "tag", "e")],
    )
    add(jm, "b", [trigger("tb", on="tag_added", tag="vip"), end("eb")], [("b1", "tb", "eb")])
    jm.track(form("x", at(0)))
    assert moves(jm) == [
        ("x", None, "t", None, "enter", at(0)),
        ("x", "t", "tag", "a1", "flow", at(0)),
        ("x", "tag", "e", "a2", "flow", at(0)),
        ("x", None, "tb", None, "enter", at(0)),
        ("x", "tb", "eb", "b1", "flow", at(0)),
    ]
    assert _tags(jm, "x") == ["vip"]
    # a second pass adds nothing new, so no tag event: map b is not entered again
    add(
        jm,
        "a",
        [trigger("t", reentry="always"), action("tag", "add_tag", tag="vip"), end("e")],
        [("a1", "t", "tag"), ("a2", "tag", "e")],
    )
    add(
        jm,
        "b",
        [trigger("tb", on="tag_added", tag="vip", reentry="always"), end("eb")],
        [("b1", "tb", "eb")],
    )
    jm.track(form("x", at(5)))
    assert [m for m in moves(jm) if m[5] == at(5)] == [
        ("x", None, "t", None, "enter", at(5)),
        ("x", "t", "tag", "a1", "flow", at(5)),
        ("x", "tag", "e", "a2", "flow", at(5)),
    ]


def test_remove_tag_and_update_field_cascade(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "a",
        [
            trigger("t"),
            action("untag", "remove_tag", tag="lead"),
            action("plan", "update_field", field="plan", value="pro"),
            end("e"),
        ],
        [("a1", "t", "untag"), ("a2", "untag", "plan"), ("a3", "plan", "e")],
    )
    add(
        jm,
        "b",
        [
            trigger("tb", on="tag_removed", tag="lead"),
            trigger("tf", on="field_updated", field="plan", value="pro", reentry="always"),
            end("eb"),
        ],
        [("b1", "tb", "eb"), ("b2", "tf", "eb")],
    )
    jm.track(Event("tag_added", "x", at(0), tag="lead"))
    jm.track(form("x", at(1)))
    assert moves(jm) == [
        ("x", None, "t", None, "enter", at(1)),
        ("x", "t", "untag", "a1", "flow", at(1)),
        ("x", "untag", "plan", "a2", "flow", at(1)),
        ("x", "plan", "e", "a3", "flow", at(1)),
        ("x", None, "tb", None, "enter", at(1)),
        ("x", "tb", "eb", "b1", "flow", at(1)),
        ("x", None, "tf", None, "enter", at(1)),
        ("x", "tf", "eb", "b2", "flow", at(1)),
    ]
    row = jm.store.query("contact", {"contact_id": "x"})[0]
    assert row["tags"] == []
    assert row["fields"] == '{"plan": "pro"}'


def test_tag_from_an_action_pulls_to_a_tag_goal_on_the_same_map(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "a",
        [
            trigger("t"),
            action("tag", "add_tag", tag="vip"),
            wait("w", duration="P1D"),
            goal("g", on="tag_added", tag="vip"),
            end("e"),
        ],
        [("a1", "t", "tag"), ("a2", "tag", "w"), ("a3", "w", "g"), ("a4", "g", "e")],
    )
    jm.track(form("x", at(0)))
    # the tag event runs after the step that set it: the contact already waits, and is pulled
    assert moves(jm) == [
        ("x", None, "t", None, "enter", at(0)),
        ("x", "t", "tag", "a1", "flow", at(0)),
        ("x", "tag", "w", "a2", "flow", at(0)),
        ("x", "w", "g", None, "pull", at(0)),
        ("x", "g", "e", "a4", "flow", at(0)),
    ]
    assert achievements(jm) == [("x", "g", "w", at(0))]
    assert jm.tick(at(days=2)) == 0


def test_add_to_map_enters_the_other_maps_manual_trigger(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "b",
        [trigger("tb", on="added_manually"), wait("wb", duration="PT1H"), end("eb")],
        [("b1", "tb", "wb"), ("b2", "wb", "eb")],
    )
    add(jm, "c", [trigger("tc", on="added_manually"), end("ec")], [("c1", "tc", "ec")])
    add(
        jm,
        "a",
        [trigger("t"), action("add", "add_to_map", map_id="b"), end("e")],
        [("a1", "t", "add"), ("a2", "add", "e")],
    )
    jm.track(form("x", at(0)))
    assert moves(jm) == [
        ("x", None, "t", None, "enter", at(0)),
        ("x", "t", "add", "a1", "flow", at(0)),
        ("x", "add", "e", "a2", "flow", at(0)),
        ("x", None, "tb", None, "enter", at(0)),
        ("x", "tb", "wb", "b1", "flow", at(0)),
    ]
    # the manual add names map b: map c's manual trigger did not fire
    assert positions(jm, "x", "c") == set()


def test_remove_from_map_exits_every_position_there(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "b",
        [
            trigger("tb"),
            {"id": "f", "kind": "fork"},
            wait("w1", duration="PT1H"),
            wait("w2", duration="PT2H"),
            end("eb"),
        ],
        [
            ("b1", "tb", "f"),
            ("b2", "f", "w1"),
            ("b3", "f", "w2"),
            ("b4", "w1", "eb"),
            ("b5", "w2", "eb"),
        ],
    )
    add(
        jm,
        "a",
        [trigger("t", on="purchase"), action("rm", "remove_from_map", map_id="b"), end("e")],
        [("a1", "t", "rm"), ("a2", "rm", "e")],
    )
    jm.track(form("x", at(0)))
    assert positions(jm, "x", "b") == {"w1", "w2"}
    jm.track(Event("purchase", "x", at(10), amount=Decimal("5")))
    assert moves(jm, "b")[4:] == [
        ("x", "w1", None, None, "exit", at(10)),
        ("x", "w2", None, None, "exit", at(10)),
    ]
    assert positions(jm, "x", "b") == set()
    assert jm.tick(at(180)) == 0  # the pending waits went with it


def test_send_email_queues_a_message_except_for_unsubscribed(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "a",
        [
            trigger("t"),
            action("mail", "send_email", message={"subject": "Hello {{name}}", "text": "hi"}),
            end("e"),
        ],
        [("a1", "t", "mail"), ("a2", "mail", "e")],
    )
    jm.track(form("x", at(0)))
    jm.track(Event("email_unsubscribed", "y", at(1)))
    jm.track(form("y", at(2)))
    assert _email_rows(jm) == [("unsubscribed", None, None, "y", at(1))]  # `sent`: once delivered
    assert _queued(jm) == [("a", "mail", "x", at(0))]
    # the unsubscribed contact still moves through the action
    assert moves(jm, "a", "y") == [
        ("y", None, "t", None, "enter", at(2)),
        ("y", "t", "mail", "a1", "flow", at(2)),
        ("y", "mail", "e", "a2", "flow", at(2)),
    ]


def test_email_open_of_this_maps_message_achieves_an_email_goal(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "a",
        [
            trigger("t"),
            action("mail", "send_email", message={"subject": "Hi"}),
            goal("opened", on="email_opened", email="mail"),
            end("e"),
        ],
        [("a1", "t", "mail"), ("a2", "mail", "opened"), ("a3", "opened", "e")],
    )
    jm.track(form("x", at(0)))
    jm.track(Event("email_opened", "x", at(3), map_id="other", element_id="mail"))
    assert positions(jm, "x", "a") == {"opened"}
    jm.track(Event("email_opened", "x", at(4), map_id="a", element_id="mail"))
    assert achievements(jm) == [("x", "opened", "mail", at(4))]
    assert _email_rows(jm) == [
        ("opened", "other", "mail", "x", at(3)),
        ("opened", "a", "mail", "x", at(4)),
    ]
