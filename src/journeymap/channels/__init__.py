"""Channels: what actions deliver beyond the map (email, notifications, webhooks).

Each channel has an outbox its engine listener writes in the same transaction as the action's
facts, and a courier that a shared delivery loop (`DeliveryWorker`) runs beside the engine:
due deliveries attempted, every attempt recorded, failures retried up to a horizon.
"""

from journeymap.channels.delivery import Courier, DeliveryWorker, DeliveryWorkers
from journeymap.channels.outbox import Channel
from journeymap.channels.outcomes import STATUSES, Attempt
from journeymap.channels.retry import RetryPolicy, backoff_delay

__all__ = [
    "STATUSES",
    "Attempt",
    "Channel",
    "Courier",
    "DeliveryWorker",
    "DeliveryWorkers",
    "RetryPolicy",
    "backoff_delay",
]
