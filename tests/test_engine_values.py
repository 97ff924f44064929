"""Setting values have a type (text, number, date): conditions, update_field and field_updated
read a map's values the same way, as written in the map file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeymap
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.errors import MapInvalid
from journeymap.model.loading import parse_map, parse_yaml
from test_engine_support import COMPARE, T0, at, form, moves


def _condition_yaml(rule: str) -> str:
    return f"""\
id: m
elements:
  - {{id: t, kind: trigger, event: {{on: form_submitted, form: signup}}}}
  - {{id: c, kind: condition, rule: {rule}}}
  - {{id: "yes", kind: end}}
  - {{id: "no", kind: end}}
connectors:
  - {{id: c1, from: t, to: c}}
  - {{id: cy, from: c, to: "yes", label: "yes"}}
  - {{id: cn, from: c, to: "no", label: "no"}}
"""


def _branch(jm: journeymap.Journeymap, rule: str, fields: dict[str, str]) -> str:
    """Which branch a contact with these fields takes at a condition written in YAML."""
    jm.add_map(parse_map(parse_yaml(_condition_yaml(rule))))
    jm.track(form("a", at(0), fields=fields))
    branch = moves(jm)[-1][2]
    assert branch is not None
    return branch


@pytest.mark.parametrize(
    ("rule", "field", "branch"),
    [
        # an unquoted number is the number as written: 10, not 10.0
        ("{field: zip, op: contains, value: 10}", "10115", "yes"),
        ("{field: zip, op: contains, value: 1.5}", "v1.50", "yes"),
        ("{field: zip, op: contains, value: 10}", "1.0", "no"),
        # numbers: quoted or not, compared as numbers (9 < 10, though "9" > "10" as text)
        ("{field: n, op: lt, value: 10}", "9", "yes"),
        ('{field: n, op: lt, value: "10"}', "9", "yes"),
        ("{field: n, op: eq, value: 10}", "10.0", "yes"),
        ("{field: n, op: eq, value: 10}", " 1e1 ", "yes"),
        ("{field: n, op: gte, value: -2.5}", "-2.50", "yes"),
        # a field that is not a number is only `ne` to a number
        ("{field: n, op: lt, value: 10}", "ten", "no"),
        ("{field: n, op: gt, value: 10}", "ten", "no"),
        ("{field: n, op: ne, value: 10}", "ten", "yes"),
        # type: text compares the text as written
        ('{field: code, op: eq, value: "007"}', "7", "yes"),
        ('{field: code, op: eq, value: "007", type: text}', "7", "no"),
        ('{field: code, op: gt, value: "10", type: text}', "9", "yes"),
        # dates: a date alone compares with the field's date as written
        ("{field: d, op: lt, value: 2026-03-01}", "2026-02-28T23:00:00-05:00", "yes"),
        ("{field: d, op: eq, value: 2026-03-01}", "2026-03-01T23:59:00+09:00", "yes"),
        # a date and time compares moments (the field is 2026-03-01T04:00Z)
        ('{field: d, op: lt, value: "2026-03-01T00:00:00Z"}', "2026-02-28T23:00:00-05:00", "no"),
        ('{field: d, op: gt, value: "2026-03-01T03:59:00Z"}', "2026-02-28T23:00:00-05:00", "yes"),
        # a date-time without an offset is UTC; a field date alone is its midnight in UTC
        ('{field: d, op: eq, value: "2026-03-01T00:00:00"}', "2026-03-01", "yes"),
        ("{field: d, op: gt, value: 2026-03-01}", "not a date", "no"),
        ("{field: d, op: ne, value: 2026-03-01}", "not a date", "yes"),
        # "2026-3-9" is no ISO date; as text, "3" sorts after "0"
        ("{field: d, op: gte, value: 2026-03-01}", "2026-3-9", "no"),
        ("{field: d, op: gte, value: 2026-03-01, type: text}", "2026-3-9", "yes"),
    ],
)
def test_a_condition_compares_as_its_values_type(
    jm: journeymap.Journeymap, rule: str, field: str, branch: str
) -> None:
    name = rule.split("field: ")[1].split(",", maxsplit=1)[0]
    assert _branch(jm, rule, {name: field}) == branch


_OPS = {**COMPARE, "contains": lambda a, b: str(b) in str(a)}  # on the digits as written


@settings(max_examples=40, deadline=None)
@given(
    op=st.sampled_from(sorted(_OPS)),
    value=st.integers(-50, 50_000),
    have=st.integers(-50, 50_000),
    quoted=st.booleans(),
)
def test_integers_written_in_yaml_compare_as_a_person_expects(
    op: str, value: int, have: int, quoted: bool
) -> None:
    # the expected branch is Python's own integer comparison, or a substring of the decimal
    # digits; the map is YAML text as a person writes it, the field is text as an API sends it
    written = f'"{value}"' if quoted else str(value)
    with journeymap.open(":memory:", clock=ManualClock(T0)) as jm:
        got = _branch(jm, f"{{field: n, op: {op}, value: {written}}}", {"n": str(have)})
    assert got == ("yes" if _OPS[op](have, value) else "no")


UPDATE_YAML = """\
id: u
elements:
  - {id: t, kind: trigger, event: {on: form_submitted, form: signup}}
  - {id: set, kind: action, action: {type: update_field, field: score, value: 10}}
  - {id: e, kind: end}
