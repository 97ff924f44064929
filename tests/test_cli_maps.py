"""`journeymap map ...` commands, run as a user runs them, with their exact output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.cli import app
from journeymap.cli.app import console
from journeymap.clock import ManualClock
from journeymap.model.loading import load_template

runner = CliRunner()

WELCOME = """\
id: welcome
name: Welcome series
elements:
  - {id: t-signup, kind: trigger, event: {on: form_submitted, form: signup}}
  - id: a-email
    kind: action
    action: {type: send_email, message: {subject: "Hello {{first_name}}", text: Welcome!}}
  - {id: e-done, kind: end}
connectors:
  - {id: signup-email, from: t-signup, to: a-email}
  - {id: email-done, from: a-email, to: e-done}
"""


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Tables rendered 150 columns wide, whatever terminal runs the tests."""
    console.width = 150
    yield
    console._width = None


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.duckdb")


@pytest.fixture
def welcome(tmp_path: Path) -> Path:
    path = tmp_path / "welcome.yaml"
    path.write_text(WELCOME, encoding="utf-8")
    return path


def test_templates_lists_the_prebuilt_maps() -> None:
    result = runner.invoke(app, ["map", "templates"])
    assert result.exit_code == 0
    assert result.stdout == (
        "┏━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳"
        "━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓\n"
        "┃ Template       ┃ Name                                                    ┃"
        " Elements ┃ Connectors ┃ Goals ┃\n"
        "┡━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇"
        "━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩\n"
        "│ lifetime-value │ Reporting: Customer lifetime value in first three years │"
        " 30       │ 32         │ 3     │\n"
        "│ lifecycle      │ High level customer lifecycle                           │"
        " 27       │ 28         │ 3     │\n"
        "└────────────────┴─────────────────────────────────────────────────────────┴"
        "──────────┴────────────┴───────┘\n"
        "Add one with: journeymap map add --db journeymap.duckdb --template NAME\n"
    )


def test_add_template_then_again_keeps_the_version(db: str) -> None:
    first = runner.invoke(app, ["map", "add", "--db", db, "--template", "lifecycle"])
    assert (first.exit_code, first.stdout) == (
        0,
        "Stored map 'lifecycle' version 1: 27 elements, 28 connectors.\n",
    )
    again = runner.invoke(app, ["map", "add", "--db", db, "--template", "lifecycle"])
    assert (again.exit_code, again.stdout) == (
        0,
        "Map 'lifecycle' is unchanged: still version 1.\n",
    )


def test_add_an_edited_file_prints_the_new_version(db: str, welcome: Path) -> None:
    assert runner.invoke(app, ["map", "add", "--db", db, str(welcome)]).stdout == (
        "Stored map 'welcome' version 1: 3 elements, 2 connectors.\n"
    )
    welcome.write_text(WELCOME.replace("Welcome!", "Welcome aboard!"), encoding="utf-8")
    result = runner.invoke(app, ["map", "add", "--db", db, str(welcome)])
    assert (result.exit_code, result.stdout) == (
        0,
        "Stored map 'welcome' version 2: 3 elements, 2 connectors.\n",
    )
    with journeymap.open(db) as jm:
        assert jm.map("welcome").elements[1].model_dump()["action"]["message"]["text"] == (
            "Welcome aboard!"
        )
        assert jm.map("welcome", 1).elements[1].model_dump()["action"]["message"]["text"] == (
            "Welcome!"
        )


