"""Drill-down: the contacts behind a report's count, paged or exported whole as CSV."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict

from journeymap.reports.context import ReportContext, load_map
from journeymap.reports.drilldown_figures import Figure, figure
from journeymap.reports.funnel_steps import FunnelSteps
from journeymap.reports.params import ReportParams
from journeymap.reports.rules import COMMON_RULES, ReportInvalid
from journeymap.store.facts import UTM_FIELDS
from journeymap.store.protocol import Store

MAX_LIMIT = 10_000
"""The longest page a drill-down returns; `export_contacts` streams lists of any length."""

MAX_OFFSET = 2**63 - 1
"""The largest `offset` (the store counts rows in signed 64-bit integers)."""

UTM_COLUMNS: tuple[str, ...] = tuple(f"first_utm_{f}" for f in UTM_FIELDS)

EXPORT_BATCH = 10_000
"""Rows converted and written to the CSV file at a time."""


class ContactRow(BaseModel):
    """One contact behind a count: who, when created, first-touch UTM, and the figure's time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    contact_id: str
    created_at: datetime | None
    first_utm_source: str | None = None
    first_utm_medium: str | None = None
    first_utm_campaign: str | None = None
    first_utm_content: str | None = None
    first_utm_term: str | None = None
    at: datetime | None
    value: int | float | Decimal | None = None


