"""Email tracking: the open pixel, click redirects and unsubscribe, reached without a token.

Every URL is signed; a link that is unsigned, tampered with, or names another contact gets 404
and records nothing. A click redirects only to a link that was in that very message.
"""

from __future__ import annotations

import base64
import html
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from journeymap.api.deps import LiveDep
from journeymap.api.errors import documented
from journeymap.api.live import Live
from journeymap.engine import Event
from journeymap.errors import NotFound

router = APIRouter(prefix="/t", tags=["tracking"], responses=documented(404, 413, 422))

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store"}

MessageQ = Annotated[str, Query(alias="m", max_length=200, description="Message id.")]
ContactQ = Annotated[str, Query(alias="c", max_length=200, description="Contact id.")]
SignatureQ = Annotated[str | None, Query(alias="s", max_length=200, description="Signature.")]


def _message(live: Live, signature: str | None, action: str, m: str, c: str, *extra: str) -> Any:
    """The outbox row the signed link belongs to; 404 for anything else."""
    if not live.signer.verify(signature, action, m, c, *extra):
        raise NotFound("no such tracking link")
    rows = live.jm.store.query("email_message", {"message_id": m})
    if not rows or rows[0]["contact_id"] != c:
        raise NotFound("no such tracking link")
    return rows[0]


def _record(live: Live, row: dict[str, Any], kind: str, url: str | None = None) -> None:
    """Log the open or click for the applier (answered once it is on disk)."""
    event = Event(
        kind,
        row["contact_id"],
        live.jm.clock.now(),
        map_id=row["map_id"],
        element_id=row["element_id"],
        url=url,
    )
    live.track([event])


@router.get(
    "/open",
    response_class=Response,
    responses={200: {"content": {"image/gif": {}}, "description": "A 1x1 transparent GIF."}},
)
def open_pixel(live: LiveDep, m: MessageQ, c: ContactQ, s: SignatureQ = None) -> Response:
    """Record that the message was opened."""
    row = _message(live, s, "open", m, c)
    _record(live, row, "email_opened")
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get("/click", response_class=RedirectResponse, status_code=302)
def click(
    live: LiveDep,
    m: MessageQ,
    c: ContactQ,
    link: Annotated[int, Query(alias="l", ge=0, le=10_000, description="Link index.")],
    s: SignatureQ = None,
) -> RedirectResponse:
    """Record the click and redirect to the message's link."""
    row = _message(live, s, "click", m, c, str(link))
    links: list[str] = json.loads(row["links"])
    if link >= len(links):
        raise NotFound("no such tracking link")
    _record(live, row, "email_clicked", links[link])
    return RedirectResponse(links[link], status_code=302, headers=NO_STORE)


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(
    request: Request, live: LiveDep, m: MessageQ, c: ContactQ, s: SignatureQ = None
) -> HTMLResponse:
    """Ask the reader to confirm; nothing is recorded until they do."""
    _message(live, s, "unsubscribe", m, c)
    action = html.escape(str(request.url), quote=True)
    return HTMLResponse(
        _page(
            "Unsubscribe",
            "Stop receiving these emails?"
            f'<form method="post" action="{action}"><button type="submit">Unsubscribe</button>'
            "</form>",
        ),
        headers=NO_STORE,
    )


@router.post("/unsubscribe", response_class=HTMLResponse)
def unsubscribe(live: LiveDep, m: MessageQ, c: ContactQ, s: SignatureQ = None) -> HTMLResponse:
    """Unsubscribe the contact: no further email goes to it (also the RFC 8058 one-click POST)."""
    row = _message(live, s, "unsubscribe", m, c)

    contact = live.jm.store.query("contact", {"contact_id": c})
    fields = json.loads(contact[0]["fields"] or "{}") if contact else {}
    if fields.get("email_status") != "unsubscribed":
        event = Event(
            "email_unsubscribed",
            c,
            live.jm.clock.now(),
            map_id=row["map_id"],
            element_id=row["element_id"],
        )
        live.track([event], wait=True)  # applied before the page says so: no further mail
    return HTMLResponse(
        _page("Unsubscribed", "You are unsubscribed and will get no more of these emails."),
        headers=NO_STORE,
    )


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    )
