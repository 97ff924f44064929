"""What the map builder reads: the map model's JSON schema and the prebuilt maps to start from."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Path

from journeymap.api.deps import READ
from journeymap.api.errors import documented
from journeymap.model.loading import TEMPLATES, load_template
from journeymap.model.map import AutomationMap

router = APIRouter(tags=["web"])


@cache
def map_schema() -> dict[str, Any]:
    """The JSON schema of a map file, as the pydantic models define it."""
    return AutomationMap.model_json_schema(by_alias=True)


@router.get("/api/map-schema", dependencies=[READ], responses=documented(401))
def get_map_schema() -> dict[str, Any]:
    """The JSON schema of a map: every element kind and setting the builder's forms offer."""
    return map_schema()


@router.get("/api/map-templates", dependencies=[READ], responses=documented(401))
def list_templates() -> list[dict[str, str]]:
    """The prebuilt maps a new map can start from: template name, map name and description."""
    found = []
    for name in sorted(TEMPLATES):
        m = load_template(name)
        found.append({"template": name, "name": m.name, "description": m.description})
    return found


@router.get("/api/map-templates/{name}", dependencies=[READ], responses=documented(401, 404))
def get_template(name: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """One prebuilt map as in its JSON file."""
    return load_template(name).model_dump(mode="json", by_alias=True, exclude_none=True)
