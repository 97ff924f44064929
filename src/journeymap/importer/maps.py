"""What the import needs to know of the stored maps: their elements, goals and connectors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from journeymap.model.map import AutomationMap
from journeymap.store.protocol import Store

SEP = "\x1f"
"""Joins a map id and an element id into one lookup key."""


@dataclass(frozen=True)
class MapIndex:
    """The latest stored version of every live map, as lookup sets and staging tables."""

    maps: dict[str, AutomationMap]

    @classmethod
    def load(cls, store: Store) -> MapIndex:
        maps: dict[str, AutomationMap] = {}
        for row in store.query("maps_latest"):
            if not row["archived"]:
                data = json.loads(row["body"])
                data["version"] = row["version"]
                maps[row["map_id"]] = AutomationMap.model_validate(data)
        return cls(maps)

    def element_keys(self) -> pa.Array:
        """`map SEP element` for every element of every map."""
        return pa.array(
            [f"{m.id}{SEP}{e.id}" for m in self.maps.values() for e in m.elements], pa.string()
        )

    def goal_keys(self) -> pa.Array:
        """`map SEP element` for every goal element."""
        keys = [
            f"{m.id}{SEP}{e.id}" for m in self.maps.values() for e in m.elements if e.kind == "goal"
        ]
        return pa.array(keys, pa.string())

    def elements_table(self) -> pa.Table:
        rows = [(m.id, e.id, e.kind) for m in self.maps.values() for e in m.elements]
        return _table(("map_id", "element_id", "kind"), rows)

    def connectors_table(self) -> pa.Table:
        """The first connector (in map order) between each pair of elements, as the engine picks."""
        rows: dict[tuple[str, str, str], str] = {}
        for m in self.maps.values():
            for c in m.connectors:
                rows.setdefault((m.id, c.from_, c.to), c.id)
        return _table(
            ("map_id", "from_element", "to_element", "connector_id"),
            [(*k, v) for k, v in rows.items()],
        )

    def describe(self, map_id: str) -> str:
        m = self.maps[map_id]
        return f"map {map_id!r} (version {m.version})"


def _table(names: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> pa.Table:
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({n: pa.array(list(c), pa.string()) for n, c in zip(names, cols, strict=True)})
