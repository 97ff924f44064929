"""Dead letters: accepted events the engine refused when applying them, with the reason."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from journeymap.api.deps import READ, LiveDep
from journeymap.api.errors import documented

router = APIRouter(
    prefix="/api/dead-letters",
    tags=["events"],
    dependencies=[READ],
    responses=documented(401, 403, 422),
)


class DeadLetter(BaseModel):
    """One refused event: where it was in the intake log, the event as accepted, and why."""

    position: int
    index: int
    kind: str
    contact_id: str | None
    event: dict[str, Any]
    reason: str
    occurred_at: datetime


class DeadLetters(BaseModel):
    total: int
    dead_letters: list[DeadLetter]


@router.get("")
def list_dead_letters(
    live: LiveDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1 << 40)] = 0,
) -> DeadLetters:
    """The dead letters, newest first."""
    store = live.jm.store
    rows = store.query("intake_dead_letters", {"limit": limit, "offset": offset})
    return DeadLetters(
        total=int(store.scalar("intake_dead_letter_count") or 0),
        dead_letters=[
            DeadLetter(
                position=r["pos"],
                index=r["event_index"],
                kind=r["kind"],
                contact_id=r["contact_id"],
                event=json.loads(r["event"])[0],
                reason=r["reason"],
                occurred_at=r["occurred_at"],
            )
            for r in rows
        ],
    )
