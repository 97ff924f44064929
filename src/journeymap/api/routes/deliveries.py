"""Deliveries: what actions queued (emails, notifications, webhooks), with their attempts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from journeymap.api.deps import READ, WRITE, LiveDep
from journeymap.api.errors import documented
from journeymap.channels.ledger import MAX_LIMIT, Channel, DeliveryPage, DeliveryRecord, State

router = APIRouter(
    prefix="/api/deliveries", tags=["deliveries"], responses=documented(401, 403, 422)
)

DeliveryId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f/]+$")]


@router.get("", dependencies=[READ])
def list_deliveries(
    live: LiveDep,
    channel: Channel | None = None,
    state: State | None = None,
    map_id: Annotated[str | None, Query(max_length=200)] = None,
    element_id: Annotated[str | None, Query(max_length=200)] = None,
    contact_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=1 << 40)] = 0,
) -> DeliveryPage:
    """Deliveries newest first, each with where it stands and every attempt."""
    return live.jm.deliveries(
        channel=channel,
        state=state,
        map_id=map_id,
        element_id=element_id,
        contact_id=contact_id,
        limit=limit,
        offset=offset,
    )


@router.post("/{delivery_id}/retry", dependencies=[WRITE], responses=documented(404, 409))
def retry_delivery(delivery_id: DeliveryId, live: LiveDep) -> DeliveryRecord:
    """Queue a failed delivery again, due now; 409 when it has not failed."""
    record = live.jm.retry_delivery(delivery_id)
    live.outbox.wake()
    return record
