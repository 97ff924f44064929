"""The engine listener that turns a send-email action into a rendered, trackable outbox row."""

from __future__ import annotations

import json
from collections.abc import Callable

from journeymap.channels.email.courier import sent_event
from journeymap.channels.email.instrument import instrument
from journeymap.channels.email.render import render
from journeymap.channels.email.signing import TrackingUrls
from journeymap.channels.outbox import Channel
from journeymap.engine.intake import is_unsubscribed
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.model.addresses import ADDRESS_FIELD
from journeymap.model.elements import SendEmail
from journeymap.store.facts import FactBatch

MESSAGE = "message"
"""The outbox kind of a message to the contact (tracked, with an unsubscribe link)."""


def check_encodable(*texts: str) -> None:
    """Fail here, on its map, for a text no store or mail server can hold."""
    for text in texts:
        text.encode("utf-8")


class EmailChannel(Channel):
    """Queues one message per send-email action, in the same batch as the action's facts; the
    `sent` email event is recorded when the SMTP server accepts it (the simulator's at once)."""

    channel = "email"

    def __init__(self, urls: TrackingUrls, new_id: Callable[[], str] | None = None) -> None:
        super().__init__(new_id)
        self.urls = urls

    def __call__(self, effect: Effect, profile: Profile, batch: FactBatch) -> None:
        spec = effect.spec
        if not isinstance(spec, SendEmail) or is_unsubscribed(profile):
            return  # nothing goes to a contact who unsubscribed
        contact_id = profile.contact_id
        message_id = self.new_id()
        unsubscribe = self.urls.unsubscribe(message_id, contact_id)
        rendered = render(spec.message, profile, {"unsubscribe_url": unsubscribe})
        body, links = rendered.html, []
        if body:
            done = instrument(body, self.urls, message_id, contact_id)
            body, links = done.html, done.links
        check_encodable(rendered.subject, body, rendered.text)
        self.queue_as(message_id, effect, batch)
        batch.add(
            "email_outbox",
            (
                message_id,
                effect.map_id,
                effect.element_id,
                contact_id,
                profile.fields.get(ADDRESS_FIELD) or None,
                rendered.subject,
                body,
                rendered.text,
                json.dumps(links),
                unsubscribe,
                effect.at,
                MESSAGE,
            ),
        )
        where = (effect.map_id, effect.element_id, contact_id)
        self.settle_if_simulated(message_id, effect, batch, sent_event(where, effect.at))
