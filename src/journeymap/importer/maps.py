"""What the import needs to know of the stored maps: their elements, goals and connectors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from journeymap.importer.shaping import Codes
from journeymap.model.map import AutomationMap
from journeymap.store.protocol import Store


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

    def _elements(self) -> list[tuple[str, str, str]]:
        """(map, element, kind) of every element; its position is its code."""
        return [(m.id, e.id, e.kind) for m in self.maps.values() for e in m.elements]

    def _connectors(self) -> list[tuple[str, str, str, str]]:
        """(map, connector, from, to): the first connector (in map order) between each pair of
        elements, as the engine picks; its position is its code."""
        first: dict[tuple[str, str, str], str] = {}
        for m in self.maps.values():
            for c in m.connectors:
                first.setdefault((m.id, c.from_, c.to), c.id)
        return [(k[0], v, k[1], k[2]) for k, v in first.items()]

    def maps_table(self) -> pa.Table:
        return pa.table(
            {
                "map_id": pa.array(list(self.maps), pa.string()),
                "version": pa.array([m.version for m in self.maps.values()], pa.int32()),
            }
        )

    def elements_table(self) -> pa.Table:
        rows = self._elements()
        table = _table(("map_id", "element_id", "kind"), rows)
        return table.append_column("ek", pa.array(range(len(rows)), pa.int64()))

    def connectors_table(self) -> pa.Table:
        codes = {(m, e): i for i, (m, e, _) in enumerate(self._elements())}
        rows = self._connectors()
        return pa.table(
            {
                "map_id": pa.array([r[0] for r in rows], pa.string()),
                "connector_id": pa.array([r[1] for r in rows], pa.string()),
                "ck": pa.array(range(len(rows)), pa.int64()),
                "from_ek": pa.array([codes[(r[0], r[2])] for r in rows], pa.int64()),
                "to_ek": pa.array([codes[(r[0], r[3])] for r in rows], pa.int64()),
            }
        )

    def codes(self) -> Codes:
        """Element and connector names by code, for shaping visits."""
        elements = self._elements()
        width = len(elements)
        connectors = self.connectors_table()
        keys = connectors["from_ek"].to_numpy().astype(np.int64) * width + connectors[
            "to_ek"
        ].to_numpy().astype(np.int64)
        order = np.argsort(keys, kind="stable")
        return Codes(
            elements=pa.array([e for _, e, _ in elements], pa.string()),
            connector_keys=keys[order],
            connector_codes=connectors["ck"].to_numpy().astype(np.int64)[order],
            connectors=connectors["connector_id"].combine_chunks(),
        )

    def describe(self, map_id: str) -> str:
        m = self.maps[map_id]
        return f"map {map_id!r} (version {m.version})"


def _table(names: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> pa.Table:
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({n: pa.array(list(c), pa.string()) for n, c in zip(names, cols, strict=True)})
