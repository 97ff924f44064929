"""What operators see and do: deliveries listed with their attempts; a failed one retried."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from journeymap.channels.outcomes import STATUSES
from journeymap.clock import Clock
from journeymap.errors import JourneymapError, NotFound
from journeymap.store.facts import FactBatch
from journeymap.store.protocol import Store

State = Literal["delivered", "pending", "failed"]
Channel = Literal["email", "webhook"]
REOPENED = "reopened"
MAX_LIMIT = 1000


class DeliveryNotFailed(JourneymapError):
    """Only a delivery that failed can be retried by hand."""

    code = "delivery_not_failed"


class AttemptRecord(BaseModel):
    """One attempt (or a retry by hand, status `reopened`)."""

    model_config = ConfigDict(extra="forbid")

    attempt: int
    status: str
    outcome: State
    error: str | None
    occurred_at: datetime
    next_attempt_at: datetime | None


class DeliveryRecord(BaseModel):
    """A delivery an action queued, where it stands, and its attempts."""

    model_config = ConfigDict(extra="forbid")

    delivery_id: str
    channel: Channel
    action: str
    """The action that queued it: send_email, notify or webhook."""
    map_id: str
    element_id: str
    contact_id: str
    target: str | None
    """Where it goes: the email address(es) or the URL."""
    created_at: datetime
    state: State
    status: str
    """The latest attempt's status (`queued` before the first)."""
    error: str | None
    attempts: int
    """Attempts made (a retry by hand is none)."""
    next_attempt_at: datetime | None
    attempt_log: list[AttemptRecord]


class DeliveryPage(BaseModel):
    """One page of deliveries, newest first; `total` counts the whole list."""

    model_config = ConfigDict(extra="forbid")

    total: int
    limit: int
    offset: int
    deliveries: list[DeliveryRecord]


def list_deliveries(
    store: Store,
    *,
    channel: Channel | None = None,
    state: State | None = None,
    map_id: str | None = None,
    element_id: str | None = None,
    contact_id: str | None = None,
    delivery_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> DeliveryPage:
    """Deliveries newest first, narrowed by each filter given, with their attempts."""
    if not 0 < limit <= MAX_LIMIT:
        raise JourneymapError(f"limit: {limit} is not between 1 and {MAX_LIMIT}", code="bad_limit")
    if offset < 0:
        raise JourneymapError(f"offset: {offset} is negative", code="bad_offset")
    where = {
        "channel": channel,
        "state": state,
        "map_id": map_id,
        "element_id": element_id,
        "contact_id": contact_id,
        "delivery_id": delivery_id,
    }
    rows = store.query("deliveries_list", {**where, "limit": limit, "offset": offset})
    if rows:
        total = int(rows[0]["total"])
    else:  # past the end, or nothing: the length still counts
        first = store.query("deliveries_list", {**where, "limit": 1, "offset": 0})
        total = int(first[0]["total"]) if first else 0
    log: dict[str, list[AttemptRecord]] = {r["delivery_id"]: [] for r in rows}
    if log:
        for a in store.query("deliveries_attempts", {"ids": list(log)}):
            log[a.pop("delivery_id")].append(AttemptRecord(**a))
    fields = set(DeliveryRecord.model_fields) - {"attempt_log"}
    records = [
        DeliveryRecord(**{k: r[k] for k in fields}, attempt_log=log[r["delivery_id"]]) for r in rows
    ]
    return DeliveryPage(total=total, limit=limit, offset=offset, deliveries=records)


def retry(store: Store, clock: Clock, delivery_id: str) -> DeliveryRecord:
    """Put a failed delivery back in its channel's queue, due now, with a fresh backoff and
    horizon; recorded as an attempt row of status `reopened`."""
    page = list_deliveries(store, delivery_id=delivery_id, limit=1)
    if not page.deliveries:
        raise NotFound(f"delivery_id: no delivery {delivery_id!r}", code="unknown_delivery")
    found = page.deliveries[0]
    if found.state != "failed":
        raise DeliveryNotFailed(
            f"delivery_id: delivery {delivery_id!r} is {found.state}; only a failed delivery "
            f"can be retried"
        )
    now = clock.now()
    number = max((a.attempt for a in found.attempt_log), default=0) + 1
    batch = FactBatch()
    batch.add(
        "delivery_attempts",
        (
            found.delivery_id,
            found.channel,
            found.map_id,
            found.element_id,
            found.contact_id,
            number,
            REOPENED,
            STATUSES[REOPENED],
            "retried by hand",
            now,
            now,
        ),
    )
    store.append(batch)
    return list_deliveries(store, delivery_id=delivery_id, limit=1).deliveries[0]
