"""Conditions: the branch a contact takes for rules on tags, fields and first/last-touch UTM."""

from __future__ import annotations

from typing import Any

import pytest

import journeymap
from journeymap.engine import Event
from test_engine_support import add, at, end, form, kind, moves, positions, trigger


def _condition_map(jm: journeymap.Journeymap, rule: dict[str, Any]) -> None:
    add(
        jm,
        "m",
        [trigger("t"), kind("c", "condition", rule=rule), end("yes"), end("no")],
        [
            ("c1", "t", "c"),
            ("cy", "c", "yes", {"label": "yes"}),
            ("cn", "c", "no", {"label": "no"}),
        ],
    )


_GOOGLE = {"source": "google", "medium": "cpc", "campaign": "spring"}
_FACEBOOK = {"source": "facebook", "medium": "social"}

CASES: list[tuple[str, dict[str, Any], Event, str]] = [
    ("tag present", {"tag": "vip", "op": "has"}, Event("tag_added", "a", at(0), tag="vip"), "yes"),
    ("tag absent", {"tag": "vip", "op": "has"}, Event("tag_added", "a", at(0), tag="x"), "no"),
    ("not_has", {"tag": "vip", "op": "not_has"}, Event("tag_added", "a", at(0), tag="x"), "yes"),
    # numbers compare as numbers: "9" > "10" as text, but not as numbers
    (
        "gt number",
        {"field": "score", "op": "gt", "value": 10},
        Event("contact_created", "a", at(0), fields={"score": "9"}),
        "no",
    ),
    (
        "gt number yes",
        {"field": "score", "op": "gt", "value": "10"},
        Event("contact_created", "a", at(0), fields={"score": "12.5"}),
        "yes",
    ),
    (
        "lte",
        {"field": "score", "op": "lte", "value": 9},
        Event("contact_created", "a", at(0), fields={"score": "9"}),
        "yes",
    ),
    (
        "eq text",
        {"field": "plan", "op": "eq", "value": "pro"},
        Event("contact_created", "a", at(0), fields={"plan": "pro"}),
        "yes",
    ),
    (
        "ne missing field",
        {"field": "plan", "op": "ne", "value": "pro"},
        Event("contact_created", "a", at(0)),
        "yes",
    ),
    (
        "eq missing field",
        {"field": "plan", "op": "eq", "value": "pro"},
        Event("contact_created", "a", at(0)),
        "no",
    ),
    (
        "exists",
        {"field": "plan", "op": "exists"},
        Event("contact_created", "a", at(0), fields={"plan": "free"}),
        "yes",
    ),
    (
        "exists empty",
        {"field": "plan", "op": "exists"},
        Event("contact_created", "a", at(0), fields={"plan": ""}),
        "no",
    ),
    (
        "contains",
        {"field": "email", "op": "contains", "value": "@acme."},
        Event("contact_created", "a", at(0), fields={"email": "x@acme.com"}),
        "yes",
    ),
    (
        "utm first touch",
        {"utm": "source", "touch": "first", "value": "google"},
        Event("contact_created", "a", at(0), utm=_GOOGLE),
        "yes",
    ),
    (
        "utm last touch",
        {"utm": "source", "touch": "last", "value": "google"},
        Event("contact_created", "a", at(0), utm=_GOOGLE),
        "yes",
    ),
    (
        "utm missing",
        {"utm": "campaign", "op": "exists"},
        Event("contact_created", "a", at(0)),
        "no",
    ),
]


@pytest.mark.parametrize(
    ("rule", "before", "branch"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_condition_branch(
    jm: journeymap.Journeymap, rule: dict[str, Any], before: Event, branch: str
) -> None:
    _condition_map(jm, rule)
    jm.track(before)
    jm.track(form("a", at(1)))
    assert moves(jm) == [
        ("a", None, "t", None, "enter", at(1)),
        ("a", "t", "c", "c1", "flow", at(1)),
        ("a", "c", branch, "cy" if branch == "yes" else "cn", "flow", at(1)),
    ]
    assert positions(jm, "a", "m") == {branch}


@pytest.mark.parametrize(("touch", "branch"), [("first", "yes"), ("last", "no")])
def test_first_and_last_touch_differ_after_a_second_visit(
    jm: journeymap.Journeymap, touch: str, branch: str
) -> None:
    _condition_map(jm, {"utm": "source", "touch": touch, "value": "google"})
    jm.track(Event("contact_created", "a", at(0), utm=_GOOGLE))
    # the form comes with new UTM: last touch is now facebook, first touch stays google
    jm.track(form("a", at(1), utm=_FACEBOOK))
    assert moves(jm)[-1] == ("a", "c", branch, "cy" if branch == "yes" else "cn", "flow", at(1))


def test_condition_reads_a_tag_set_by_an_earlier_action(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [
            trigger("t"),
            {"id": "tag", "kind": "action", "action": {"type": "add_tag", "tag": "vip"}},
            kind("c", "condition", rule={"tag": "vip", "op": "has"}),
            end("yes"),
            end("no"),
        ],
        [
            ("c1", "t", "tag"),
            ("c2", "tag", "c"),
            ("cy", "c", "yes", {"label": "yes"}),
            ("cn", "c", "no", {"label": "no"}),
        ],
    )
    jm.track(form("a", at(0)))
    assert moves(jm)[-1] == ("a", "c", "yes", "cy", "flow", at(0))
