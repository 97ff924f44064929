"""Maps: create, list, read, update as a new version, validate, archive."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.responses import PlainTextResponse

from journeymap.api.deps import READ, WRITE, LiveDep
from journeymap.api.errors import Conflict, InvalidRequest, documented
from journeymap.api.schemas.maps import (
    ANY_OBJECT,
    MAP_REF,
    MapSummary,
    ProblemOut,
    Validation,
    map_body,
    read_map_body,
)
from journeymap.errors import MapInvalid, NotFound
from journeymap.library import Journeymap
from journeymap.model.loading import dump_map, parse_map
from journeymap.model.map import AutomationMap

router = APIRouter(
    prefix="/api/maps", tags=["maps"], responses=documented(401, 403, 404, 409, 413, 422)
)

MapId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")]
MapBody = Annotated[Any, Depends(read_map_body)]
"""The map as in its JSON file (the schema is the AutomationMap component)."""
DiscardDraft = Annotated[
    bool,
    Query(
        description="Also forget the map's saved draft, in the same write (the builder's Publish)."
    ),
]


def _store(jm: Journeymap, m: AutomationMap, discard_draft: bool) -> MapSummary:
    """Store the map's next version, and forget its draft with it when asked: both or neither."""
    with jm.store.transaction():
        if discard_draft:
            jm.discard_draft(m.id)
        jm.add_map(m)
    return _summary(jm, m.id)


def _summary(jm: Journeymap, map_id: str) -> MapSummary:
    return MapSummary.from_row(jm.engine.registry.versions(map_id)[-1])


@router.get("", dependencies=[READ])
def list_maps(live: LiveDep) -> list[MapSummary]:
    """Every map, latest version, archived ones flagged."""
    return [MapSummary.from_row(r) for r in live.jm.maps()]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[WRITE],
    openapi_extra=map_body("The new map as in its JSON file."),
)
def create_map(body: MapBody, live: LiveDep, discard_draft: DiscardDraft = False) -> MapSummary:
    """Validate and store a new map as version 1; an invalid map gets 422 and is not stored."""
    m = parse_map(body, source="map")

    def run(jm: Journeymap) -> MapSummary:
        try:
            jm.engine.registry.versions(m.id)
        except NotFound:
            return _store(jm, m, discard_draft)
        raise Conflict(f"map {m.id!r} exists; PUT /api/maps/{m.id} stores a new version")

    return live.write(run, engine_state=False)


@router.post(
    "/validate",
    dependencies=[READ],
    openapi_extra=map_body("The map to check: any JSON object.", schema=ANY_OBJECT),
)
def validate_map(body: MapBody) -> Validation:
    """Check a map against every rule without storing it; a body that is no object is 422."""
    if not isinstance(body, dict):
        raise InvalidRequest("body", "a map is a JSON object", code="not_a_map")
    try:
        parse_map(body, source="map")
    except MapInvalid as exc:
        return Validation(valid=False, problems=[ProblemOut.of(p) for p in exc.problems])
    return Validation(valid=True, problems=[])


@router.get(
    "/{map_id}",
    dependencies=[READ],
    responses={200: {"content": {"application/json": {"schema": MAP_REF}}}},
)
def get_map(
    map_id: MapId, live: LiveDep, version: Annotated[int | None, Query(ge=1)] = None
) -> dict[str, Any]:
    """The map (latest version, or the one asked for) as in its JSON file."""
    m = live.jm.map(map_id, version)
    return m.model_dump(mode="json", by_alias=True, exclude_none=True)


class FileFormat(StrEnum):
    """The formats a map file is written in."""

    yaml = "yaml"
    json = "json"


FILE_TYPES = {FileFormat.yaml: "application/yaml", FileFormat.json: "application/json"}


@router.get(
    "/{map_id}/export",
    dependencies=[READ],
    response_class=PlainTextResponse,
    responses={200: {"content": {t: {"schema": MAP_REF} for t in FILE_TYPES.values()}}},
)
def export_map(
    map_id: MapId,
    live: LiveDep,
    version: Annotated[int | None, Query(ge=1)] = None,
    fmt: Annotated[FileFormat, Query(alias="format")] = FileFormat.yaml,
) -> Response:
    """The map (latest version, or the one asked for) as a file to download, as `map show`
    prints it: `journeymap map add` or POST /api/maps take it back unchanged, positions too."""
    m = live.jm.map(map_id, version)
    return Response(
        dump_map(m, fmt.value),
        media_type=f"{FILE_TYPES[fmt]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{m.id}.{fmt.value}"'},
    )


@router.put(
    "/{map_id}",
    dependencies=[WRITE],
    openapi_extra=map_body(
        "The edited map; its id, if given, is the one in the path.", example=None
    ),
)
def update_map(
    map_id: MapId, body: MapBody, live: LiveDep, discard_draft: DiscardDraft = False
) -> MapSummary:
    """Store an edited map as its next version (an unchanged map keeps its version)."""
    if isinstance(body, dict):
        if body.get("id", map_id) != map_id:
            raise InvalidRequest("id", f"the body's id {body['id']!r} is not {map_id!r}")
        body = {**body, "id": map_id}
    m = parse_map(body, source=map_id)

    def run(jm: Journeymap) -> MapSummary:
        jm.engine.registry.versions(map_id)  # 404 for a map never created
        return _store(jm, m, discard_draft)

    return live.write(run, engine_state=False)


@router.post("/{map_id}/archive", dependencies=[WRITE])
def archive_map(map_id: MapId, live: LiveDep) -> MapSummary:
    """Stop running the map; its history and stats stay."""
    return live.write(lambda jm: MapSummary.from_row(jm.archive_map(map_id)), engine_state=False)
