"""The FastAPI application over a running journeymap installation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

from journeymap import __version__
from journeymap.api import docs, errors
from journeymap.api.deps import utf8_url
from journeymap.api.errors import SafeJSONResponse, ServerErrors, documented
from journeymap.api.intake import EventIntake, LiveSink
from journeymap.api.limits import BodyLimit, BodyRules
from journeymap.api.live import Live
from journeymap.api.routes import (
    contacts,
    costs,
    dead_letters,
    deliveries,
    drafts,
    events,
    health,
    map_errors,
    maps,
    reports,
    tokens,
    tracking,
)
from journeymap.api.schemas.events import EVENT_KINDS
from journeymap.api.schemas.maps import map_components
from journeymap.api.settings import Settings
from journeymap.library import Journeymap
from journeymap.web import routes as web
from journeymap.web.session import Sessions, session_key

ROUTERS = (
    health.router,
    maps.router,
    drafts.router,
    contacts.router,
    events.router,
    dead_letters.router,
    map_errors.router,
    deliveries.router,
    reports.router,
    costs.router,
    tracking.router,
    tokens.router,
)


class JourneymapApi(FastAPI):
    """FastAPI whose OpenAPI schema also holds the map file's schema (maps are read by hand)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            schema = super().openapi()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, part in map_components().items():
                if components.setdefault(name, part) != part:
                    raise AssertionError(f"two OpenAPI components are named {name!r}")
        return super().openapi()


def create_app(
    jm: Journeymap, settings: Settings | None = None, *, shared_log: bool = False
) -> FastAPI:
    """The API over `jm`; while it runs, a scheduler releases waits and the outbox delivers.

    `shared_log`: a front process takes events into the intake log too (`journeymap serve`).
    """
    settings = settings or Settings()
    live = Live(jm, settings, shared_log=shared_log)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        live.start()
        try:
            yield
        finally:
            live.stop()

    app = JourneymapApi(
        title="journeymap",
        version=__version__,
        description="Maps, contacts, events, reports and email tracking of a journeymap store.",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,  # api/docs.py serves Swagger UI from an installed package
        redoc_url=None,
        default_response_class=SafeJSONResponse,
        dependencies=[Depends(utf8_url)],
        responses=documented(401, 403, 404, 413, 422),  # every operation may answer these
    )
    app.state.live = live
    secret = settings.session_secret
    key = session_key(jm.store.home, secret.get_secret_value() if secret else None)
    app.state.sessions = Sessions(key, live.tokens, jm.clock)
    errors.install(app, EVENT_KINDS)
    rules = BodyRules(
        settings.max_body_bytes, settings.body_timeout_seconds, settings.max_anonymous_bodies
    )
    app.add_middleware(BodyLimit, rules=rules)
    # the common case, before the rest
    app.add_middleware(EventIntake, sink=LiveSink(live), rules=rules)
    app.add_middleware(ServerErrors)  # outermost: whatever fails below is answered as JSON
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(docs.router)
    app.include_router(web.router)  # the Performance Mode page at /
    return app
