"""The FastAPI application over a running journeymap installation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from journeymap import __version__
from journeymap.api import errors
from journeymap.api.deps import utf8_url
from journeymap.api.errors import SafeJSONResponse, ServerErrors, documented
from journeymap.api.limits import BodyLimit
from journeymap.api.live import Live
from journeymap.api.routes import (
    contacts,
    costs,
    dead_letters,
    events,
    health,
    maps,
    reports,
    tracking,
)
from journeymap.api.schemas.events import EVENT_KINDS
from journeymap.api.settings import Settings
from journeymap.library import Journeymap
from journeymap.web import routes as web

ROUTERS = (
    health.router,
    maps.router,
    contacts.router,
    events.router,
    dead_letters.router,
    reports.router,
    costs.router,
    tracking.router,
)


def create_app(jm: Journeymap, settings: Settings | None = None) -> FastAPI:
    """The API over `jm`; while it runs, a scheduler releases waits and the outbox delivers."""
    settings = settings or Settings()
    live = Live(jm, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        live.start()
        try:
            yield
        finally:
            live.stop()

    app = FastAPI(
        title="journeymap",
        version=__version__,
        description="Maps, contacts, events, reports and email tracking of a journeymap store.",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        default_response_class=SafeJSONResponse,
        dependencies=[Depends(utf8_url)],
        responses=documented(401, 403, 404, 413, 422),  # every operation may answer these
    )
    app.state.live = live
    errors.install(app, EVENT_KINDS)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ServerErrors)  # outermost: whatever fails below is answered as JSON
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(web.router)  # the Performance Mode page at /
    return app
