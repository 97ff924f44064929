"""The browsable API docs at /api/docs: Swagger UI served from an installed package, no CDN."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from journeymap.errors import NotFound

ASSETS = resources.files("fastapi_offline").joinpath("static")
"""Swagger UI's script, style and icon, as the fastapi-offline package ships them."""
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
PREFIX = "/api/docs"

router = APIRouter(include_in_schema=False)


@router.get(PREFIX, response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """Swagger UI over /api/openapi.json; every file it loads comes from this server."""
    return get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="journeymap API",
        swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
        swagger_css_url=f"{PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{PREFIX}/favicon.png",
    )


@router.get(PREFIX + "/{name}")
def asset(name: Annotated[str, Path(pattern=r"^[a-z-]+\.(js|css|png)$")]) -> Response:
    """One of Swagger UI's files."""
    item = ASSETS.joinpath(name)
    if not item.is_file():
        raise NotFound(f"no docs file {name!r}")
    return Response(
        item.read_bytes(),
        media_type=TYPES[name[name.rindex(".") :]],
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
