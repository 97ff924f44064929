"""Contacts: create or update one (UTM, tags, fields), and read one back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from journeymap.api.deps import READ, WRITE, LiveDep
from journeymap.api.errors import Conflict, documented
from journeymap.api.schemas.contacts import ContactIn, ContactOut
from journeymap.errors import NotFound

router = APIRouter(
    prefix="/api/contacts", tags=["contacts"], responses=documented(401, 403, 404, 409, 413, 422)
)

ContactId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f/]+$")]


@router.put(
    "/{contact_id}",
    dependencies=[WRITE],
    responses={201: {"model": ContactOut, "description": "The contact was created."}},
)
def upsert_contact(
    contact_id: ContactId, body: ContactIn, live: LiveDep, response: Response
) -> ContactOut:
    """Create the contact (201) or update it (200); UTM here is this touch's UTM."""
    existed = live.upsert_contact(body.to_event(contact_id, live.jm.clock.now()))
    rows = live.jm.store.query("contact", {"contact_id": contact_id})
    if not rows:  # the event id was seen before, in a request for another contact
        raise Conflict(
            f"event_id {body.event_id!r} was used before, not for contact {contact_id!r}; "
            "nothing was written"
        )
    response.status_code = 200 if existed else 201
    return ContactOut.from_row(rows[0])


@router.get("/{contact_id}", dependencies=[READ])
def get_contact(contact_id: ContactId, live: LiveDep) -> ContactOut:
    """One contact as stored."""
    rows = live.jm.store.query("contact", {"contact_id": contact_id})
    if not rows:
        raise NotFound(f"no contact {contact_id!r}")
    return ContactOut.from_row(rows[0])
