"""Drafts: a map as far as the builder got, kept with its problems; never run or reported on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from journeymap.clock import as_utc
from journeymap.errors import JourneymapError, MapInvalid, NotFound, Problem
from journeymap.model.loading import parse_map
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store


class DraftInvalid(JourneymapError):
    """A draft that is no map at all: not an object, or another map's id."""

    code = "draft_invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Draft:
    """A saved draft: the map file's JSON as it was left, the version it started from, when."""

    map_id: str
    body: dict[str, Any]
    based_on: int | None
    """The version live when it was saved; None for a map never published."""
    saved_at: datetime

    @property
    def name(self) -> str:
        name = self.body.get("name")
        return name if isinstance(name, str) else ""

    def problems(self) -> list[Problem]:
        """The rules of `map validate` the draft breaks: publishing needs none."""
        try:
            parse_map(self.body, source=self.map_id)
        except MapInvalid as exc:
            return exc.problems
        return []


def _draft(row: dict[str, Any]) -> Draft:
    return Draft(
        map_id=row["map_id"],
        body=json.loads(row["body"]),
        based_on=row["based_on"],
        saved_at=as_utc(row["saved_at"]),
    )


def save_draft(store: Store, map_id: str, body: Any, based_on: int | None, now: datetime) -> Draft:
    """Keep `body` as the map's draft, replacing any earlier one; problems are no bar."""
    if not isinstance(body, dict):
        raise DraftInvalid("body", "a draft is a map file's JSON object")
    given = body.get("id", map_id)
    if given != map_id:
        raise DraftInvalid("id", f"the draft's id {given!r} is not {map_id!r}")
    for key, kind, word in (("elements", list, "a list"), ("connectors", list, "a list")):
        if key in body and not isinstance(body[key], kind):
            raise DraftInvalid(key, f"a draft's {key} are {word}")
    if "layout" in body and not isinstance(body["layout"], dict):
        raise DraftInvalid("layout", "a draft's layout is an object of element positions")
    body = {**body, "id": map_id}
    body.pop("version", None)  # a draft has no version until it is published
    batch = FactBatch()
    batch.add("map_drafts", (map_id, json.dumps(body), based_on, now))
    store.append(batch)
    return Draft(map_id, body, based_on, as_utc(now))


def get_draft(store: Store, map_id: str) -> Draft:
    """The map's saved draft; NotFound when it has none."""
    rows = store.query("map_drafts", {"map_id": map_id})
    if not rows:
        raise NotFound(f"no draft of map {map_id!r}")
    return _draft(rows[0])


def list_drafts(store: Store) -> list[Draft]:
    """Every saved draft, by map id."""
    return [_draft(r) for r in store.query("map_drafts", {"map_id": None})]


def discard_draft(store: Store, map_id: str, now: datetime) -> bool:
    """Forget the map's draft; False when it had none."""
    if not store.query("map_drafts", {"map_id": map_id}):
        return False
    batch = FactBatch()
    batch.add("map_drafts", (map_id, None, None, now))
    store.append(batch)
    return True
