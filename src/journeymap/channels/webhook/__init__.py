"""The webhook channel: signed JSON posts to the URLs maps name, only to addresses allowed."""

from journeymap.channels.webhook.address import AddressPolicy
from journeymap.channels.webhook.channel import WebhookChannel
from journeymap.channels.webhook.courier import WebhookConfig, WebhookCourier
from journeymap.channels.webhook.signature import WebhookKeys, sign, signature_header

__all__ = [
    "AddressPolicy",
    "WebhookChannel",
    "WebhookConfig",
    "WebhookCourier",
    "WebhookKeys",
    "sign",
    "signature_header",
]
