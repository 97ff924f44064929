"""The recorded facts as plain rows, read with `SELECT *` from the store's tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

UTM = ("source", "medium", "campaign", "content", "term")


@dataclass(frozen=True)
class Move:
    seq: int
    contact: str
    map_id: str
    source: str | None
    target: str | None
    connector: str | None
    kind: str
    at: datetime
    entry: int


@dataclass(frozen=True)
class Achievement:
    seq: int
    contact: str
    map_id: str
    goal: str
    source: str | None
    at: datetime
    entry: int


@dataclass(frozen=True)
class EmailEvent:
    event: str
    map_id: str | None
    element: str | None
    contact: str
    at: datetime


@dataclass(frozen=True)
class Delivery:
    id: str
    map_id: str
    element: str
    contact: str
    at: datetime


@dataclass(frozen=True)
class Attempt:
    delivery: str
    number: int
    status: str
    outcome: str
    error: str | None
    at: datetime


@dataclass(frozen=True)
class Purchase:
    contact: str
    at: datetime
    amount: Decimal


@dataclass(frozen=True)
class PageVisit:
    visitor: str
    contact: str | None
    url: str
    utm: dict[str, str | None]
    at: datetime


@dataclass(frozen=True)
class Contact:
    id: str
    created_at: datetime
    first: dict[str, str | None]
    last: dict[str, str | None]


@dataclass(frozen=True)
class Cost:
    field: str
    value: str
    start: date
    end: date
    amount: Decimal


@dataclass(frozen=True)
class Element:
    id: str
    kind: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class Connector:
    id: str
    source: str
    target: str


@dataclass
class Map:
    id: str
    elements: list[Element]
    connectors: list[Connector]

    def element(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.id == element_id)


@dataclass
class Facts:
    maps: dict[str, Map] = field(default_factory=dict)
    moves: list[Move] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)
    emails: list[EmailEvent] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    purchases: list[Purchase] = field(default_factory=list)
    pages: list[PageVisit] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    costs: list[Cost] = field(default_factory=list)


def _rows(con: Any, table: str) -> list[dict[str, Any]]:
    cur = con.execute(f"SELECT * FROM {table}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _latest_maps(con: Any) -> dict[str, Map]:
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    for r in _rows(con, "maps"):
        if r["map_id"] not in latest or r["version"] > latest[r["map_id"]][0]:
            latest[r["map_id"]] = (r["version"], json.loads(r["body"]))
    out = {}
    for map_id, (_, body) in latest.items():
        elements = [Element(e["id"], e["kind"], e) for e in body["elements"]]
        connectors = [Connector(c["id"], c["from"], c["to"]) for c in body["connectors"]]
        out[map_id] = Map(map_id, elements, connectors)
    return out


def read(con: Any) -> Facts:
    """Every fact table of a DuckDB connection, row by row."""
    facts = Facts(maps=_latest_maps(con))
    facts.moves = sorted(
        (
            Move(
                r["seq"],
                r["contact_id"],
                r["map_id"],
                r["from_element"],
                r["to_element"],
                r["connector_id"],
                r["kind"],
                r["occurred_at"],
                r["entry_id"],
            )
            for r in _rows(con, "transitions")
        ),
        key=lambda m: m.seq,
    )
    facts.achievements = sorted(
        (
            Achievement(
                r["seq"],
                r["contact_id"],
                r["map_id"],
                r["goal_id"],
                r["from_element"],
                r["occurred_at"],
                r["entry_id"],
            )
            for r in _rows(con, "achievements")
        ),
        key=lambda a: a.seq,
    )
    facts.emails = [
        EmailEvent(r["event"], r["map_id"], r["element_id"], r["contact_id"], r["occurred_at"])
        for r in _rows(con, "email_events")
    ]
    facts.deliveries = [
        Delivery(r["delivery_id"], r["map_id"], r["element_id"], r["contact_id"], r["created_at"])
        for r in _rows(con, "deliveries")
    ]
    facts.attempts = sorted(
        (
            Attempt(
                r["delivery_id"],
                r["attempt"],
                r["status"],
                r["outcome"],
                r["error"],
                r["occurred_at"],
            )
            for r in _rows(con, "delivery_attempts")
        ),
        key=lambda a: (a.delivery, a.number),
    )
    facts.purchases = [
        Purchase(r["contact_id"], r["occurred_at"], Decimal(r["amount"]))
        for r in _rows(con, "purchases")
    ]
    facts.pages = [
        PageVisit(
            r["visitor_id"],
            r["contact_id"],
            r["url"],
            {f: r[f"utm_{f}"] for f in UTM},
            r["occurred_at"],
        )
        for r in _rows(con, "page_visits")
    ]
    facts.contacts = {
        r["contact_id"]: Contact(
            r["contact_id"],
            r["created_at"],
            {f: r[f"first_utm_{f}"] for f in UTM},
            {f: r[f"last_utm_{f}"] for f in UTM},
        )
        for r in _rows(con, "contacts")
    }
    facts.costs = [
        Cost(r["utm_field"], r["utm_value"], r["period_start"], r["period_end"], r["amount"])
        for r in _rows(con, "marketing_costs")
    ]
    return facts
