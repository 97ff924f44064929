"""Map bodies: summaries of stored maps and validation results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from journeymap.clock import as_utc
from journeymap.errors import Problem


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