def test_add_an_invalid_file_stores_nothing(db: str, welcome: Path) -> None:
    welcome.write_text(WELCOME.replace("to: e-done", "to: e-gone"), encoding="utf-8")
    result = runner.invoke(app, ["map", "add", "--db", db, str(welcome)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error [map_invalid] map 'welcome' is invalid:\n"
        "  [dangling_connector] connector 'email-done' to unknown element 'e-gone'\n"
        "  [unreachable] end 'e-done' is not reached from any trigger or goal\n"
    )
    with journeymap.open(db) as jm:
        assert jm.maps() == []


def test_add_needs_a_file_or_a_template(db: str, welcome: Path) -> None:
    for args in ([], [str(welcome), "--template", "lifecycle"]):
        result = runner.invoke(app, ["map", "add", "--db", db, *args])
        assert result.exit_code == 2
        assert "give either a map FILE or --template NAME" in result.stderr
    unknown = runner.invoke(app, ["map", "add", "--db", db, "--template", "nope"])
    assert (unknown.exit_code, unknown.stderr) == (
        1,
        "error [not_found] no template 'nope'; templates are ['lifecycle', 'lifetime-value']\n",
    )


def test_list_shows_each_map_at_its_latest_version(db: str, clock: ManualClock) -> None:
    journeymap.open(db, clock=clock).close()  # a store with no maps (a missing one is no_store)
    empty = runner.invoke(app, ["map", "list", "--db", db])
    assert (empty.exit_code, empty.stdout) == (
        0,
        "No maps yet. Add one with: journeymap map add --db FILE MAP.yaml\n",
    )
    with journeymap.open(db, clock=clock) as jm:
        jm.add_template("lifetime-value")
        jm.add_template("lifecycle")
        clock.set(clock.now().replace(day=6, hour=14, minute=30))
        m = load_template("lifecycle")
        jm.add_map(m.model_copy(update={"name": "Lifecycle, renamed"}))
    result = runner.invoke(app, ["map", "list", "--db", db])
    assert result.exit_code == 0
    assert result.stdout == (
        "┏━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳"
        "━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓\n"
        "┃ Map            ┃ Name                                                    ┃"
        " Version ┃ Elements ┃ Connectors ┃ Saved (UTC)      ┃\n"
        "┡━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇"
        "━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━┩\n"
        "│ lifecycle      │ Lifecycle, renamed                                      │"
        " 2       │ 27       │ 28         │ 2026-01-06 14:30 │\n"
        "│ lifetime-value │ Reporting: Customer lifetime value in first three years │"
        " 1       │ 30       │ 32         │ 2026-01-05 09:00 │\n"
        "└────────────────┴─────────────────────────────────────────────────────────┴"
        "─────────┴──────────┴────────────┴──────────────────┘\n"
    )


def test_show_prints_the_map_file(db: str, welcome: Path) -> None:
    runner.invoke(app, ["map", "add", "--db", db, str(welcome)])
    welcome.write_text(WELCOME.replace("Welcome series", "Welcome"), encoding="utf-8")
    runner.invoke(app, ["map", "add", "--db", db, str(welcome)])
    latest = runner.invoke(app, ["map", "show", "--db", db, "welcome"])
    assert latest.exit_code == 0
    assert latest.stdout == (
        "id: welcome\n"
        "name: Welcome\n"
        "version: 2\n"
        "elements:\n"
        "- id: t-signup\n"
        "  kind: trigger\n"
        "  event:\n"
        "    'on': form_submitted\n"
        "    form: signup\n"
        "- id: a-email\n"
        "  kind: action\n"
        "  action:\n"
        "    type: send_email\n"
        "    message:\n"
        "      subject: Hello {{first_name}}\n"
        "      text: Welcome!\n"
        "- id: e-done\n"
        "  kind: end\n"
        "connectors:\n"
        "- id: signup-email\n"
        "  from: t-signup\n"
        "  to: a-email\n"
        "- id: email-done\n"
        "  from: a-email\n"
        "  to: e-done\n"
    )
    first = runner.invoke(app, ["map", "show", "--db", db, "welcome", "--version", "1"])
    assert first.stdout.splitlines()[:3] == ["id: welcome", "name: Welcome series", "version: 1"]
    as_json = runner.invoke(app, ["map", "show", "--db", db, "welcome", "--format", "json"])
    assert json.loads(as_json.stdout) == {  # the map file as written, by hand
        "id": "welcome",
        "name": "Welcome",
        "version": 2,
        "elements": [
            {
                "id": "t-signup",
                "kind": "trigger",
                "event": {"on": "form_submitted", "form": "signup"},
            },
            {
                "id": "a-email",
                "kind": "action",
                "action": {
                    "type": "send_email",
                    "message": {"subject": "Hello {{first_name}}", "text": "Welcome!"},
                },
            },
            {"id": "e-done", "kind": "end"},
        ],
        "connectors": [
            {"id": "signup-email", "from": "t-signup", "to": "a-email"},
            {"id": "email-done", "from": "a-email", "to": "e-done"},
        ],
    }
    assert as_json.stdout.startswith('{\n  "id": "welcome",\n  "name": "Welcome",\n')
    assert as_json.stdout.endswith("}\n")


PLACED = (
    WELCOME
    + """\
layout:
  t-signup: {x: 300, y: 92.5}
  a-email: {x: 300, y: 260}
"""
)
"""The welcome map with positions for two of its three elements, as the builder stores them."""


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_show_round_trips_positions_through_add(tmp_path: Path, db: str, fmt: str) -> None:
    placed = tmp_path / "placed.yaml"
    placed.write_text(PLACED, encoding="utf-8")
    assert runner.invoke(app, ["map", "add", "--db", db, str(placed)]).exit_code == 0
    shown = runner.invoke(app, ["map", "show", "--db", db, "welcome", "--format", fmt])
    assert shown.exit_code == 0
    printed = tmp_path / f"printed.{fmt}"
    printed.write_text(shown.stdout, encoding="utf-8")
    other = str(tmp_path / "other.duckdb")
    added = runner.invoke(app, ["map", "add", "--db", other, str(printed)])
    assert added.stdout == "Stored map 'welcome' version 1: 3 elements, 2 connectors.\n"
    with journeymap.open(other) as jm:
        m = jm.map("welcome")
    assert {k: (p.x, p.y) for k, p in m.layout.items()} == {
        "t-signup": (300.0, 92.5),
        "a-email": (300.0, 260.0),
    }
    assert [e.id for e in m.elements] == ["t-signup", "a-email", "e-done"]
    # stored again where it came from, the printed file is the same map: its version stays
    again = runner.invoke(app, ["map", "add", "--db", db, str(printed)])
    assert again.stdout == "Map 'welcome' is unchanged: still version 1.\n"


def test_show_an_unknown_map_or_version(db: str, welcome: Path) -> None:
    runner.invoke(app, ["map", "add", "--db", db, str(welcome)])
    missing = runner.invoke(app, ["map", "show", "--db", db, "nope"])
    assert (missing.exit_code, missing.stderr) == (1, "error [not_found] no map 'nope'\n")
    old = runner.invoke(app, ["map", "show", "--db", db, "welcome", "--version", "7"])
    assert (old.exit_code, old.stderr) == (1, "error [not_found] no map 'welcome' version 7\n")


def test_validate_a_good_file_without_a_store(
    welcome: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["map", "validate", str(welcome)])
    assert (result.exit_code, result.stdout) == (
        0,
        "Map 'welcome' is valid: 3 elements, 2 connectors.\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["welcome.yaml"]


def test_validate_prints_every_problem(welcome: Path) -> None:
    welcome.write_text(
        WELCOME.replace("to: e-done}", "to: e-done, label: yes}").replace(
            "form: signup", "form: ''"
        )
        + "  - {id: e-done, from: t-signup, to: e-done}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["map", "validate", str(welcome)])
    assert result.exit_code == 1
    assert result.stdout == (
        "Map 'welcome' is invalid: 4 problems.\n"
        "  [duplicate_id] connector 'e-done': connector id 'e-done' is already used\n"
        "  [misplaced_label] connector 'email-done': connector 'email-done' has label 'yes' but "
        "leaves action 'a-email'; only condition connectors are labelled yes/no\n"
        "  [outgoing_count] element 't-signup': trigger 't-signup' has 2 outgoing connectors; "
        "use a fork, split or condition to branch\n"
        "  [event_settings] element 't-signup': trigger 't-signup' on form_submitted needs "
        "'form'\n"
    )


def test_validate_a_schema_error_and_a_missing_file(welcome: Path) -> None:
    welcome.write_text(WELCOME.replace("kind: end", "kind: stop"), encoding="utf-8")
    result = runner.invoke(app, ["map", "validate", str(welcome)])
    assert result.exit_code == 1
    assert result.stdout == (
        "Map 'welcome' is invalid: 1 problem.\n"
        "  [unknown_kind] element 'e-done': element 'e-done': unknown kind 'stop'; expected one "
        "of 'trigger', 'goal', 'action', 'wait', 'condition', 'split', 'fork', 'goto', 'end'\n"
    )
    missing = runner.invoke(app, ["map", "validate", "no-such-map.yaml"])
    assert (missing.exit_code, missing.stderr) == (
        1,
        "error [not_found] map file 'no-such-map.yaml' does not exist\n",
    )


def test_names_are_printed_as_written(db: str, welcome: Path) -> None:
    welcome.write_text(WELCOME.replace("Welcome series", "'[b]Spring[/b] promo'"), "utf-8")
    runner.invoke(app, ["map", "add", "--db", db, str(welcome)])
    result = runner.invoke(app, ["map", "list", "--db", db])
    assert "│ welcome │ [b]Spring[/b] promo │ 1       │" in result.stdout


def test_validate_reports_schema_and_shape_problems_in_one_pass(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\n"
        "elements:\n"
        "  - {id: t1, kind: trigger, event: {on: form_submitted, form: f}, colour: red}\n"
        "  - {id: w1, kind: wait, duration: banana}\n"
        "  - {id: x1, kind: teleport}\n"
        "  - {id: e1, kind: end}\n"
        "connectors:\n"
        "  - {id: c1, from: t1, to: w1}\n"
        "  - {id: c2, from: w1, to: nowhere}\n"
        "  - {id: c3, from: w1, to: x1}\n"
        "  - {id: c4, from: x1, to: e1}\n"
        "  - {id: c5, from: e1, to: t1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["map", "validate", str(bad)])
    assert result.exit_code == 1
    # the schema problems (t1's extra setting, w1's duration, x1's kind), then the shape rules
    # run with stand-ins for t1, w1 and x1: c2 dangles, e1 leads back into the trigger
    assert result.stdout.splitlines() == [
        "Map 'bad' is invalid: 7 problems.",
        "  [unknown_setting] element 't1': element 't1' setting 'colour': Extra inputs are not "
        "permitted",
        "  [invalid_setting] element 'w1': element 'w1' setting 'duration': Input should be a "
        "valid timedelta, invalid character in hour",
        "  [unknown_kind] element 'x1': element 'x1': unknown kind 'teleport'; expected one of "
        "'trigger', 'goal', 'action', 'wait', 'condition', 'split', 'fork', 'goto', 'end'",
        "  [dangling_connector] connector 'c2': connector 'c2' to unknown element 'nowhere'",
        "  [trigger_incoming] element 't1', connector 'c5': trigger 't1' has incoming connector "
        "'c5'; triggers are entry doors only",
        "  [outgoing_count] element 'w1': wait 'w1' has 2 outgoing connectors; use a fork, split "
        "or condition to branch",
        "  [outgoing_count] element 'e1': end 'e1' cannot have outgoing connectors",
    ]
