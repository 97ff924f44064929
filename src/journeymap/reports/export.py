"""A report as CSV: one layout for the CLI, the HTTP API and the page (docs/reports.md)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from journeymap.reports.result import ReportResult


def report_csv(result: ReportResult) -> str:
    """Rows per element, connector and report-level row (ROI's); `record` says which."""
    # every figure is a column in the order it first appears, empty where it does not apply;
    # money is written exactly (12.50), not as a float
    rows: list[dict[str, Any]] = [
        {"record": "element", **e.figures(money_as_number=False)} for e in result.elements
    ]
    rows += [{"record": "connector", **c.figures()} for c in result.connectors]
    for value in result.totals.values():  # report-level tables, such as ROI's rows
        if isinstance(value, list):
            rows += [{"record": "row", **_money(item)} for item in value if isinstance(item, dict)]
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


MONEY = frozenset({"revenue", "cost"})
"""Money columns of report-level rows (the JSON gives them as numbers)."""
CENT = Decimal("0.01")


def _money(item: dict[str, Any]) -> dict[str, Any]:
    """The row with its money in cents, as element figures are written, and a list (a funnel
    step's elements) as its items separated by spaces (element ids hold no spaces)."""
    return {
        k: Decimal(str(v)).quantize(CENT)
        if k in MONEY and isinstance(v, float)
        else " ".join(map(str, v))
        if isinstance(v, list)
        else v
        for k, v in item.items()
    }
