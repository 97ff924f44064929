"""Event intake: one event or a batch, durably logged before the answer, applied in order."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Body, Query

from journeymap.api.deps import WRITE, LiveDep
from journeymap.api.errors import InvalidRequest, documented
from journeymap.api.schemas.events import Accepted, EventBatch, EventIn
from journeymap.engine import Event

router = APIRouter(
    prefix="/api/events",
    tags=["events"],
    dependencies=[WRITE],
    responses=documented(401, 403, 413, 422, 503),
)


class WaitFor(StrEnum):
    """When the answer comes: once the events are on disk, or once they are applied too."""

    logged = "logged"
    applied = "applied"


WaitQ = Annotated[
    WaitFor,
    Query(
        description="`logged` (default): answer once the events are durably in the intake "
        "log; `applied`: once reports show them too (read-your-writes)."
    ),
]


@router.post("")
async def post_event(
    event: Annotated[EventIn, Body()], live: LiveDep, wait: WaitQ = WaitFor.logged
) -> Accepted:
    """Accept one event."""
    return await _accept(live, [event.to_event(live.jm.clock.now())], wait)


@router.post("/batch")
async def post_batch(batch: EventBatch, live: LiveDep, wait: WaitQ = WaitFor.logged) -> Accepted:
    """Accept events in order, all or none; a bad event rejects the batch (422) naming it."""
    most = live.settings.max_batch_events
    if len(batch.events) > most:
        raise InvalidRequest("events", f"a batch holds at most {most} events")
    now = live.jm.clock.now()
    return await _accept(live, [e.to_event(now) for e in batch.events], wait)


async def _accept(live: LiveDep, events: list[Event], wait: WaitFor) -> Accepted:
    # the request never blocks the event loop: it awaits the log's group commit (and the applier)
    receipt, dead = await live.track_async(events, wait=wait is WaitFor.applied)
    return Accepted(
        accepted=receipt.accepted,
        duplicates=receipt.duplicates,
        applied=dead is not None,
        dead_letters=dead or [],
    )
