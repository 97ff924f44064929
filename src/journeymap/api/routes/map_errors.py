"""Map errors: what a map could not do for a contact (docs/maps.md), counted and listed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from journeymap.api.deps import READ, LiveDep
from journeymap.api.errors import documented

router = APIRouter(
    prefix="/api/map-errors",
    tags=["maps"],
    dependencies=[READ],
    responses=documented(401, 403, 422),
)


class MapErrorCount(BaseModel):
    """How many errors one element of one map had with one code, and when the latest was."""

    map_id: str
    element_id: str | None
    code: str
    errors: int
    latest: datetime


class MapError(BaseModel):
    """One thing a map could not do: for which contact, on which event, and why."""

    map_id: str
    element_id: str | None
    contact_id: str
    event: str
    code: str
    reason: str
    occurred_at: datetime


class MapErrors(BaseModel):
    total: int
    counts: list[MapErrorCount]
    errors: list[MapError]


@router.get("")
def list_map_errors(
    live: LiveDep,
    map_id: Annotated[str | None, Query(alias="map", min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> MapErrors:
    """Map errors counted per map, element and code, and the newest `limit` of them."""
    counts = [
        MapErrorCount(**r) for r in live.jm.store.query("map_error_counts", {"map_id": map_id})
    ]
    rows = live.jm.store.query("map_errors", {"map_id": map_id, "limit": limit})
    return MapErrors(
        total=sum(c.errors for c in counts),
        counts=counts,
        errors=[MapError(**r) for r in rows],
    )
