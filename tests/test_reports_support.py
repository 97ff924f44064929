"""Helpers for the report tests: read figures back from a report as compact tuples."""

from __future__ import annotations

from typing import Any

from journeymap.reports import ReportResult

SEND = {"message": {"subject": "Hello"}}
"""Settings of a send-email action."""


def flow(result: ReportResult) -> dict[str, tuple[int, int, int]]:
    """(were_here, here_now, visits) per element."""
    return {e.id: (e.were_here, e.here_now, e.visits) for e in result.elements}


def links(result: ReportResult) -> dict[str, tuple[int, float | None]]:
    """(contacts, share) per connector."""
    return {c.id: (c.contacts, c.share) for c in result.connectors}


def column(result: ReportResult, name: str) -> dict[str, Any]:
    """One figure per element, for the elements where it is set."""
    out = {}
    for e in result.elements:
        data = e.figures(money_as_number=False)
        if name in data:
            out[e.id] = data[name]
    return out
