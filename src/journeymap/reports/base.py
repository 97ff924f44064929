"""The report registry: each report is a class that adds its figures to the shared flow figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, TypedDict

from pydantic import ValidationError

from journeymap import dates
from journeymap.errors import NotFound
from journeymap.reports.context import ReportContext, load_map
from journeymap.reports.flow import flow
from journeymap.reports.params import ReportParams
from journeymap.reports.result import ConnectorStats, ElementStats, ReportResult
from journeymap.reports.rules import COMMON_RULES, ReportInvalid, Rule
from journeymap.store.protocol import Store


class Report:
    """A report: its name, the rules its parameters follow, and the figures it adds."""

    name: ClassVar[str]
    title: ClassVar[str]
    rules: ClassVar[tuple[Rule, ...]] = ()

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        """Report options as they appear in the output."""
        return {}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        """Set this report's figures on the elements and connectors; return top-level figures."""
        raise NotImplementedError


REPORTS: dict[str, type[Report]] = {}
"""Every report by its name (as the CLI and HTTP API spell it), in the order of their names."""


def register(cls: type[Report]) -> type[Report]:
    REPORTS[cls.name] = cls
    ordered = sorted(REPORTS.items())  # whatever order the modules happen to be imported in
    REPORTS.clear()
    REPORTS.update(ordered)
    return cls


def run_report(store: Store, name: str, params: ReportParams, now: datetime) -> ReportResult:
    """Check the parameters, then compute the named report over its cohort."""
    cls = REPORTS.get(name)
    if cls is None:
        raise NotFound(
            f"report: no report {name!r}; reports are {', '.join(REPORTS)}", code="unknown_report"
        )
    m = load_map(store, params.map_id)
    for rule in (*COMMON_RULES, *cls.rules):
        rule.enforce(params, m)
    return compute_report(ReportContext(store, m, params, now), name)


def compute_report(ctx: ReportContext, name: str) -> ReportResult:
    """The named report over the context's cohort, its parameters already checked."""
    m = ctx.map
    report = REPORTS[name]()
    elements, connectors = flow(ctx)
    totals = report.compute(ctx, elements, connectors)
    return ReportResult(
        map_id=m.id,
        report=name,
        goal=ctx.params.goal,
        filters=ctx.params.filters(),
        options=report.options(ctx),
        cohort_size=ctx.cohort_size,
        computed_at=ctx.now,
        totals=totals,
        elements=elements,
        connectors=connectors,
    )


class ReportKwargs(TypedDict, total=False):
    """The library's keyword arguments of a report (make_params), for calls that pass them on."""

    goal: str | None
    date_range: tuple[date | str | None, date | str | None] | None
    tz: str
    utm: Mapping[str, str] | None
    last_touch: bool
    steps: Sequence[str] | None
    after_arrival: bool
    by: str | None
    control: str | None
    attribution: str
    half_life_days: float
    grace_days: float
    stall_days: float


def make_params(
    map_id: str,
    *,
    goal: str | None = None,
    date_range: tuple[date | str | None, date | str | None] | None = None,
    tz: str = "UTC",
    utm: Mapping[str, str] | None = None,
    last_touch: bool = False,
    steps: Sequence[str] | None = None,
    after_arrival: bool = False,
    by: str | None = None,
    control: str | None = None,
    attribution: str = "last",
    half_life_days: float = 7.0,
    grace_days: float = 1.0,
    stall_days: float = 14.0,
) -> ReportParams:
    """Typed parameters from the library's keyword arguments; a bad value names its field."""
    start, end = date_range if date_range is not None else (None, None)
    start, end = _day("from", start), _day("to", end)
    try:
        return ReportParams.model_validate(
            {
                "map_id": map_id,
                "goal": goal,
                "date_from": start,
                "date_to": end,
                "tz": tz,
                "utm": dict(utm or {}),
                "last_touch": last_touch,
                "steps": tuple(steps) if steps is not None else None,
                "after_arrival": after_arrival,
                "by": by,
                "control": control,
                "attribution": attribution,
                "half_life_days": half_life_days,
                "grace_days": grace_days,
                "stall_days": stall_days,
            }
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ReportInvalid("bad_parameter", field, err["msg"]) from None


def _day(field: str, value: date | str | None) -> date | None:
    """A cohort day; a bad one is `bad_date` naming `from` or `to`, wherever it came from."""
    try:
        return None if value is None else dates.day(value)
    except dates.DateRejected as exc:
        raise ReportInvalid("bad_date", field, str(exc)) from None