connectors:
  - {id: u1, from: t, to: set}
  - {id: u2, from: set, to: e}
"""

LISTEN_YAML = """\
id: l
elements:
  - {id: on10, kind: trigger, event: {on: field_updated, field: score, value: 10}}
  - {id: c, kind: condition, rule: {field: score, op: contains, value: 10}}
  - {id: "yes", kind: end}
  - {id: "no", kind: end}
connectors:
  - {id: l1, from: on10, to: c}
  - {id: ly, from: c, to: "yes", label: "yes"}
  - {id: ln, from: c, to: "no", label: "no"}
"""


def test_an_unquoted_number_works_alike_in_update_field_field_updated_and_conditions(
    jm: journeymap.Journeymap,
) -> None:
    jm.add_map(parse_map(parse_yaml(LISTEN_YAML)))
    jm.add_map(parse_map(parse_yaml(UPDATE_YAML)))
    assert jm.map("u").elements[1].action.value == 10  # type: ignore[union-attr]
    jm.track(form("a", at(0)))
    assert moves(jm, "l") == [
        ("a", None, "on10", None, "enter", at(0)),
        ("a", "on10", "c", "l1", "flow", at(0)),
        ("a", "c", "yes", "ly", "flow", at(0)),
    ]
    (row,) = jm.store.query("contact", {"contact_id": "a"})
    assert row["fields"] == '{"score": "10"}'
    # an update to "1e1" is the number 10 too: the trigger listens for a number; `contains`
    # reads text, and "1e1" holds no "10"
    jm.track(Event("field_updated", "b", at(1), field="score", value="1e1"))
    assert [m[2] for m in moves(jm, "l", "b")] == ["on10", "c", "no"]


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ('{field: n, op: gt, value: "ten", type: number}', "value 'ten' is not a number"),
        ('{field: d, op: gt, value: "March", type: date}', "value 'March' is not a date"),
        ("{field: n, op: eq, value: true}", "a value is text, a number or a date"),
    ],
)
def test_a_value_that_is_not_of_its_type_is_refused(
    jm: journeymap.Journeymap, rule: str, says: str
) -> None:
    with pytest.raises(MapInvalid) as caught:
        jm.add_map(parse_map(parse_yaml(_condition_yaml(rule))))
    (problem,) = caught.value.problems
    assert (problem.code, problem.element_id) == ("invalid_setting", "c")
    assert says in problem.message
    assert jm.maps() == []
