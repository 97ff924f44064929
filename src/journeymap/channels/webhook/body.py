"""The JSON body a webhook posts (docs/maps.md, "Webhooks"): built once, sent the same each try."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from journeymap.engine.events import Event, Tick
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.store.facts import UTM_FIELDS

TYPE = "action.webhook"

_EVENT_DETAILS = (
    "tag",
    "field",
    "value",
    "form",
    "url",
    "visitor_id",
    "product",
    "map_id",
    "element_id",
)


def timestamp(at: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the microsecond when there is one."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def event_json(cause: Event | Tick | None) -> dict[str, Any] | None:
    """The event that moved the contact to the webhook: its kind, time and details."""
    if cause is None:
        return None
    if isinstance(cause, Tick):
        return {"kind": "wait_released", "occurred_at": timestamp(cause.now)}
    found: dict[str, Any] = {"kind": cause.kind, "occurred_at": timestamp(cause.at)}
    if cause.event_id is not None:
        found["event_id"] = cause.event_id
    for name in _EVENT_DETAILS:
        value = getattr(cause, name)
        if value is not None:
            found[name] = value
    if cause.amount is not None:
        found["amount"] = str(cause.amount)
    for name in ("utm", "fields"):
        if getattr(cause, name):
            found[name] = dict(getattr(cause, name))
    if cause.tags:
        found["tags"] = list(cause.tags)
    return found


def contact_json(profile: Profile) -> dict[str, Any]:
    """The contact as the action saw it: fields, tags and both touches' UTM."""
    return {
        "id": profile.contact_id,
        "created_at": timestamp(profile.created_at),
        "fields": dict(sorted(profile.fields.items())),
        "tags": sorted(profile.tags),
        "first_touch": {f: profile.utm_first[f] for f in UTM_FIELDS if profile.utm_first.get(f)},
        "last_touch": {f: profile.utm_last[f] for f in UTM_FIELDS if profile.utm_last.get(f)},
    }


def webhook_body(delivery_id: str, effect: Effect, profile: Profile) -> str:
    """The body of one webhook delivery, as compact JSON."""
    doc = {
        "id": delivery_id,
        "type": TYPE,
        "created_at": timestamp(effect.at),
        "map": {"id": effect.map_id},
        "element": {"id": effect.element_id},
        "contact": contact_json(profile),
        "event": event_json(effect.cause),
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
