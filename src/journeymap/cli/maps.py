"""`journeymap map ...`: add, list, show and validate maps, and list the prebuilt ones."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

import journeymap
from journeymap.cli.app import DEFAULT_DB, DbOption, console, map_app
from journeymap.cli.errors import friendly
from journeymap.cli.remote import ApiOption, Remote, TokenOption, remote_map, remote_maps
from journeymap.errors import MapInvalid, Problem
from journeymap.model.loading import TEMPLATES, dump_map, load_map, load_template, parse_yaml
from journeymap.model.map import AutomationMap, Connector
from journeymap.model.validation import problems


class Format(StrEnum):
    """File formats `map show` can print."""

    yaml = "yaml"
    json = "json"


def say(text: str) -> None:
    """Print a plain message: no markup, no highlighting, never wrapped."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _size(m: AutomationMap) -> str:
    return f"{len(m.elements)} elements, {len(m.connectors)} connectors"


@map_app.command("add")
@friendly
def add(
    file: Annotated[
        Path | None, typer.Argument(help="Map file (.yaml, .yml or .json).", show_default=False)
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Add a prebuilt map (see `map templates`).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Validate a map and store it; an edited map becomes its next version."""
    if (file is None) == (template is None):
        raise typer.BadParameter("give either a map FILE or --template NAME")
    m = load_template(template) if template is not None else load_map(str(file))
    with journeymap.open(db) as jm:
        before = {str(s["map_id"]): s["version"] for s in jm.maps()}.get(m.id)
        stored = jm.add_map(m)
    if before == stored.version:
        say(f"Map {stored.id!r} is unchanged: still version {stored.version}.")
    else:
        say(f"Stored map {stored.id!r} version {stored.version}: {_size(stored)}.")


@map_app.command("list")
@friendly
def list_maps(db: DbOption = DEFAULT_DB, api: ApiOption = None, token: TokenOption = None) -> None:
    """List the stored maps, each at its latest version."""
    if api is not None:
        remote = Remote(api, token)
        rows = [(s, remote_map(remote, s["map_id"])) for s in remote_maps(remote)]
    else:
        with journeymap.open(db, create=False) as jm:
            rows = [(s, jm.map(str(s["map_id"]))) for s in jm.maps()]
    if not rows:
        say("No maps yet. Add one with: journeymap map add --db FILE MAP.yaml")
        return
    table = Table("Map", "Name", "Version", "Elements", "Connectors")
    table.add_column("Saved (UTC)", no_wrap=True)
    for summary, m in rows:
        saved = summary["created_at"]
        table.add_row(
            escape(m.id) + (" (archived)" if summary["archived"] else ""),
            escape(m.name),
            str(m.version),
            str(len(m.elements)),
            str(len(m.connectors)),
            f"{saved:%Y-%m-%d %H:%M}" if saved is not None else "",
        )
    console.print(table)


@map_app.command("show")
@friendly
def show(
    map_id: Annotated[str, typer.Argument(help="Id of a stored map.", show_default=False)],
    version: Annotated[
        int | None, typer.Option("--version", help="A given version (default: the latest).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Print as YAML or JSON.")] = Format.yaml,
    db: DbOption = DEFAULT_DB,
    api: ApiOption = None,
    token: TokenOption = None,
) -> None:
    """Print a stored map as a map file."""
    if api is not None:
        m = remote_map(Remote(api, token), map_id, version)
    else:
        with journeymap.open(db, create=False) as jm:
            m = jm.map(map_id, version)
    typer.echo(dump_map(m, fmt.value).rstrip("\n"))


STAND_INS: dict[str, dict[str, Any]] = {
    "trigger": {"event": {"on": "added_manually"}},
    "goal": {"event": {"on": "added_manually"}},
    "action": {"action": {"type": "add_tag", "tag": "stand-in"}},
    "wait": {"duration": "PT0S"},
    "condition": {"rule": {"tag": "stand-in", "op": "has"}},
    "split": {},
    "fork": {},
    "end": {},
}
"""Settings that let an element whose own settings are broken stand in for the shape rules."""
SETTING_RULES = frozenset({"event_settings", "wait_settings", "condition_rule", "action_settings"})
"""Rules about an element's own settings: never reported for a stand-in."""


def _stand_in(item: dict[str, Any], outgoing: int) -> tuple[dict[str, Any], bool]:
    """An element that parses, keeping the id, kind and target; True when the kind is known."""
    kind = item.get("kind")
    if kind == "goto" and isinstance(item.get("target"), str):
        return {"id": item["id"], "kind": "goto", "target": item["target"]}, True
    if isinstance(kind, str) and kind in STAND_INS:
        return {"id": item["id"], "kind": kind, **STAND_INS[kind]}, True
    shape = "end" if outgoing == 0 else "action" if outgoing == 1 else "fork"
    return {"id": item["id"], "kind": shape, **STAND_INS[shape]}, False


def shape_problems(data: Any) -> list[Problem]:
    """The shape rules (connectors, doors, branches, loops) of a map that has schema problems:
    an element whose settings do not parse is replaced by a stand-in of its kind, a connector
    that does not parse is left out, so one pass reports every problem."""
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        return []
    raw_connectors = [c for c in data.get("connectors") or [] if isinstance(c, dict)]
    connectors = []
    for c in raw_connectors:
        try:
            connectors.append(Connector.model_validate(c).model_dump(by_alias=True))
        except ValueError:
            continue
    elements: list[dict[str, Any]] = []
    stood_in: set[str] = set()
    unknown: set[str] = set()
    for item in data["elements"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        try:
            AutomationMap.model_validate({"id": "m", "elements": [item]})
            elements.append(item)
        except ValueError:
            outgoing = sum(1 for c in raw_connectors if c.get("from") == item["id"])
            stand_in, known = _stand_in(item, outgoing)
            elements.append(stand_in)
            stood_in.add(item["id"])
            if not known:
                unknown.add(item["id"])
    try:
        m = AutomationMap.model_validate(
            {"id": "m", "elements": elements, "connectors": connectors}
        )
    except ValueError:
        return []
    return [
        p
        for p in problems(m)
        if p.element_id not in unknown
        and not (p.code in SETTING_RULES and p.element_id in stood_in)
    ]


@map_app.command("validate")
@friendly
def validate(
    file: Annotated[Path, typer.Argument(help="Map file to check.", show_default=False)],
) -> None:
    """Check a map file against every rule without storing it; exit 1 when invalid."""
    try:
        m = load_map(str(file))
    except MapInvalid as exc:
        found = list(exc.problems)
        if exc.problems and exc.problems[0].code not in ("unparsable", "not_a_map"):
            text = file.read_text(encoding="utf-8")
            data = json.loads(text) if file.suffix.lower() == ".json" else parse_yaml(text)
            found += [p for p in shape_problems(data) if p not in found]
        n = len(found)
        say(f"Map {exc.map_id!r} is invalid: {n} problem{'s' if n != 1 else ''}.")
        for p in found:
            say(f"  [{p.code}] {_subject(p)}: {p.message}")
        raise typer.Exit(1) from None
    say(f"Map {m.id!r} is valid: {_size(m)}.")


def _subject(p: Problem) -> str:
    """What a problem concerns: its element and/or connector, or the whole map."""
    parts = []
    if p.element_id is not None:
        parts.append(f"element {p.element_id!r}")
    if p.connector_id is not None:
        parts.append(f"connector {p.connector_id!r}")
    return ", ".join(parts) or "map"


@map_app.command("templates")
@friendly
def templates() -> None:
    """List the prebuilt maps that `map add --template NAME` stores."""
    table = Table("Template", "Name", "Elements", "Connectors", "Goals")
    for name in TEMPLATES:
        m = load_template(name)
        goals = sum(1 for e in m.elements if e.kind == "goal")
        table.add_row(
            name, escape(m.name), str(len(m.elements)), str(len(m.connectors)), str(goals)
        )
    console.print(table)
    say("Add one with: journeymap map add --db journeymap.duckdb --template NAME")
