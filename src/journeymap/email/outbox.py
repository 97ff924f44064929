"""The engine listener that turns a send-email action into a rendered, trackable outbox row."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from journeymap.email.instrument import instrument
from journeymap.email.render import render
from journeymap.email.signing import TrackingUrls
from journeymap.engine.intake import is_unsubscribed
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.model.addresses import ADDRESS_FIELD
from journeymap.model.elements import SendEmail
from journeymap.store.facts import FactBatch

SIMULATED = "simulated"
"""The delivery status of a message the simulator's readers received: never sent over SMTP."""


class EmailChannel:
    """Queues one outbox row per send-email action, in the same batch as the action's facts."""

    def __init__(self, urls: TrackingUrls, new_id: Callable[[], str] | None = None) -> None:
        self.urls = urls
        self.new_id = new_id or (lambda: uuid.uuid4().hex)
        self.simulated = False

    @contextmanager
    def simulating(self) -> Iterator[None]:
        """Within the block, messages go to the simulated inbox: settled as `simulated` at once."""
        before, self.simulated = self.simulated, True
        try:
            yield
        finally:
            self.simulated = before

    def __call__(self, effect: Effect, profile: Profile, batch: FactBatch) -> None:
        spec = effect.spec
        if not isinstance(spec, SendEmail) or is_unsubscribed(profile):
            return  # the engine records no `sent` for an unsubscribed contact either
        message_id = self.new_id()
        contact_id = profile.contact_id
        unsubscribe = self.urls.unsubscribe(message_id, contact_id)
        rendered = render(spec.message, profile, {"unsubscribe_url": unsubscribe})
        body, links = rendered.html, []
        if body:
            done = instrument(body, self.urls, message_id, contact_id)
            body, links = done.html, done.links
        for text in (rendered.subject, body, rendered.text):
            text.encode("utf-8")  # a text no store or mail server can hold fails here, on its map
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
            ),
        )
        if self.simulated:
            batch.add("email_deliveries", (message_id, 1, SIMULATED, None, effect.at))
