"""Drafts: save a map as far as it is built (problems and all), read it back, list, discard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from journeymap.api.deps import READ, WRITE, LiveDep
from journeymap.api.errors import documented
from journeymap.api.routes.maps import MapBody, MapId
from journeymap.api.schemas.maps import ANY_OBJECT, ProblemOut, map_body
from journeymap.engine.drafts import Draft
from journeymap.errors import NotFound

router = APIRouter(tags=["maps"], responses=documented(401, 403, 404, 413, 422))


class DraftHead(BaseModel):
    """A saved draft: its map, name, the version it started from and the one live now, when."""

    map_id: str
    name: str
    based_on: int | None
    """The version live when it was saved; null for a map never published."""
    live: int | None
    """The version live now; null for a map never published."""
    saved_at: datetime


class DraftSummary(DraftHead):
    """A saved draft, and how many rules it breaks."""

    problem_count: int


class DraftOut(DraftHead):
    """A saved draft: the map file's JSON as it was left, and each rule it breaks."""

    body: dict[str, Any]
    problems: list[ProblemOut]


def _live_versions(live: LiveDep) -> dict[str, int]:
    return {str(s["map_id"]): int(str(s["version"])) for s in live.jm.maps()}


def _head(d: Draft, live: int | None) -> dict[str, Any]:
    return DraftHead(
        map_id=d.map_id, name=d.name, based_on=d.based_on, live=live, saved_at=d.saved_at
    ).model_dump()


def _summary(d: Draft, live: int | None) -> DraftSummary:
    return DraftSummary(**_head(d, live), problem_count=len(d.problems()))


def _out(d: Draft, live: int | None) -> DraftOut:
    problems = [ProblemOut.of(p) for p in d.problems()]
    return DraftOut(**_head(d, live), body=d.body, problems=problems)


@router.get("/api/drafts", dependencies=[READ])
def list_drafts(live: LiveDep) -> list[DraftSummary]:
    """Every saved draft, by map id: drafts are never run and never in a report."""
    versions = _live_versions(live)
    return [_summary(d, versions.get(d.map_id)) for d in live.jm.drafts()]


@router.get("/api/maps/{map_id}/draft", dependencies=[READ])
def get_draft(map_id: MapId, live: LiveDep) -> DraftOut:
    """The map's saved draft and its problems; 404 when it has none."""
    return _out(live.jm.draft(map_id), _live_versions(live).get(map_id))


@router.put(
    "/api/maps/{map_id}/draft",
    dependencies=[WRITE],
    openapi_extra=map_body("The map as far as it is built: any map object.", schema=ANY_OBJECT),
)
def save_draft(map_id: MapId, body: MapBody, live: LiveDep) -> DraftOut:
    """Keep the map as its draft, problems and all, replacing any earlier draft."""
    saved = live.write(lambda jm: jm.save_draft(map_id, body), engine_state=False)
    return _out(saved, _live_versions(live).get(map_id))


@router.delete(
    "/api/maps/{map_id}/draft", dependencies=[WRITE], status_code=status.HTTP_204_NO_CONTENT
)
def discard_draft(map_id: MapId, live: LiveDep) -> Response:
    """Forget the map's draft (its published versions stay); 404 when it has none."""
    if not live.write(lambda jm: jm.discard_draft(map_id), engine_state=False):
        raise NotFound(f"no draft of map {map_id!r}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
