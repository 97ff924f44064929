"""Map bodies: summaries of stored maps and validation results."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from journeymap.api.errors import bad_body
from journeymap.clock import as_utc
from journeymap.errors import Problem
from journeymap.model.map import AutomationMap


class MapSummary(BaseModel):
    """A stored map's id, name, latest version, archived flag and when that version was saved."""

    map_id: str
    name: str | None
    version: int
    archived: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MapSummary:
        return cls(
            map_id=row["map_id"],
            name=row["name"],
            version=int(row["version"]),
            archived=bool(row["archived"]),
            created_at=as_utc(row["created_at"]),
        )


class ProblemOut(BaseModel):
    """One broken validation rule."""

    code: str
    message: str
    element_id: str | None = None
    connector_id: str | None = None

    @classmethod
    def of(cls, p: Problem) -> ProblemOut:
        return cls(
            code=p.code, message=p.message, element_id=p.element_id, connector_id=p.connector_id
        )


class Validation(BaseModel):
    """Whether a map is valid, and every rule it breaks."""

    valid: bool
    problems: list[ProblemOut]


MAP_REF = {"$ref": "#/components/schemas/AutomationMap"}
"""Where the OpenAPI schema keeps the map file's JSON schema."""

EXAMPLE_MAP: dict[str, Any] = {
    "id": "welcome",
    "elements": [
        {"id": "signup", "kind": "trigger", "event": {"on": "contact_created"}},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [{"id": "c1", "from": "signup", "to": "done"}],
}


def map_components() -> dict[str, Any]:
    """The JSON schema of a map file and of each of its parts, as OpenAPI components."""
    schema = AutomationMap.model_json_schema(ref_template="#/components/schemas/{model}")
    parts: dict[str, Any] = schema.pop("$defs", {})
    return {**parts, "AutomationMap": schema}


ANY_OBJECT = {"type": "object", "description": "A map file as JSON (AutomationMap), to judge."}
"""The body of a call that checks maps: any object is taken, and its problems are the answer."""


def map_body(
    description: str,
    *,
    example: dict[str, Any] | None = EXAMPLE_MAP,
    schema: dict[str, Any] = MAP_REF,
) -> dict[str, Any]:
    """The `openapi_extra` of an operation whose body is a map file as JSON."""
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": content},
        }
    }


async def read_map_body(request: Request) -> Any:
    """The request body as parsed JSON; the map rules, not FastAPI, judge what it holds."""
    try:
        return json.loads(await request.body())
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past the parser
        raise bad_body() from None