class ContactList(BaseModel):
    """One page of the contacts behind a figure; `total` is the length of the whole list."""

    model_config = ConfigDict(extra="forbid")

    map_id: str
    figure: str
    element: str | None
    connector: str | None
    goal: str | None
    filters: dict[str, Any]
    definition: str
    at_name: str
    value_name: str | None
    total: int
    limit: int | None
    offset: int
    rows: list[ContactRow]

    def row_dict(self, row: ContactRow) -> dict[str, Any]:
        """A row as JSON shows it: the time and value under the figure's own column names."""
        named = _named(row.model_dump(), self.at_name, self.value_name)
        return {k: _json(v) for k, v in named.items()}

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape (docs/reports.md, "Drill-down")."""
        data = self.model_dump(exclude={"rows"})
        data["rows"] = [self.row_dict(r) for r in self.rows]
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent)


@dataclass(frozen=True)
class _Plan:
    """A checked drill-down: the figure, its query and the bound parameters but paging."""

    figure: Figure
    params: ReportParams
    element: str | None
    connector: str | None
    query: str
    bound: dict[str, Any]

    def columns(self) -> list[str]:
        cols = ["contact_id", "created_at", *UTM_COLUMNS, self.figure.at_name]
        return cols + ([self.figure.value_name] if self.figure.value_name else [])


def plan(
    store: Store,
    params: ReportParams,
    figure_name: str,
    *,
    element: str | None = None,
    connector: str | None = None,
    now: datetime,
) -> _Plan:
    """Check the figure against its target and the parameters as reports do; name what is wrong."""
    fig = figure(figure_name)
    m = load_map(store, params.map_id)
    for rule in (*COMMON_RULES, FunnelSteps()):
        rule.enforce(params, m)
    if fig.goal == "required" and params.goal is None:
        raise ReportInvalid("goal_required", "goal", f"figure {fig.name!r} needs a goal")
    ctx = ReportContext(store, m, params, now)
    if fig.swap is not None:
        fig = fig.swap(ctx, fig)
    if fig.target != "element" and element is not None:
        where = "connectors" if fig.target == "connector" else "the map as a whole"
        raise ReportInvalid(
            "unexpected_element", "element", f"figure {fig.name!r} is shown on {where}"
        )
    if fig.target != "connector" and connector is not None:
        where = "elements" if fig.target == "element" else "the map as a whole"
        raise ReportInvalid(
            "unexpected_connector", "connector", f"figure {fig.name!r} is shown on {where}"
        )
    target = None
    if fig.target == "element":
        target = _element(ctx, fig, element)
    elif fig.target == "connector":
        target = _connector(ctx, fig, connector)
    bound = fig.bind(ctx, target) if fig.bind is not None else {}
    cohort = ctx.keys if fig.coded else params.cohort_params()
    return _Plan(fig, params, element, connector, f"drill_{fig.query}", {**cohort, **bound})


def _element(ctx: ReportContext, fig: Figure, element: str | None) -> str:
    if element is None:
        raise ReportInvalid(
            "element_required", "element", f"figure {fig.name!r} is shown on elements"
        )
    found = ctx.map.element_by_id.get(element)
    if found is None:
        raise ReportInvalid(
            "unknown_element", "element", f"map {ctx.map.id!r} has no element {element!r}"
        )
    problem = fig.check(ctx, found) if fig.check is not None else None
    if problem is not None:
        raise ReportInvalid("figure_not_for_element", "element", f"figure {fig.name!r} {problem}")
    return element


def _connector(ctx: ReportContext, fig: Figure, connector: str | None) -> str:
    if connector is None:
        raise ReportInvalid(
            "connector_required", "connector", f"figure {fig.name!r} is shown on connectors"
        )
    if all(c.id != connector for c in ctx.map.connectors):
        raise ReportInvalid(
            "unknown_connector", "connector", f"map {ctx.map.id!r} has no connector {connector!r}"
        )
    return connector


def list_contacts(
    store: Store, p: _Plan, *, limit: int | None = 100, offset: int = 0
) -> ContactList:
    """One page of the figure's contacts, in order of their time then id, with the list's length."""
    if limit is not None and not 0 < limit <= MAX_LIMIT:
        raise ReportInvalid("bad_parameter", "limit", f"{limit} is not between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ReportInvalid(
            "bad_parameter", "offset", f"{offset} is not between 0 and {MAX_OFFSET}"
        )
    rows = store.query(p.query, {**p.bound, "limit": limit, "offset": offset})
    if rows:
        total = int(rows[0]["total"])
    elif offset == 0:
        total = 0
    else:  # past the end: the page is empty, the length still counts
        first = store.query(p.query, {**p.bound, "limit": 1, "offset": 0})
        total = int(first[0]["total"]) if first else 0
    return ContactList(
        map_id=p.params.map_id,
        figure=p.figure.name,
        element=p.element,
        connector=p.connector,
        goal=p.params.goal,
        filters=p.params.filters(),
        definition=p.figure.describe,
        at_name=p.figure.at_name,
        value_name=p.figure.value_name,
        total=total,
        limit=limit,
        offset=offset,
        rows=[_row(r) for r in rows],
    )


def export_csv(store: Store, p: _Plan, out: TextIO) -> int:
    """Write the figure's whole list to `out` as CSV (header first), block by block; the rows."""
    table = store.query_arrow(p.query, {**p.bound, "limit": None, "offset": 0})
    columns = p.columns()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    sources = ["contact_id", "created_at", *UTM_COLUMNS, "at"]
    sources += ["value"] if p.figure.value_name else []
    written = 0
    for batch in table.to_batches(max_chunksize=EXPORT_BATCH):
        data = batch.to_pydict()
        cells = [[_csv_cell(v) for v in data[name]] for name in sources]
        writer.writerows(zip(*cells, strict=True))
        written += batch.num_rows
    return written


def _row(r: dict[str, Any]) -> ContactRow:
    return ContactRow(
        contact_id=r["contact_id"],
        created_at=r["created_at"],
        **{c: r[c] for c in UTM_COLUMNS},
        at=r["at"],
        value=r["value"],
    )


def _named(r: dict[str, Any], at_name: str, value_name: str | None) -> dict[str, Any]:
    out = {k: v for k, v in r.items() if k not in ("at", "value", "total")}
    out[at_name] = r["at"]
    if value_name is not None:
        out[value_name] = r["value"]
    return out


def _json(value: Any) -> Any:
    """Times as ISO 8601 text, money as a number, as reports show them."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
