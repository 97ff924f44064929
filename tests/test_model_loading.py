"""Map files: JSON and YAML round trips, YAML pitfalls, and versions kept by the library."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest

import journeymap
from journeymap.clock import ManualClock
from journeymap.errors import MapInvalid, NotFound
from journeymap.model import AutomationMap, Condition, Trigger, Wait, dump_map, load_map, parse_map
from journeymap.model.loading import TEMPLATES, load_template, parse_yaml

SMALL = """\
id: welcome
name: Welcome
version: 1
elements:
- id: t-signup
  kind: trigger
  event:
    'on': form_submitted
    form: signup
- id: a-email
  kind: action
  action:
    type: send_email
    message:
      subject: Hello {{first_name}}
      text: |
        Hi,
        welcome aboard.
- id: w-morning
  kind: wait
  weekday: monday
  time_of_day: '10:30:00'
  timezone: Europe/Paris
- id: e-done
  kind: end
  exit: true
connectors:
- id: signup-email
  from: t-signup
  to: a-email
- id: email-wait
  from: a-email
  to: w-morning
- id: wait-done
  from: w-morning
  to: e-done
"""


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_dump_then_parse_gives_the_same_map(name: str, fmt: str) -> None:
    m = load_template(name)
    text = dump_map(m, fmt)
    data = json.loads(text) if fmt == "json" else parse_yaml(text)
    assert parse_map(data) == m


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_map_file_round_trip(tmp_path: Path, suffix: str) -> None:
    m = load_template("lifecycle")
    path = tmp_path / f"lifecycle{suffix}"
    path.write_text(dump_map(m, "json" if suffix == ".json" else "yaml"), encoding="utf-8")
    assert load_map(path) == m


def test_dump_writes_kind_and_type_and_leaves_defaults_out() -> None:
    m = parse_map(parse_yaml(SMALL))
    assert dump_map(m) == SMALL
    assert json.loads(dump_map(m, "json"))["elements"][0] == {
        "id": "t-signup",
        "kind": "trigger",
        "event": {"on": "form_submitted", "form": "signup"},
    }


def test_yaml_keeps_on_yes_no_and_times_as_text() -> None:
    text = """\
id: m
elements:
  - {id: t, kind: trigger, event: {on: purchase}}
  - {id: c, kind: condition, rule: {field: plan, op: eq, value: 010}}
  - {id: w, kind: wait, time_of_day: 10:30}
  - {id: e, kind: end}
connectors:
  - {id: t-c, from: t, to: c}
  - {id: c-w, from: c, to: w, label: yes}
  - {id: c-e, from: c, to: e, label: no}
  - {id: w-e, from: w, to: e}
"""
    m = parse_map(parse_yaml(text))
    trigger, condition, wait = m.elements[0], m.elements[1], m.elements[2]
    assert isinstance(trigger, Trigger)
    assert trigger.event.on == "purchase"
    assert isinstance(condition, Condition)
    assert condition.rule.value == "010"
    assert isinstance(wait, Wait)
    assert wait.time_of_day == time(10, 30)
    assert [c.label for c in m.connectors] == [None, "yes", "no", None]
    assert parse_yaml("a: true\nb: 12\nc: 1.5\nd: ~\ne: 2026-01-05") == {
        "a": True,
        "b": 12,
        "c": 1.5,
        "d": None,
        "e": "2026-01-05",
    }


def test_missing_file_and_template() -> None:
    with pytest.raises(NotFound, match=r"map file 'no/such/map.yaml' does not exist"):
        load_map("no/such/map.yaml")
    with pytest.raises(NotFound, match=r"no template 'nope'"):
        load_template("nope")


def edited(m: AutomationMap, subject: str) -> AutomationMap:
    """The map with the welcome email's subject changed, as a user edits the file."""
    data = parse_yaml(dump_map(m))
    for e in data["elements"]:
        if e["id"] == "a-email-welcome":
            e["action"]["message"]["subject"] = subject
    return parse_map(data)


def subject(m: AutomationMap) -> str:
    spec = m.element_by_id["a-email-welcome"].model_dump()["action"]
    return str(spec["message"]["subject"])


def test_editing_a_map_makes_a_new_version(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    first = jm.add_template("lifecycle")
    assert first.version == 1
    path = tmp_path / "lifecycle.yaml"
    path.write_text(dump_map(edited(first, "Welcome aboard")), encoding="utf-8")
    second = jm.add_map(path)
    assert second.version == 2
    assert [e.id for e in second.elements] == [e.id for e in first.elements]
    assert [c.id for c in second.connectors] == [c.id for c in first.connectors]
    assert subject(jm.map("lifecycle")) == "Welcome aboard"
    assert subject(jm.map("lifecycle", 1)) == "Welcome to Example Shop, {{first_name}}"
    assert [(s["map_id"], s["version"]) for s in jm.maps()] == [("lifecycle", 2)]


def test_unchanged_map_keeps_its_version(jm: journeymap.Journeymap) -> None:
    assert jm.add_template("lifecycle").version == 1
    assert jm.add_template("lifecycle").version == 1
    assert jm.add_map(edited(load_template("lifecycle"), "Hi")).version == 2
    assert jm.add_map(edited(load_template("lifecycle"), "Hi")).version == 2
    assert [r["version"] for r in jm.engine.registry.versions("lifecycle")] == [1, 2]


def test_invalid_map_is_never_stored(jm: journeymap.Journeymap, tmp_path: Path) -> None:
    jm.add_template("lifecycle")
    path = tmp_path / "broken.yaml"
    path.write_text(SMALL.replace("to: e-done", "to: e-gone"), encoding="utf-8")
    with pytest.raises(MapInvalid) as info:
        jm.add_map(path)
    assert [(p.code, p.element_id, p.connector_id) for p in info.value.problems] == [
        ("dangling_connector", None, "wait-done"),
        ("unreachable", "e-done", None),
    ]
    # a map object built without the rules is re-validated before it is stored
    unchecked = AutomationMap.model_validate(parse_yaml(SMALL))
    broken = unchecked.model_copy(update={"connectors": unchecked.connectors[:2]})
    with pytest.raises(MapInvalid) as info:
        jm.add_map(broken)
    assert [(p.code, p.element_id) for p in info.value.problems] == [
        ("outgoing_count", "w-morning"),
        ("unreachable", "e-done"),
    ]
    assert [(s["map_id"], s["version"]) for s in jm.maps()] == [("lifecycle", 1)]
    with pytest.raises(NotFound, match="no map 'welcome'"):
        jm.map("welcome")


def test_versions_survive_reopening(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "maps.duckdb"
    with journeymap.open(path, clock=clock) as jm:
        jm.add_template("lifetime-value")
        jm.add_map(parse_map(parse_yaml(SMALL)))
    with journeymap.open(path, clock=clock) as jm:
        assert [(s["map_id"], s["version"]) for s in jm.maps()] == [
            ("lifetime-value", 1),
            ("welcome", 1),
        ]
        assert jm.map("lifetime-value") == load_template("lifetime-value")
        assert jm.add_template("lifetime-value").version == 1
