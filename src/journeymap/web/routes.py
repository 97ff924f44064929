"""The web page: sign-in, the page and its static files, and the layout and UTM values it draws."""

from __future__ import annotations

import html
from importlib import resources
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from journeymap.api.deps import READ, LiveDep, SessionsDep, token_scope
from journeymap.api.errors import documented
from journeymap.api.params import DayFrom, DayTo, Tz, Utm
from journeymap.api.routes.maps import MapId
from journeymap.api.tokens import Scope
from journeymap.errors import NotFound
from journeymap.reports import make_params
from journeymap.reports.rules import COMMON_RULES
from journeymap.store.facts import UTM_FIELDS
from journeymap.web import builder, drill, session
from journeymap.web.layout import Layout, cached_layout

router = APIRouter(tags=["web"])
router.include_router(drill.router)
router.include_router(builder.router)

STATIC = resources.files("journeymap.web").joinpath("static")
VENDOR = {"elk.js": ("elkjs", "lib/elk.bundled.js")}
"""Browser libraries the page loads, from the npm packages `make` installs beside this module."""
NODE_MODULES = resources.files("journeymap.web").joinpath("node_modules")
TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
}
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
MAX_FORM_BYTES = 4096


def _static(name: str) -> str:
    return STATIC.joinpath(name).read_text(encoding="utf-8")


def _signed_in(request: Request, sessions: session.Sessions) -> bool:
    return sessions.scope(request.cookies.get(session.COOKIE)) is not None


def _signin_page(message: str = "", status: int = 200) -> HTMLResponse:
    note = f'<p class="form-error" role="alert">{html.escape(message)}</p>' if message else ""
    return HTMLResponse(
        _static("signin.html").replace("<!--message-->", note), status, headers=PAGE_HEADERS
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request, sessions: SessionsDep) -> Response:
    """Performance Mode; without a session, the sign-in page."""
    if not _signed_in(request, sessions):
        return RedirectResponse("/signin", status_code=303)
    return HTMLResponse(_static("index.html"), headers=PAGE_HEADERS)


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_page(request: Request, sessions: SessionsDep) -> Response:
    """The sign-in form."""
    if _signed_in(request, sessions):
        return RedirectResponse("/", status_code=303)
    return _signin_page()


@router.post("/signin", response_class=HTMLResponse, include_in_schema=False)
async def signin(request: Request, live: LiveDep, sessions: SessionsDep) -> Response:
    """Check the token from the form; on success set the session cookie and open the page."""
    if not session.same_origin(
        "POST",
        request.headers.get("origin"),
        request.headers.get("referer"),
        str(request.base_url),
    ):
        return _signin_page("Sign in from this server's own sign-in page.", 403)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _signin_page("That is not a journeymap token.", 400)
    token = (parse_qs(body.decode("utf-8", "replace")).get("token") or [""])[0].strip()
    if not token:
        return _signin_page("Paste a token to sign in.", 400)
    if live.tokens.scope_of(token) is None:
        return _signin_page(
            "That token is not known here, or was revoked, or has expired. "
            "Make one with `journeymap token create`.",
            401,
        )
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        session.COOKIE,
        sessions.cookie_for(token),
        max_age=int(session.MAX_AGE.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/signout", include_in_schema=False)
def signout() -> Response:
    """Forget the session cookie."""
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(session.COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: Annotated[str, Path(pattern=r"^[a-z0-9-]+\.(css|js|svg)$")]) -> Response:
    """The page's scripts and styles (served without a session; they hold no data)."""
    item = STATIC.joinpath(name)
    if not item.is_file():
        raise NotFound(f"no static file {name!r}")
    suffix = name[name.rindex(".") :]
    return Response(
        item.read_bytes(),
        media_type=f"{TYPES[suffix]}; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/vendor/{name}", include_in_schema=False)
def vendor_file(name: str) -> Response:
    """A browser library from its npm package; a plain 503 naming the fix when it is missing."""
    if name not in VENDOR:
        raise NotFound(f"no library {name!r}")
    package, path = VENDOR[name]
    item = NODE_MODULES.joinpath(package).joinpath(path)
    if not item.is_file():
        return Response(
            f"// The map layout library ({package}) is not installed: run `make demo` (or "
            f"`npm ci --prefix src/journeymap/web`) in the journeymap checkout.\n"
            f'window.JOURNEYMAP_MISSING = "{package}";\n',
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
        )
    return Response(
        item.read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


class PageSettings(BaseModel):
    """What the page takes from the server's settings."""

    currency: str
    can_write: bool


@router.get("/api/page-settings", responses=documented(401))
def page_settings(live: LiveDep, scope: Annotated[Scope, Depends(token_scope)]) -> PageSettings:
    """The currency money is written in, and whether the session may edit maps."""
    return PageSettings(currency=live.settings.currency, can_write=scope is Scope.write)


@router.get(
    "/api/maps/{map_id}/layout", dependencies=[READ], responses=documented(401, 404, 413, 422)
)
def map_layout(
    map_id: MapId, live: LiveDep, version: Annotated[int | None, Query(ge=1)] = None
) -> Layout:
    """Each element's kind, readable name and stored position, and the connectors, for drawing."""
    m = live.jm.map(map_id, version)
    return cached_layout(m.model_dump_json(by_alias=True))


class UtmValue(BaseModel):
    value: str
    contacts: int


@router.get(
    "/api/maps/{map_id}/utm-values", dependencies=[READ], responses=documented(401, 404, 413, 422)
)
def utm_values(
    map_id: MapId,
    live: LiveDep,
    last_touch: Annotated[bool, Query(description="Last-touch values instead.")] = False,
    date_from: DayFrom = None,
    date_to: DayTo = None,
    tz: Tz = "UTC",
    utm_source: Utm = None,
    utm_medium: Utm = None,
    utm_campaign: Utm = None,
    utm_content: Utm = None,
    utm_term: Utm = None,
) -> dict[str, list[UtmValue]]:
    """Per UTM field, the values of the map's contacts within the other filters, most first."""
    m = live.jm.map(map_id)  # 404 for a map that does not exist
    given = (utm_source, utm_medium, utm_campaign, utm_content, utm_term)
    utm = {f: v for f, v in zip(UTM_FIELDS, given, strict=True) if v}
    params = make_params(map_id, date_range=(date_from, date_to), tz=tz, utm=utm)
    for rule in COMMON_RULES:
        rule.enforce(params, m)
    lo, hi = params.bounds()
    found: dict[str, list[UtmValue]] = {f: [] for f in UTM_FIELDS}
    bound = {f"utm_{f}": utm.get(f) for f in UTM_FIELDS}
    rows = live.jm.store.query(
        "web_utm_values",
        {"map_id": map_id, "last_touch": last_touch, "lo": lo, "hi": hi, **bound},
    )
    for r in rows:
        found[r["field"]].append(UtmValue(value=r["value"], contacts=int(r["contacts"])))
    return found
