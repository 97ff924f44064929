"""How an accepted event is written in the intake log and read back for the applier."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from journeymap.engine.events import Event

_PLAIN = tuple(
    f.name for f in fields(Event) if f.name not in ("at", "amount", "utm", "tags", "fields")
)


def encode(events: list[Event]) -> str:
    """One log entry's body: the events of one request, in order, as compact JSON."""
    return json.dumps([_to_dict(e) for e in events], separators=(",", ":"), ensure_ascii=False)


def decode(body: str) -> list[Event]:
    """The events of one log entry, exactly as they were accepted."""
    return [_from_dict(d) for d in json.loads(body)]


def _to_dict(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"at": event.at.isoformat(), "contact_id": event.contact_id}
    for name in _PLAIN:
        value = getattr(event, name)
        if value is not None:
            out[name] = value
    if event.amount is not None:
        out["amount"] = str(event.amount)
    if event.utm:
        out["utm"] = event.utm
    if event.tags:
        out["tags"] = list(event.tags)
    if event.fields:
        out["fields"] = event.fields
    return out


def _from_dict(data: dict[str, Any]) -> Event:
    extra: dict[str, Any] = {name: data[name] for name in _PLAIN if name in data}
    return Event(
        at=datetime.fromisoformat(data["at"]),
        amount=Decimal(data["amount"]) if "amount" in data else None,
        utm=data.get("utm", {}),
        tags=tuple(data.get("tags", ())),
        fields=data.get("fields", {}),
        **extra,
    )
