"""Reports: each of Performance Mode's six reports over a map and cohort, as JSON or CSV."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from journeymap.api.deps import READ, LiveDep
from journeymap.api.errors import documented
from journeymap.api.params import Cohort, cohort
from journeymap.api.routes.maps import MapId
from journeymap.reports import REPORTS
from journeymap.reports.export import report_csv

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
    filters: Annotated[Cohort, Depends(cohort)],
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
    result = live.jm.report(  # read in a snapshot, never waiting for the applier
        report, map_id=map_id, by=by, control=control, **filters.kwargs()
    )
    if fmt is Format.csv:
        return Response(report_csv(result), media_type="text/csv; charset=utf-8")
    return result.as_dict()


class Period(StrEnum):
    week = "week"
    month = "month"


@router.get(
    "/maps/{map_id}/reports/{report}/trend",
    responses={200: {"content": {"text/csv": {}}, "description": "The trend (JSON or CSV)."}},
)
def get_trend(
    map_id: MapId,
    report: ReportName,
    live: LiveDep,
    filters: Annotated[Cohort, Depends(cohort)],
    figure: Annotated[str, Query(max_length=100, description="The figure, e.g. here_now.")],
    period: Annotated[Period, Query(description="week or month of first entry.")] = Period.week,
    element: Annotated[str | None, Query(max_length=200)] = None,
    connector: Annotated[str | None, Query(max_length=200)] = None,
    by: Annotated[
        str | None, Query(max_length=20, description="ROI: the UTM field to group by.")
    ] = None,
    control: Annotated[
        str | None,
        Query(max_length=200, description="Split test: connector of the control branch."),
    ] = None,
    fmt: Annotated[Format, Query(alias="format", description="json or csv.")] = Format.json,
) -> Any:
    """One figure of a report by week or month of first entry (cohort trend)."""
    found = live.jm.trend(
        report,
        map_id=map_id,
        figure=figure,
        period=period.value,
        element=element,
        connector=connector,
        by=by,
        control=control,
        **filters.kwargs(),
    )
    if fmt is Format.csv:
        return Response(found.to_csv(), media_type="text/csv; charset=utf-8")
    return found.as_dict()
