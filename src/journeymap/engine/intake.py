"""What an event records beyond moves (purchases, page visits, email events) and how it changes
the contact's profile."""

from __future__ import annotations

from journeymap.engine.events import Event
from journeymap.engine.state import Profile
from journeymap.errors import EventRejected
from journeymap.model.addresses import ADDRESS_FIELD, address_problem
from journeymap.store.facts import UTM_FIELDS, FactBatch

_EMAIL_EVENTS = {
    "email_opened": "opened",
    "email_clicked": "clicked",
    "email_unsubscribed": "unsubscribed",
}


def check_addresses(event: Event) -> None:
    """Refuse an event that would give its contact an address no message can go to."""
    given: list[str] = []
    if event.kind == "field_updated" and event.field == ADDRESS_FIELD:
        given.append(event.value or "")
    if ADDRESS_FIELD in event.fields:
        given.append(event.fields[ADDRESS_FIELD])
    for address in given:
        problem = address_problem(address)
        if problem is not None:
            raise EventRejected(
                f"field {ADDRESS_FIELD!r}: {address!r} is not an email address: {problem}"
            )


def record_facts(event: Event, batch: FactBatch) -> None:
    """Rows this event adds to the record-only tables."""
    if event.kind == "purchase" and event.contact_id is not None and event.amount is not None:
        batch.add("purchases", (event.contact_id, event.at, event.amount, event.product))
    elif event.kind == "page_visited":
        visitor = event.visitor_id or event.contact_id or ""
        batch.add(
            "page_visits",
            (
                visitor,
                event.contact_id,
                event.url or "",
                *(event.utm.get(f) for f in UTM_FIELDS),
                event.at,
            ),
        )
    elif event.kind in _EMAIL_EVENTS and event.contact_id is not None:
        batch.add(
            "email_events",
            (_EMAIL_EVENTS[event.kind], event.map_id, event.element_id, event.contact_id, event.at),
        )


def new_profile(event: Event, contact_id: str) -> Profile:
    """A contact first seen in this event; its UTM is the first touch."""
    return Profile(contact_id, event.at, utm_first={k: v for k, v in event.utm.items() if v})


def update_profile(profile: Profile, event: Event) -> list[Event]:
    """Apply the event's changes to the profile; return the tag and field events they imply."""
    implied: list[Event] = []
    utm = {k: v for k, v in event.utm.items() if v}
    if utm:
        profile.utm_last = utm
        if not profile.utm_first:
            profile.utm_first = dict(utm)
    if event.kind == "tag_added" and event.tag is not None:
        profile.tags.add(event.tag)
    elif event.kind == "tag_removed" and event.tag is not None:
        profile.tags.discard(event.tag)
    elif event.kind == "field_updated" and event.field is not None:
        profile.fields[event.field] = event.value or ""
    elif event.kind == "email_unsubscribed":
        profile.fields["email_status"] = "unsubscribed"
    # computed after the event's own change, so a tag_added event listing its tag fires once
    added = set(event.tags) - profile.tags
    for tag in sorted(added):
        profile.tags.add(tag)
        implied.append(_derived(event, "tag_added", tag=tag))
    for name, value in sorted(event.fields.items()):
        if profile.fields.get(name) != value:
            profile.fields[name] = value
            implied.append(_derived(event, "field_updated", field=name, value=value))
    return implied


def _derived(event: Event, kind: str, **kw: str) -> Event:
    return Event(kind=kind, contact_id=event.contact_id, at=event.at, **kw)  # type: ignore[arg-type]


def is_unsubscribed(profile: Profile) -> bool:
    return profile.fields.get("email_status") == "unsubscribed"
