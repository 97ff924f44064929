"""The contacts behind a count on the page: one page as JSON, or the whole list as CSV."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from journeymap.api.deps import READ, LiveDep
from journeymap.api.errors import documented
from journeymap.api.routes.maps import MapId
from journeymap.reports.drilldown import MAX_LIMIT
from journeymap.store.facts import UTM_FIELDS

router = APIRouter(
    prefix="/api", tags=["reports"], dependencies=[READ], responses=documented(401, 404, 413, 422)
)

UtmQuery = Annotated[str | None, Query(max_length=500)]


@router.get(
    "/maps/{map_id}/contacts",
    responses={200: {"content": {"text/csv": {}}, "description": "A page (JSON) or all (CSV)."}},
)
def figure_contacts(
    map_id: MapId,
    live: LiveDep,
    figure: Annotated[str, Query(max_length=100, description="The count, e.g. were_here.")],
    element: Annotated[str | None, Query(max_length=200)] = None,
    connector: Annotated[str | None, Query(max_length=200)] = None,
    goal: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    tz: Annotated[str, Query(max_length=64)] = "UTC",
    utm_source: UtmQuery = None,
    utm_medium: UtmQuery = None,
    utm_campaign: UtmQuery = None,
    utm_content: UtmQuery = None,
    utm_term: UtmQuery = None,
    last_touch: bool = False,
    steps: Annotated[list[str] | None, Query()] = None,
    after_arrival: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    fmt: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json",
) -> Any:
    """Who is behind a figure of a report (the same cohort parameters as the report)."""
    given = (utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    common: dict[str, Any] = {
        "figure": figure,
        "element": element,
        "connector": connector,
        "goal": goal,
        "date_range": (date_from, date_to),
        "tz": tz,
        "utm": {f: v for f, v in zip(UTM_FIELDS, given, strict=True) if v is not None},
        "last_touch": last_touch,
        "steps": steps,
        "after_arrival": after_arrival,
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
