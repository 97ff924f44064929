"""The email channel: send-email and notify actions rendered into an outbox, sent over SMTP."""

from journeymap.channels.email.channel import EmailChannel
from journeymap.channels.email.courier import EmailCourier
from journeymap.channels.email.notify import NotifyChannel
from journeymap.channels.email.signing import Signer, TrackingUrls, public_url, tracking_secret
from journeymap.channels.email.smtp import SmtpConfig

__all__ = [
    "EmailChannel",
    "EmailCourier",
    "NotifyChannel",
    "Signer",
    "SmtpConfig",
    "TrackingUrls",
    "public_url",
    "tracking_secret",
]
