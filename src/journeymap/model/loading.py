"""Maps from and to JSON or YAML; schema errors become problems that name the element."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from journeymap.errors import MapInvalid, NotFound, Problem
from journeymap.model.map import AutomationMap
from journeymap.model.validation import validate_map

_SCHEMA_CODES = {
    "union_tag_invalid": "unknown_kind",
    "union_tag_not_found": "missing_kind",
    "missing": "missing_setting",
    "extra_forbidden": "unknown_setting",
}


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
        name = f"{loc[0][:-1]} {ident!r}" if ident else f"{loc[0][:-1]} #{loc[1] + 1}"
        if loc[0] == "elements":
            element_id = ident
        else:
            connector_id = ident
        # drop the union member name pydantic inserts after the index
        rest = [str(p) for p in loc[2:] if not (loc[0] == "elements" and p == item.get("kind"))]
        where = name + (f" setting {'.'.join(rest)!r}" if rest else "")
    if code == "unknown_kind":
        msg = (
            f"{where}: unknown kind {err.get('input', {}).get('kind')!r}"
            if isinstance(err.get("input"), dict)
            else f"{where}: unknown kind"
        )
    else:
        msg = f"{where}: {err['msg']}"
    return Problem(code, msg, element_id=element_id, connector_id=connector_id)


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
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise MapInvalid(source, [Problem("unparsable", f"{source}: {exc}")]) from None


def dump_map(m: AutomationMap, fmt: str = "yaml") -> str:
    """Serialise a map in its file format."""
    data = m.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["version"] = m.version
    if fmt == "json":
        return json.dumps(data, indent=2)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


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
    return parse_map(yaml.safe_load(text), source=name)
