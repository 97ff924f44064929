"""The engine listener that queues a webhook action's signed POST, body built when it runs."""

from __future__ import annotations

from journeymap.channels.outbox import Channel
from journeymap.channels.webhook.body import webhook_body
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.model.elements import Webhook
from journeymap.store.facts import FactBatch


class WebhookChannel(Channel):
    """Queues one delivery per webhook action, in the same batch as the action's facts: the body
    holds the contact as it was when the action ran, and every attempt posts these same bytes."""

    channel = "webhook"

    def __call__(self, effect: Effect, profile: Profile, batch: FactBatch) -> None:
        spec = effect.spec
        if not isinstance(spec, Webhook):
            return
        delivery_id = self.new_id()
        body = webhook_body(delivery_id, effect, profile)
        body.encode("utf-8")  # a text no receiver can be sent fails here, on its map
        self.queue_as(delivery_id, effect, batch)
        batch.add("webhook_outbox", (delivery_id, spec.url, body))
        self.settle_if_simulated(delivery_id, effect, batch)
