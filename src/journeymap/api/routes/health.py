"""Health: is the server up, and which store is behind it."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from journeymap import __version__
from journeymap.api.deps import LiveDep
from journeymap.api.errors import documented

router = APIRouter(prefix="/api", tags=["health"], responses=documented(413))


class Health(BaseModel):
    status: str
    version: str
    store: str


@router.get("/health")
def health(live: LiveDep) -> Health:
    """Answers without a token."""
    return Health(status="ok", version=__version__, store=live.jm.store.engine)
