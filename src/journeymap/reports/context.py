"""What a report runs against: the store, the map's latest version and the checked parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from journeymap.errors import NotFound
from journeymap.model.map import AutomationMap
from journeymap.reports.params import ReportParams
from journeymap.store.protocol import Store


def load_map(store: Store, map_id: str) -> AutomationMap:
    """The latest stored version of a map."""
    rows = store.query("map_versions", {"map_id": map_id})
    if not rows:
        raise NotFound(f"map_id: no map {map_id!r}", code="unknown_map")
    data = json.loads(rows[-1]["body"])
    data["version"] = rows[-1]["version"]
    return AutomationMap.model_validate(data)


@dataclass(frozen=True)
class ReportContext:
    """One report run: every query it makes gets the cohort's bound parameters."""

    store: Store
    map: AutomationMap
    params: ReportParams
    now: datetime
    """The report's moment (the injected clock's): contacts still on the way are followed to it."""
    resolved: dict[str, Any] | None = None
    """The cohort keys of another report over the same map and UTM filters, when there is one:
    only the dates are resolved again (a trend's periods)."""

    @cached_property
    def keys(self) -> dict[str, Any]:
        """The cohort filters as the store resolves them once per report (`report_cohort_keys`)."""
        if self.resolved is not None:
            start, end = self.params.bounds()
            dates = self.store.query("report_cohort_dates", {"from": start, "to": end})[0]
            return {**self.resolved, **dates}
        return self.store.query("report_cohort_keys", self.params.cohort_params())[0]

    def rows(self, query: str, **extra: Any) -> list[dict[str, Any]]:
        """Rows of the named `report_*` query over the cohort, with extra bound parameters."""
        return self.store.query(f"report_{query}", {**self.keys, **extra})

    def table(self, query: str, **extra: Any) -> Any:
        """The same rows as `rows`, as an Arrow table (for column-wise work)."""
        return self.store.query_arrow(f"report_{query}", {**self.keys, **extra})

    def by_element(self, query: str, key: str = "element_id", **extra: Any) -> dict[Any, Any]:
        """Rows of a `report_*` query keyed by one column."""
        return {r[key]: r for r in self.rows(query, **extra)}

    @cached_property
    def cohort_size(self) -> int:
        """Contacts in the cohort."""
        return int(self.rows("cohort_size")[0]["cohort_size"])
