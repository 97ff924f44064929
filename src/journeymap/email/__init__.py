"""The email channel: render send-email actions, sign tracking links, deliver over SMTP."""

from journeymap.email.delivery import DeliveryWorker, backoff_delay
from journeymap.email.outbox import EmailChannel
from journeymap.email.signing import Signer, TrackingUrls, public_url, tracking_secret
from journeymap.email.smtp import SmtpConfig

__all__ = [
    "DeliveryWorker",
    "EmailChannel",
    "Signer",
    "SmtpConfig",
    "TrackingUrls",
    "backoff_delay",
    "public_url",
    "tracking_secret",
]
