"""Event intake: one event or a batch, committed (with concurrent requests) before the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from journeymap.api.deps import WRITE, LiveDep
from journeymap.api.errors import InvalidRequest, documented
from journeymap.api.schemas.events import Accepted, EventBatch, EventIn

router = APIRouter(
    prefix="/api/events",
    tags=["events"],
    dependencies=[WRITE],
    responses=documented(401, 403, 413, 422),
)


@router.post("")
def post_event(event: Annotated[EventIn, Body()], live: LiveDep) -> Accepted:
    """Apply one event."""
    applied, duplicates = live.track([event.to_event(live.jm.clock.now())])
    return Accepted(accepted=applied, duplicates=duplicates)


@router.post("/batch")
def post_batch(batch: EventBatch, live: LiveDep) -> Accepted:
    """Apply events in order, all or none; a bad event rejects the batch (422) naming it."""
    most = live.settings.max_batch_events
    if len(batch.events) > most:
        raise InvalidRequest("events", f"a batch holds at most {most} events")
    now = live.jm.clock.now()
    applied, duplicates = live.track([e.to_event(now) for e in batch.events])
    return Accepted(accepted=applied, duplicates=duplicates)
