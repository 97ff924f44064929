"""The README's map example and library snippet work as shown; docs/maps.md misses nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from journeymap.model import EventKind, load_map
from journeymap.model.elements import ELEMENT_KINDS, WEEKDAYS, ActionSpec, EmailMessage, Rule
from journeymap.model.elements import Element as ElementUnion
from journeymap.model.map import AutomationMap, Connector
from journeymap.model.validation import RULE_CODES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAPS_DOC = (ROOT / "docs" / "maps.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "docs" / "example-map.yaml"
FILE_CODES = {"unparsable", "not_a_map", "unknown_kind", "missing_kind"}
FILE_CODES |= {"missing_setting", "unknown_setting", "invalid_setting"}


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


def union_members(annotation: object) -> tuple[type[BaseModel], ...]:
    """The model classes of an Annotated discriminated union."""
    union = typing.get_args(annotation)[0]
    return typing.get_args(union)


def test_readme_example_is_docs_example_map() -> None:
    assert blocks(README, "yaml") == [EXAMPLE.read_text(encoding="utf-8")]


def test_example_map_loads_and_validates() -> None:
    m = load_map(EXAMPLE)
    assert (m.id, m.name) == ("welcome", "Welcome series")
    assert [e.kind for e in m.elements] == [
        "trigger",
        "action",
        "wait",
        "condition",
        "action",
        "goal",
        "end",
    ]
    assert [(c.from_, c.to, c.label) for c in m.connectors if c.label] == [
        ("c-customer", "e-done", "yes"),
        ("c-customer", "a-offer", "no"),
    ]


def test_readme_library_snippet_prints_what_it_says(tmp_path: Path) -> None:
    (snippet,) = blocks(README, "python")
    (tmp_path / "docs").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "docs" / "example-map.yaml")
    run = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    (said,) = blocks(README, "text")
    assert run.stdout == said
    assert run.stdout == (
        "[('t-signup', 1, 0), ('a-welcome', 1, 0), ('w-two-days', 1, 0), ('g-purchase', 1, 0), "
        "('e-done', 0, 1)]\n"
        "49.00\n"
        "[('ada@example.com', 'Welcome, Ada', 'queued')]\n"
    )


def test_readme_names_every_map_command() -> None:
    for command in ("add", "list", "show", "validate", "templates"):
        assert f"`journeymap map {command}" in README
    for command in ("import", "simulate", "demo", "stats", "serve"):
        assert f"`journeymap {command}" in README
    assert "make demo" in README
    assert "make test" in README


def test_maps_doc_explains_every_validation_code() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \| ", MAPS_DOC, flags=re.MULTILINE))
    assert (RULE_CODES | FILE_CODES) - documented == set()


def documented_settings(model: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


@pytest.mark.parametrize(
    "model",
    [
        AutomationMap,
        Connector,
        Rule,
        EmailMessage,
        *union_members(ElementUnion),
        *union_members(ActionSpec),
    ],
    ids=lambda m: m.__name__,
)
def test_maps_doc_explains_every_setting(model: type[BaseModel]) -> None:
    missing = {s for s in documented_settings(model) if f"`{s}`" not in MAPS_DOC}
    assert missing == set()


def test_maps_doc_names_every_kind_type_event_and_weekday() -> None:
    types = [m.model_fields["type"].default for m in union_members(ActionSpec)]
    names = [*ELEMENT_KINDS, *types, *(k.value for k in EventKind)]
    assert [n for n in names if f"`{n}`" not in MAPS_DOC] == []
    assert f"`{WEEKDAYS[0]}` ... `{WEEKDAYS[-1]}`" in MAPS_DOC
