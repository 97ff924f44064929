"""A report as CSV: rows per element, connector and report-level row; figures as columns."""

from __future__ import annotations

import csv
import io
from typing import Any

from journeymap.reports import ReportResult

LEAD = ("row", "id", "kind", "from", "to")


def report_csv(result: ReportResult) -> str:
    """Element rows, connector rows, then report-level rows; a figure not set is left empty."""
    rows: list[dict[str, Any]] = [{"row": "element", **e.figures()} for e in result.elements]
    rows += [{"row": "connector", **c.figures()} for c in result.connectors]
    for key, value in result.as_dict().items():  # report-level tables, such as ROI's rows
        if key not in ("elements", "connectors") and isinstance(value, list):
            rows += [{"row": key, **item} for item in value if isinstance(item, dict)]
    figures: list[str] = []
    for row in rows:
        figures.extend(k for k in row if k not in LEAD and k not in figures)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*LEAD, *figures], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
