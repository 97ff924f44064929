"""The contacts behind a count on the page: one page as JSON, or the whole list as CSV."""

from __future__ import annotations

import io
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from journeymap.api.deps import READ, LiveDep
from journeymap.api.errors import documented
from journeymap.api.params import Cohort, cohort
from journeymap.api.routes.maps import MapId
from journeymap.reports.drilldown import MAX_LIMIT, MAX_OFFSET

router = APIRouter(
    prefix="/api", tags=["reports"], dependencies=[READ], responses=documented(401, 404, 413, 422)
)


@router.get(
    "/maps/{map_id}/contacts",
    responses={200: {"content": {"text/csv": {}}, "description": "A page (JSON) or all (CSV)."}},
)
def figure_contacts(
    map_id: MapId,
    live: LiveDep,
    figure: Annotated[str, Query(max_length=100, description="The count, e.g. were_here.")],
    filters: Annotated[Cohort, Depends(cohort)],
    element: Annotated[str | None, Query(max_length=200)] = None,
    connector: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    fmt: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json",
) -> Any:
    """Who is behind a figure of a report (the same cohort parameters as the report)."""
    common: dict[str, Any] = {
        "figure": figure,
        "element": element,
        "connector": connector,
        **filters.kwargs(),
    }
    if fmt == "csv":
        out = io.StringIO()
        live.jm.export_contacts(map_id, out=out, **common)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{map_id}-{element or connector or 'map'}-{figure}")
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    found = live.jm.contacts(map_id, limit=limit, offset=offset, **common)
    return found.as_dict()
