"""Every validation rule and schema error: its code, and the element or connector it names."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from journeymap.errors import MapInvalid
from journeymap.model import Wait, load_map, parse_map
from journeymap.model.loading import TEMPLATES, load_template
from journeymap.model.validation import RULE_CODES

SCHEMA_CODES = frozenset({"unknown_kind", "missing_setting", "unknown_setting", "invalid_setting"})

Data = dict[str, Any]


def base() -> Data:
    """A valid map: trigger -> tag action -> end."""
    return {
        "id": "m",
        "elements": [
            {"id": "t", "kind": "trigger", "event": {"on": "contact_created"}},
            {"id": "a", "kind": "action", "action": {"type": "add_tag", "tag": "new"}},
            {"id": "e", "kind": "end"},
        ],
        "connectors": [
            {"id": "t-a", "from": "t", "to": "a"},
            {"id": "a-e", "from": "a", "to": "e"},
        ],
    }


def element(d: Data, eid: str) -> Data:
    return next(e for e in d["elements"] if e["id"] == eid)


def connector(d: Data, cid: str) -> Data:
    return next(c for c in d["connectors"] if c["id"] == cid)


def add(d: Data, *elements: Data, connectors: tuple[Data, ...] = ()) -> Data:
    d["elements"].extend(elements)
    d["connectors"].extend(connectors)
    return d


def conn(cid: str, src: str, dst: str, **extra: Any) -> Data:
    return {"id": cid, "from": src, "to": dst, **extra}


def _drop(d: Data, cid: str) -> Data:
    d["connectors"] = [c for c in d["connectors"] if c["id"] != cid]
    return d


def set_action(d: Data, action: Data) -> Data:
    element(d, "a")["action"] = action
    return d


def replace_action(d: Data, new: Data) -> Data:
    """Put `new` (id 'a') where the tag action was."""
    d["elements"][1] = new
    return d


def cond(rule: Data) -> Data:
    return {"id": "a", "kind": "condition", "rule": rule}


def two_branches(d: Data) -> Data:
    """Give element 'a' a 'yes' branch to 'e' and a 'no' branch to a second end 'e2'."""
    connector(d, "a-e")["label"] = "yes"
    return add(d, {"id": "e2", "kind": "end"}, connectors=(conn("a-e2", "a", "e2", label="no"),))


def with_wait(**settings: Any) -> Callable[[Data], Data]:
    return lambda d: replace_action(d, {"id": "a", "kind": "wait", **settings})


@dataclass(frozen=True)
class Case:
    """A map that breaks exactly one rule, and the problems it must report."""

    name: str
    code: str
    edit: Callable[[Data], Data]
    element: str | None = None
    connector: str | None = None


RULE_CASES = [
    Case(
        "element id used twice",
        "duplicate_id",
        lambda d: add(d, {"id": "e", "kind": "end"}),
        element="e",
    ),
    Case(
        "connector id equal to an element id",
        "duplicate_id",
        lambda d: connector(d, "a-e").update(id="e") or d,
        connector="e",
    ),
    Case(
        "connector from an unknown element",
        "dangling_connector",
        lambda d: add(d, connectors=(conn("ghost-e", "ghost", "e"),)),
        connector="ghost-e",
    ),
    Case(
        "goal joined to itself",
        "self_loop",
        lambda d: add(
            d,
            {"id": "g", "kind": "goal", "event": {"on": "purchase"}},
            connectors=(conn("g-g", "g", "g"),),
        ),
        connector="g-g",
    ),
    Case("no trigger and no goal", "no_entry", lambda d: {"id": "m", "elements": []}),
    Case(
        "connector into a trigger",
        "trigger_incoming",
        lambda d: add(
            d,
            {"id": "g", "kind": "goal", "event": {"on": "purchase"}},
            {"id": "t2", "kind": "trigger", "event": {"on": "purchase"}},
            connectors=(conn("g-t2", "g", "t2"), conn("t2-e", "t2", "e")),
        ),
        element="t2",
        connector="g-t2",
    ),
    Case(
        "condition with a yes branch only",
        "condition_branches",
        lambda d: (
            connector(replace_action(d, cond({"tag": "vip", "op": "has"})), "a-e").update(
                label="yes"
            )
            or d
        ),
        element="a",
    ),
    Case(
        "yes/no label on an action's connector",
        "misplaced_label",
        lambda d: connector(d, "a-e").update(label="yes") or d,
        connector="a-e",
    ),
    Case(
        "weight on an action's connector",
        "misplaced_label",
        lambda d: connector(d, "a-e").update(weight=100) or d,
        connector="a-e",
    ),
    Case(
        "split weights summing to 90",
        "split_weights",
        lambda d: add(
            connector(replace_action(d, {"id": "a", "kind": "split"}), "a-e").update(weight=50)
            or d,
            {"id": "e2", "kind": "end"},
            connectors=(conn("a-e2", "a", "e2", weight=40),),
        ),
        element="a",
    ),
    Case(
        "split connector without weight",
        "split_weights",
        lambda d: add(
            replace_action(d, {"id": "a", "kind": "split"}),
            {"id": "e2", "kind": "end"},
            connectors=(conn("a-e2", "a", "e2", weight=100),),
        ),
        element="a",
    ),
    Case(
        "fork with one branch",
        "fork_branches",
        lambda d: replace_action(d, {"id": "a", "kind": "fork"}),
        element="a",
    ),
    Case(
        "goto to a trigger",
        "goto_target",
        lambda d: {
            "id": "m",
            "elements": [
                {"id": "t", "kind": "trigger", "event": {"on": "contact_created"}},
                {"id": "go", "kind": "goto", "target": "t"},
            ],
            "connectors": [conn("t-go", "t", "go")],
        },
        element="go",
    ),
    Case(
        "goto to an unknown element",
        "goto_target",
        lambda d: add(
            d,
            {"id": "g", "kind": "goal", "event": {"on": "purchase"}},
            {"id": "go", "kind": "goto", "target": "nowhere"},
            connectors=(conn("g-go", "g", "go"),),
        ),
        element="go",
    ),
    Case(
        "action with two connectors",
        "outgoing_count",
        lambda d: add(d, {"id": "e2", "kind": "end"}, connectors=(conn("a-e2", "a", "e2"),)),
        element="a",
    ),
    Case(
        "connector out of an end",
        "outgoing_count",
        lambda d: add(d, {"id": "e2", "kind": "end"}, connectors=(conn("e-e2", "e", "e2"),)),
        element="e",
    ),
    Case(
        "wait that leads nowhere",
        "outgoing_count",
        lambda d: add(
            d,
            {"id": "g", "kind": "goal", "event": {"on": "purchase"}},
            {"id": "w", "kind": "wait", "duration": "P1D"},
            connectors=(conn("g-w", "g", "w"),),
        ),
        element="w",
    ),
    Case(
        "end nothing leads to",
        "unreachable",
        lambda d: add(d, {"id": "e2", "kind": "end"}),
        element="e2",
    ),
    Case(
        "condition and action looping with no wait",
        "instant_loop",
        lambda d: add(
            replace_action(d, {"id": "c", "kind": "condition", "rule": {"tag": "x", "op": "has"}})
            | {
                "connectors": [
                    conn("t-c", "t", "c"),
                    conn("c-e", "c", "e", label="no"),
                    conn("c-a", "c", "a", label="yes"),
                    conn("a-c", "a", "c"),
                ]
            },
            {"id": "a", "kind": "action", "action": {"type": "remove_tag", "tag": "y"}},
        ),
        element="a",
    ),
    Case(
        "tag trigger without a tag",
        "event_settings",
        lambda d: element(d, "t").update(event={"on": "tag_added"}) or d,
        element="t",
    ),
    Case(
        "page-visit trigger without a URL pattern",
        "event_settings",
        lambda d: element(d, "t").update(event={"on": "page_visited"}) or d,
        element="t",
    ),
    Case(
        "email-opened goal naming an element that sends no email",
        "event_settings",
        lambda d: add(
            d, {"id": "g", "kind": "goal", "event": {"on": "email_opened", "email": "a"}}
        ),
        element="g",
    ),
    Case(
        "purchase trigger narrowed by a URL pattern it can never match",
        "event_settings",
        lambda d: element(d, "t").update(event={"on": "purchase", "url_pattern": "*/x*"}) or d,
        element="t",
    ),
    Case(
        "form goal narrowed by a field value",
        "event_settings",
        lambda d: add(
            d,
            {
                "id": "g",
                "kind": "goal",
                "event": {"on": "form_submitted", "form": "f", "value": "1"},
            },
        ),
        element="g",
    ),
    Case(
        "wait with a duration and a weekday",
        "wait_settings",
        with_wait(duration="P1D", weekday="monday"),
        element="a",
    ),
    Case("wait with no setting", "wait_settings", with_wait(), element="a"),
    Case("negative duration", "wait_settings", with_wait(duration="-P1D"), element="a"),
    Case(
        "unknown timezone",
        "wait_settings",
        with_wait(time_of_day="09:00", timezone="Mars/Olympus"),
        element="a",
    ),
    Case(
        "timezone that is a folder of zones",
        "wait_settings",
        with_wait(time_of_day="09:00", timezone="Europe"),
        element="a",
    ),
    Case("wait of more than ten years", "wait_settings", with_wait(duration="P3651D"), element="a"),
    Case(
        "wait until a day past 2999",
        "wait_settings",
        with_wait(until="9999-12-31T23:59:59"),
        element="a",
    ),
    Case(
        "email subject with a lone surrogate",
        "bad_text",
        lambda d: set_action(d, {"type": "send_email", "message": {"subject": "\udc00"}}),
        element="a",
    ),
    Case(
        "tag with a NUL character",
        "bad_text",
        lambda d: set_action(d, {"type": "add_tag", "tag": "vip\x00"}),
        element="a",
    ),
    Case(
        "element name over a line",
        "bad_text",
        lambda d: element(d, "a").update(name="two\nlines") or d,
        element="a",
    ),
    Case("map name of 1,001 characters", "bad_text", lambda d: d.update(name="n" * 1001) or d),
    Case(
        "map description with a lone surrogate",
        "bad_text",
        lambda d: d.update(description="ok \ud800 not") or d,
    ),
    Case(
        "connector id with a line break",
        "bad_text",
        lambda d: add(d, connectors=(conn("a-\ne", "a", "e"),)) and _drop(d, "a-e"),
    ),
    Case(
        "layout key with a control character",
        "bad_text",
        lambda d: d.update(layout={"a\x07": {"x": 0, "y": 0}}) or d,
    ),
    Case(
        "tag rule compared with eq",
        "condition_rule",
        lambda d: two_branches(replace_action(d, cond({"tag": "vip", "op": "eq"}))),
        element="a",
    ),
    Case(
        "rule on a tag and a field at once",
        "condition_rule",
        lambda d: two_branches(replace_action(d, cond({"tag": "vip", "field": "plan"}))),
        element="a",
    ),
    Case(
        "has on a field",
        "condition_rule",
        lambda d: two_branches(replace_action(d, cond({"field": "plan", "op": "has"}))),
        element="a",
    ),
    Case(
        "field compared with no value",
        "condition_rule",
        lambda d: two_branches(replace_action(d, cond({"field": "plan", "op": "gt"}))),
        element="a",
    ),
    Case(
        "action adding the contact to its own map",
        "action_settings",
        lambda d: set_action(d, {"type": "add_to_map", "map_id": "m"}),
        element="a",
    ),
    Case(
        "webhook to a non-HTTP URL",
        "webhook_url",
        lambda d: set_action(d, {"type": "webhook", "url": "ftp://example.com/hook"}),
        element="a",
    ),
    Case(
        "webhook URL with credentials",
        "webhook_url",
        lambda d: set_action(d, {"type": "webhook", "url": "https://u:p@crm.example/hook"}),
        element="a",
    ),
    Case(
        "webhook URL without a host",
        "webhook_url",
        lambda d: set_action(d, {"type": "webhook", "url": "https:///hook"}),
        element="a",
    ),
    Case(
        "notify to something that is not an address",
        "action_settings",
        lambda d: set_action(d, {"type": "notify", "to": ["team@shop.example", "sales"]}),
        element="a",
    ),
]

SCHEMA_CASES = [
    Case(
        "element of an unknown kind",
        "unknown_kind",
        lambda d: add(d, {"id": "x", "kind": "banana"}),
        element="x",
    ),
    Case(
        "action of an unknown type",
        "unknown_kind",
        lambda d: set_action(d, {"type": "sms"}),
        element="a",
    ),
    Case("element without a kind", "missing_kind", lambda d: add(d, {"id": "x"}), element="x"),
    Case(
        "goal without its event",
        "missing_setting",
        lambda d: add(d, {"id": "g", "kind": "goal"}),
        element="g",
    ),
    Case(
        "connector without its target",
        "missing_setting",
        lambda d: connector(d, "a-e").pop("to") and d,
        connector="a-e",
    ),
    Case(
        "email without a subject",
        "missing_setting",
        lambda d: set_action(d, {"type": "send_email", "message": {"text": "hi"}}),
        element="a",
    ),
    Case(
        "setting an end does not have",
        "unknown_setting",
        lambda d: element(d, "e").update(colour="red") or d,
        element="e",
    ),
    Case(
        "duration that is not a duration",
        "invalid_setting",
        with_wait(duration="soon"),
        element="a",
    ),
    Case(
        "connector label other than yes/no",
        "invalid_setting",
        lambda d: connector(d, "a-e").update(label="maybe") or d,
        connector="a-e",
    ),
    Case(
        "trigger on an unknown event",
        "invalid_setting",
        lambda d: element(d, "t").update(event={"on": "sneezed"}) or d,
        element="t",
    ),
]


def problems_of(data: Data) -> list[tuple[str, str | None, str | None]]:
    with pytest.raises(MapInvalid) as info:
        parse_map(data)
    return [(p.code, p.element_id, p.connector_id) for p in info.value.problems]


def test_base_map_is_valid() -> None:
    m = parse_map(base())
    assert [e.id for e in m.elements] == ["t", "a", "e"]


@pytest.mark.parametrize("case", RULE_CASES + SCHEMA_CASES, ids=lambda c: f"{c.code}: {c.name}")
def test_broken_map_reports_exactly_its_problem(case: Case) -> None:
    data = case.edit(copy.deepcopy(base()))
    with pytest.raises(MapInvalid) as info:
        parse_map(data)
    found = [(p.code, p.element_id, p.connector_id) for p in info.value.problems]
    assert found == [(case.code, case.element, case.connector)]
    (problem,) = info.value.problems
    for named in (case.element, case.connector):
        if named is not None:
            assert repr(named) in problem.message
    assert info.value.code == "map_invalid"


def test_every_rule_code_has_a_case() -> None:
    assert {c.code for c in RULE_CASES} == RULE_CODES
    assert {c.code for c in SCHEMA_CASES} >= SCHEMA_CODES


def test_every_problem_is_reported_at_once() -> None:
    data = base()
    connector(data, "a-e")["label"] = "yes"
    add(data, {"id": "e2", "kind": "end"}, connectors=(conn("ghost-e", "ghost", "e"),))
    assert problems_of(data) == [
        ("dangling_connector", None, "ghost-e"),
        ("misplaced_label", None, "a-e"),
        ("unreachable", "e2", None),
    ]


def test_schema_problems_name_the_setting() -> None:
    data = set_action(base(), {"type": "send_email", "message": {"text": "hi"}})
    with pytest.raises(MapInvalid) as info:
        parse_map(data)
    assert [p.message for p in info.value.problems] == [
        "element 'a' setting 'action.message.subject': Field required"
    ]


def test_unknown_type_message_lists_the_choices() -> None:
    with pytest.raises(MapInvalid) as info:
        parse_map(set_action(base(), {"type": "sms"}))
    assert [p.message for p in info.value.problems] == [
        "element 'a' setting 'action': unknown type 'sms'; expected one of 'send_email', "
        "'add_tag', 'remove_tag', 'update_field', 'add_to_map', 'remove_from_map', 'webhook', "
        "'notify'"
    ]


def test_not_a_map() -> None:
    with pytest.raises(MapInvalid) as info:
        parse_map(["t", "a"], source="list")
    assert [p.code for p in info.value.problems] == ["not_a_map"]


def test_unparsable_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: m\nelements: [\n", encoding="utf-8")
    with pytest.raises(MapInvalid) as info:
        load_map(path)
    assert [p.code for p in info.value.problems] == ["unparsable"]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_are_valid(name: str) -> None:
    m = load_template(name)
    assert m.id == name
    kinds = {e.kind for e in m.elements}
    assert kinds >= {"trigger", "goal", "action", "wait", "condition", "split", "fork", "end"}
    assert 15 <= len(m.elements) <= 30


def test_template_sizes() -> None:
    templates = {name: load_template(name) for name in TEMPLATES}
    sizes = {name: (len(m.elements), len(m.connectors)) for name, m in templates.items()}
    assert sizes == {"lifetime-value": (30, 32), "lifecycle": (27, 28)}


def test_lifetime_value_checkpoints_span_three_years() -> None:
    m = load_template("lifetime-value")
    clock = ["w-three-months", "w-rest-of-year-one", "w-year-two", "w-year-three"]
    waits = [m.element_by_id[w] for w in clock]
    assert all(isinstance(w, Wait) for w in waits)
    total = sum((w.duration for w in waits if isinstance(w, Wait) and w.duration), timedelta())
    assert total == timedelta(days=3 * 365)
    checkpoints = [c.to for w in clock for c in m.outgoing[w]]
    assert checkpoints == [
        "a-checkpoint-3-months",
        "a-checkpoint-1-year",
        "a-checkpoint-2-years",
        "a-checkpoint-3-years",
    ]


def test_setting_that_never_matches_its_event_says_where_it_applies() -> None:
    data = base()
    element(data, "t")["event"] = {"on": "email_opened", "url_pattern": "*/pricing*"}
    with pytest.raises(MapInvalid) as info:
        parse_map(data)
    assert [p.message for p in info.value.problems] == [
        "trigger 't' on email_opened: setting 'url_pattern' applies only to page_visited and "
        "email_clicked events, so it would never fire"
    ]
    element(data, "t")["event"] = {"on": "email_clicked", "url_pattern": "*/pricing*"}
    assert parse_map(data).elements[0].id == "t"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: set_action(d, {"type": "send_email", "message": {"subject": "Hi \udc00"}}),
            "element 'a' setting 'action.message.subject' holds a lone surrogate U+DC00, which is "
            "not valid Unicode",
        ),
        (
            lambda d: set_action(d, {"type": "add_tag", "tag": "t" * 201}),
            "element 'a' setting 'action.tag' holds 201 characters; a name holds 1 to 200",
        ),
        (
            lambda d: set_action(d, {"type": "update_field", "field": "f", "value": "a\x00b"}),
            "element 'a' setting 'action.value' holds the control character U+0000",
        ),
        (
            lambda d: d.update(name="Welcome\r\nBcc: x@example.org") or d,
            "the map's name holds the control character U+000D",
        ),
    ],
)
def test_bad_text_names_the_setting_and_what_is_wrong(
    edit: Callable[[Data], Data], message: str
) -> None:
    with pytest.raises(MapInvalid) as info:
        parse_map(edit(base()))
    assert [p.message for p in info.value.problems] == [message]


def test_a_chain_of_a_thousand_instant_elements_validates_without_recursion() -> None:
    d = base()
    chain = [
        {"id": f"c{i}", "kind": "condition", "rule": {"tag": "x", "op": "has"}} for i in range(1000)
    ]
    d["elements"][1:2] = [{"id": "a", "kind": "goto", "target": "c0"}, *chain]
    d["connectors"] = [conn("t-a", "t", "a")]
    for i in range(1000):
        after = f"c{i + 1}" if i < 999 else "e"
        d["connectors"] += [
            conn(f"y{i}", f"c{i}", after, label="yes"),
            conn(f"n{i}", f"c{i}", "e", label="no"),
        ]
    assert len(parse_map(d).elements) == 1003
    # and a loop through all of them is found and named
    d["connectors"][-2] = conn("y999", "c999", "c0", label="yes")
    assert problems_of(d) == [("instant_loop", "c0", None)]
