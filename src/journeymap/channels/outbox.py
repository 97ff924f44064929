"""The outbox side of a channel: an engine listener that queues deliveries with the action."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from journeymap.channels.outcomes import STATUSES
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.store.facts import FactBatch


class Channel:
    """Queues one delivery per action it handles, in the batch that holds the action's facts, so
    the delivery is recorded exactly when the action is; while simulating, the delivery is
    settled at once as `simulated` and never sent."""

    channel: ClassVar[str]
    """The worker that delivers what this listener queues: 'email' or 'webhook'."""

    def __init__(self, new_id: Callable[[], str] | None = None) -> None:
        self.new_id = new_id or (lambda: uuid.uuid4().hex)
        self.simulated = False

    @contextmanager
    def simulating(self) -> Iterator[None]:
        """Within the block, deliveries go to the simulator: settled as `simulated` at once."""
        before, self.simulated = self.simulated, True
        try:
            yield
        finally:
            self.simulated = before

    def __call__(self, effect: Effect, profile: Profile, batch: FactBatch) -> None:
        """Queue the action's delivery, if it is one this channel makes."""

    def queue_as(self, delivery_id: str, effect: Effect, batch: FactBatch) -> None:
        """Record a new delivery of the action (before what it delivers)."""
        where = (effect.map_id, effect.element_id, effect.contact_id)
        batch.add("deliveries", (delivery_id, self.channel, *where, effect.at))

    def settle_if_simulated(
        self,
        delivery_id: str,
        effect: Effect,
        batch: FactBatch,
        facts: dict[str, list[tuple[Any, ...]]] | None = None,
    ) -> None:
        """While simulating: the delivery's one attempt, `simulated`, with the facts delivery
        records (an email's `sent` event)."""
        if not self.simulated:
            return
        where = (effect.map_id, effect.element_id, effect.contact_id)
        status = "simulated"
        row = (
            delivery_id,
            self.channel,
            *where,
            1,
            status,
            STATUSES[status],
            None,
            effect.at,
            None,
        )
        batch.add("delivery_attempts", row)
        for table, rows in (facts or {}).items():
            batch.extend(table, rows)
