"""The baseline of the intake benchmark: a bare FastAPI app that parses the same event bodies
(journeymap's own event models) and answers, with no log, engine or store behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, FastAPI

from journeymap.api.schemas.events import EventBatch, EventIn

app = FastAPI()


@app.post("/api/events")
async def post_event(event: Annotated[EventIn, Body()]) -> dict[str, int]:
    return {"accepted": 1, "duplicates": 0}


@app.post("/api/events/batch")
async def post_batch(batch: EventBatch) -> dict[str, int]:
    return {"accepted": len(batch.events), "duplicates": 0}
