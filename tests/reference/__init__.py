"""A plain-Python model of docs/metrics.md: every figure of every report, and the contacts behind
each count, computed from the recorded fact rows alone. It shares no code or SQL with journeymap:
it reads the fact tables with `SELECT *` and follows the page line by line, so a report that
disagrees with it is wrong, or the page is.

    facts = read(connection)           # once per store state
    m = Model(facts, Ask("map", goal="g", utm={"source": "google"}))
    report(m, "funnel-conversion")     # the report's JSON but computed_at
    doors(m)                           # every count shown: (figure, element, connector)
    listed(m, "here_now", "w", None)   # the contacts behind one, as the drill-down lists them
"""

from __future__ import annotations

from reference.cohort import Ask
from reference.facts import Facts, read
from reference.lists import doors, listed
from reference.model import Model
from reference.reports import REPORTS, report

__all__ = ["REPORTS", "Ask", "Facts", "Model", "doors", "listed", "read", "report"]
