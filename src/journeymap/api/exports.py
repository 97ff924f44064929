"""A report as CSV: one row per element, then one per connector, with every figure as a column."""

from __future__ import annotations

import csv
import io
from typing import Any

from journeymap.reports import ReportResult

LEAD = ("row", "id", "kind", "from", "to")


def report_csv(result: ReportResult) -> str:
    """Element rows, then connector rows; a figure that does not apply is left empty."""
    rows: list[dict[str, Any]] = [{"row": "element", **e.figures()} for e in result.elements] + [
        {"row": "connector", **c.figures()} for c in result.connectors
    ]
    figures: list[str] = []
    for row in rows:
        figures.extend(k for k in row if k not in LEAD and k not in figures)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*LEAD, *figures], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
