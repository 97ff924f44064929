"""Maps from and to JSON or YAML; schema errors become problems that name the element."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from journeymap.errors import MapInvalid, NotFound, Problem
from journeymap.model.elements import Action, Element
from journeymap.model.limits import ID
from journeymap.model.map import AutomationMap
from journeymap.model.validation import validate_map

_SCHEMA_CODES = {
    "union_tag_invalid": "unknown_kind",
    "union_tag_not_found": "missing_kind",
    "missing": "missing_setting",
    "extra_forbidden": "unknown_setting",
}


class _MapYamlLoader(yaml.SafeLoader):
    """YAML 1.2 core scalars: `on`, `yes`, `no` stay text, `10:30` is not a number."""


# YAML 1.1 reads `on:` as the key True, `label: yes` as True and `10:30` as 630: keep the
# resolvers for null and float, replace bool and int with the YAML 1.2 core ones, and leave
# timestamps as text for pydantic to parse, as JSON maps are.
_MapYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[-1] in ("null", "float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MapYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_MapYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


class _MapYamlDumper(yaml.SafeDumper):
    """Safe YAML that writes multi-line text (email bodies) as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_MapYamlDumper.add_representer(str, _represent_str)


def parse_yaml(text: str) -> Any:
    """Parse map YAML with YAML 1.2 core scalars (so `on:` and `label: yes` stay text)."""
    return yaml.load(text, Loader=_MapYamlLoader)  # noqa: S506 - a SafeLoader subclass


def parse_map(data: Any, *, source: str = "map") -> AutomationMap:
    """Build and validate a map from parsed JSON/YAML data."""
    if not isinstance(data, dict):
        raise MapInvalid(source, [Problem("not_a_map", f"{source}: a map is an object/mapping")])
    map_id = str(data.get("id", source))
    try:
        m = AutomationMap.model_validate(data)
    except ValidationError as exc:
        raise MapInvalid(map_id, [_problem(data, err) for err in exc.errors()]) from None
    return validate_map(m)


def _problem(data: dict[str, Any], err: Any) -> Problem:
    loc = tuple(err["loc"])
    code = _SCHEMA_CODES.get(err["type"], "invalid_setting")
    element_id: str | None = None
    connector_id: str | None = None
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and loc[0] in ("elements", "connectors") and isinstance(loc[1], int):
        items = data.get(loc[0]) or []
        item = items[loc[1]] if loc[1] < len(items) else {}
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str) or ID.problem(ident) is not None:
            ident = None  # an id that is itself broken is named by position
        name = f"{loc[0][:-1]} {ident!r}" if ident else f"{loc[0][:-1]} #{loc[1] + 1}"
        if loc[0] == "elements":
            element_id = ident
        else:
            connector_id = ident
        rest = _setting_path(loc[2:], item if isinstance(item, dict) else {})
        where = name + (f" setting {'.'.join(rest)!r}" if rest else "")
    if code == "unknown_kind":
        ctx = err.get("ctx") or {}
        what = str(ctx.get("discriminator", "'kind'")).strip("'")
        msg = (
            f"{where}: unknown {what} {ctx.get('tag')!r}; expected one of "
            f"{ctx.get('expected_tags', '')}"
        )
    else:
        msg = f"{where}: {err['msg']}"
    return Problem(code, msg, element_id=element_id, connector_id=connector_id)


def _setting_path(loc: tuple[Any, ...], item: dict[str, Any]) -> list[str]:
    """The setting's path inside an element, without the union member names pydantic inserts."""
    rest = list(loc)
    if rest and rest[0] == item.get("kind"):
        rest = rest[1:]
    action = item.get("action")
    member = action.get("type") if isinstance(action, dict) else None
    if member is not None and rest[:2] == ["action", member]:
        rest = rest[:1] + rest[2:]
    return [str(p) for p in rest]


def load_map(path: str | Path) -> AutomationMap:
    """Load and validate a map file (.json, .yaml or .yml)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"map file {str(p)!r} does not exist") from None
    return parse_map(_parse_text(text, p.suffix.lower(), str(p)), source=p.stem)


def _parse_text(text: str, suffix: str, source: str) -> Any:
    try:
        if suffix == ".json":
            return json.loads(text)
        return parse_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise MapInvalid(source, [Problem("unparsable", f"{source}: {exc}")]) from None


def dump_map(m: AutomationMap, fmt: str = "yaml") -> str:
    """Serialise a map in its file format."""
    data = m.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    # `kind` and the action `type` have defaults but are the discriminators: always write them
    data["elements"] = [_element_data(e) for e in m.elements]
    data.pop("version", None)
    head: dict[str, Any] = {k: data.pop(k) for k in ("id", "name", "description") if k in data}
    data = {**head, "version": m.version, **data}
    if fmt == "json":
        return json.dumps(data, indent=2)
    return yaml.dump(data, Dumper=_MapYamlDumper, sort_keys=False, allow_unicode=True)


def _element_data(e: Element) -> dict[str, Any]:
    """One element as written to a map file: id and kind first, defaults left out."""
    data = e.model_dump(mode="json", exclude_defaults=True)
    if isinstance(e, Action):
        data["action"] = {"type": e.action.type, **data.get("action", {})}
    return {"id": e.id, "kind": e.kind, **data}


TEMPLATES = {
    "lifetime-value": "lifetime_value.yaml",
    "lifecycle": "lifecycle.yaml",
}
"""The prebuilt maps that ship with the package, by template name."""


def load_template(name: str) -> AutomationMap:
    """One of the prebuilt maps by name."""
    file = TEMPLATES.get(name)
    if file is None:
        raise NotFound(f"no template {name!r}; templates are {sorted(TEMPLATES)}")
    text = resources.files("journeymap.model").joinpath("templates", file).read_text("utf-8")
    return parse_map(parse_yaml(text), source=name)
