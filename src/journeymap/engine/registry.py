"""Maps kept in the store: each save of an edited map is a new version; element ids stay."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from journeymap.errors import NotFound
from journeymap.model.loading import parse_map
from journeymap.model.map import AutomationMap
from journeymap.store.facts import TABLES, FactBatch
from journeymap.store.protocol import Store


class MapRegistry:
    """Versioned maps in the store. Only valid maps get here: parse_map validates first."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, m: AutomationMap, now: datetime) -> AutomationMap:
        """Store a map as its next version; an unchanged map keeps its current version."""
        m = parse_map(_body(m), source=m.id)  # re-validate: nothing invalid is ever stored
        versions = self.store.query("map_versions", {"map_id": m.id})
        if versions:
            last = versions[-1]
            stored_body = json.loads(last["body"])
            stored_body.pop("version", None)  # the stored body carries its version; _body not
            if stored_body == _body(m) and not last["archived"]:
                return m.model_copy(update={"version": last["version"]})
            version = int(last["version"]) + 1
        else:
            version = 1
        stored = m.model_copy(update={"version": version})
        batch = FactBatch()
        batch.add(
            "maps",
            (m.id, version, m.name, json.dumps(_body(stored) | {"version": version}), now, False),
        )
        self.store.append(batch)
        return stored

    def get(self, map_id: str, version: int | None = None) -> AutomationMap:
        """The latest (or a given) version of a map."""
        rows = self.store.query("map_versions", {"map_id": map_id})
        if version is not None:
            rows = [r for r in rows if r["version"] == version]
        if not rows:
            suffix = f" version {version}" if version is not None else ""
            raise NotFound(f"no map {map_id!r}{suffix}")
        return _load(rows[-1])

    def versions(self, map_id: str) -> list[dict[str, Any]]:
        rows = self.store.query("map_versions", {"map_id": map_id})
        if not rows:
            raise NotFound(f"no map {map_id!r}")
        return rows

    def archive(self, map_id: str) -> dict[str, Any]:
        """Mark a map's latest version archived; its history stays, a later save revives it."""
        last = self.versions(map_id)[-1]
        batch = FactBatch()
        batch.add("maps", (*(last[c] for c in TABLES["maps"][:-1]), True))
        self.store.append(batch)
        return self.versions(map_id)[-1]

    def latest(self, *, include_archived: bool = False) -> list[AutomationMap]:
        """The newest version of every map."""
        return [
            _load(r)
            for r in self.store.query("maps_latest")
            if include_archived or not r["archived"]
        ]

    def summaries(self) -> list[dict[str, Any]]:
        """Id, name, version, archived flag and save time of every map."""
        return [
            {k: r[k] for k in ("map_id", "name", "version", "archived", "created_at")}
            for r in self.store.query("maps_latest")
        ]


def _body(m: AutomationMap) -> dict[str, Any]:
    data = m.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.pop("version", None)
    return data


def _load(row: dict[str, Any]) -> AutomationMap:
    data = json.loads(row["body"])
    data["version"] = row["version"]
    return AutomationMap.model_validate(data)
