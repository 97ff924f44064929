"""Reports: each of Performance Mode's six reports over a map and cohort, as JSON or CSV."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from journeymap.api.deps import READ, LiveDep
from journeymap.api.errors import documented
from journeymap.api.exports import report_csv
from journeymap.api.routes.maps import MapId
from journeymap.reports import REPORTS
from journeymap.store.facts import UTM_FIELDS

router = APIRouter(
    prefix="/api",
    tags=["reports"],
    dependencies=[READ],
    responses=documented(401, 404, 413, 422),
)

ReportName = Annotated[
    str,
    Path(max_length=100, description=f"One of: {', '.join(REPORTS)}.", examples=["contact-flow"]),
]
UtmQuery = Annotated[str | None, Query(max_length=500)]


class Format(StrEnum):
    json = "json"
    csv = "csv"


class ReportInfo(BaseModel):
    name: str
    title: str


@router.get("/reports")
def list_reports() -> list[ReportInfo]:
    """The reports there are, by the name the report URL takes."""
    return [ReportInfo(name=name, title=cls.title) for name, cls in REPORTS.items()]


@router.get(
    "/maps/{map_id}/reports/{report}",
    responses={200: {"content": {"text/csv": {}}, "description": "The report (JSON or CSV)."}},
)
def get_report(
    map_id: MapId,
    report: ReportName,
    live: LiveDep,
    goal: Annotated[str | None, Query(max_length=200, description="Selected goal id.")] = None,
    date_from: Annotated[
        date | None, Query(alias="from", description="First day of the cohort's first entry.")
    ] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Last day (inclusive).")] = None,
    tz: Annotated[str, Query(max_length=64, description="Time zone of the days.")] = "UTC",
    utm_source: UtmQuery = None,
    utm_medium: UtmQuery = None,
    utm_campaign: UtmQuery = None,
    utm_content: UtmQuery = None,
    utm_term: UtmQuery = None,
    last_touch: Annotated[bool, Query(description="Filter on last-touch UTM instead.")] = False,
    steps: Annotated[
        list[str] | None, Query(description="Funnel steps (trigger and goal ids), in order.")
    ] = None,
    after_arrival: Annotated[
        bool, Query(description="Lifetime value: only purchases after first arrival.")
    ] = False,
    by: Annotated[
        str | None, Query(max_length=20, description="ROI: the UTM field to group by.")
    ] = None,
    control: Annotated[
        str | None,
        Query(max_length=200, description="Split test: connector of the control branch."),
    ] = None,
    fmt: Annotated[Format, Query(alias="format", description="json or csv.")] = Format.json,
) -> Any:
    """One report; UTM filters match first-touch values (`(none)` matches a missing value)."""
    given = (utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    utm = {f: v for f, v in zip(UTM_FIELDS, given, strict=True) if v is not None}
    result = live.jm.report(  # read in a snapshot, never waiting for the applier
        report,
        map_id=map_id,
        goal=goal,
        date_range=(date_from, date_to),
        tz=tz,
        utm=utm,
        last_touch=last_touch,
        steps=steps,
        after_arrival=after_arrival,
        by=by,
        control=control,
    )
    if fmt is Format.csv:
        return Response(report_csv(result), media_type="text/csv; charset=utf-8")
    return result.as_dict()
