"""The server settings table: CLI options, environment variables and docs all come from it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from journeymap.channels import RetryPolicy
from journeymap.channels.email import SmtpConfig
from journeymap.channels.webhook import WebhookConfig


class Settings(BaseSettings):
    """Server settings; each may be set as JOURNEYMAP_<NAME> or with `serve --set name=value`."""

    model_config = SettingsConfigDict(env_prefix="JOURNEYMAP_", extra="forbid")

    db: str = Field(
        "journeymap.duckdb",
        description="The store: a DuckDB file, or a store URL (chdb://DIR, "
        "clickhouse://USER:PASSWORD@HOST:8123/DATABASE; docs/clickhouse.md).",
    )
    host: str = Field("127.0.0.1", description="Address the server binds to.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port the server listens on.")
    public_url: str | None = Field(
        None,
        description="Base URL of this server as mail readers reach it, for tracking links "
        "(default http://HOST:PORT).",
    )
    max_body_bytes: int = Field(
        1_048_576, ge=1, description="Largest request body accepted; larger ones get 413."
    )
    body_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="Longest a client may take to send a whole request body; then 408 and the "
        "connection is closed.",
    )
    max_anonymous_bodies: int = Field(
        64,
        ge=1,
        description="Request bodies read at once for calls that need no token (sign-in, "
        "unsubscribe); more get 503. Calls that need one are refused 401 before their body.",
    )
    header_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="Longest a client may take to send a request's headers, from connecting or "
        "from the request's first byte; then the connection is closed.",
    )
    max_header_bytes: int = Field(
        65_536, ge=1024, description="Largest request line and headers; larger get 431."
    )
    keep_alive_seconds: int = Field(
        5, ge=1, description="Whole seconds an idle keep-alive connection is kept open."
    )
    max_batch_events: int = Field(
        1000, ge=1, description="Most events one batch request may carry."
    )
    intake_log: str | None = Field(
        None,
        description="SQLite file of the intake log (default: the store's path with .intake).",
    )
    apply_batch_events: int = Field(
        5000, ge=1, description="Most events the applier applies in one store transaction."
    )
    apply_gather_seconds: float = Field(
        0.25,
        ge=0,
        description="Longest the applier lets a micro-batch gather (twice its last commit's "
        "time, up to this, counted from when its oldest entry was received) before committing "
        "it.",
    )
    max_intake_lag_events: int = Field(
        1_000_000,
        ge=1,
        description="Events accepted but not yet applied above which intake answers 503.",
    )
    wait_applied_seconds: float = Field(
        30.0, gt=0, description="Longest a `wait=applied` request waits for the applier."
    )
    tick_seconds: float = Field(
        1.0, gt=0, description="How often the idle applier checks for waits that fell due."
    )
    health_lag_seconds: float = Field(
        10.0, gt=0, description="Applier lag above which /api/health says degraded."
    )
    access_log: bool = Field(
        False,
        description="Print one line per HTTP request on the console (off by default: under"
        " live intake it costs the server about a tenth of its CPU).",
    )
    cascade_limit: int = Field(
        8, ge=0, description="Rounds of action-caused events one event may set off (docs/maps.md)."
    )
    tracking_secret: SecretStr | None = Field(
        None,
        description="HMAC key for tracking links (default: a random key kept in the store).",
    )
    session_secret: SecretStr | None = Field(
        None,
        description="Key that signs the page's session cookies (default: a key file beside the "
        "store, DB.session-key, readable by its owner only).",
    )
    smtp_host: str = Field("127.0.0.1", description="SMTP server that delivers email.")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP server port.")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        "none", description="none, starttls (upgrade after connecting) or tls (implicit TLS)."
    )
    smtp_username: str | None = Field(None, description="SMTP login user, when it needs one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP login password.")
    smtp_timeout_seconds: float = Field(10.0, gt=0, description="SMTP connect and send timeout.")
    smtp_ca_file: str | None = Field(
        None,
        description="PEM file of the CA that signs the SMTP server's certificate "
        "(default: the system's CAs).",
    )
    email_from: str = Field("journeymap@localhost", description="Sender address of every message.")
    email_retry_base_seconds: float = Field(
        30.0, gt=0, description="Wait after a failed delivery; doubles with each failure."
    )
    email_retry_max_seconds: float = Field(
        3600.0, gt=0, description="Longest wait between delivery attempts."
    )
    email_retry_horizon_seconds: float = Field(
        432_000.0,
        gt=0,
        description="How long after its first attempt a failing message is tried again; then "
        "it fails (expired).",
    )
    email_poll_seconds: float = Field(
        1.0, gt=0, description="How often the outbox is checked for due messages."
    )
    notify_to: str | None = Field(
        None,
        description="Team address(es), comma-separated, of notify actions without their own `to`.",
    )
    webhook_allowed: str = Field(
        "",
        description="Hosts and networks (comma-separated: `hooks.internal`, `10.0.0.0/8`, "
        "`127.0.0.1`) webhooks may reach though not public.",
    )
    webhook_connect_timeout_seconds: float = Field(
        5.0, gt=0, description="Longest a webhook waits to connect to its receiver."
    )
    webhook_read_timeout_seconds: float = Field(
        10.0, gt=0, description="Longest a webhook waits for each read of the answer."
    )
    webhook_attempt_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="Longest one webhook attempt may take, connecting, sending and reading the "
        "whole answer (a receiver that trickles its answer is cut off).",
    )
    webhook_max_redirects: int = Field(
        0,
        ge=0,
        le=10,
        description="307 and 308 redirects a webhook follows, each hop's address checked as the "
        "first's (default: none; a redirect fails the delivery).",
    )
    webhook_retry_base_seconds: float = Field(
        10.0, gt=0, description="Wait after a failed webhook attempt; doubles with each failure."
    )
    webhook_retry_max_seconds: float = Field(
        3600.0, gt=0, description="Longest wait between webhook attempts."
    )
    webhook_retry_horizon_seconds: float = Field(
        259_200.0,
        gt=0,
        description="How long after its first attempt a failing webhook is tried again; then "
        "it fails (expired).",
    )
    webhook_poll_seconds: float = Field(
        1.0, gt=0, description="How often the webhook queue is checked for due deliveries."
    )
    webhook_concurrency: int = Field(
        4, ge=1, le=64, description="Webhooks delivered at the same time."
    )
    webhook_ca_file: str | None = Field(
        None,
        description="PEM file of the CAs that sign receivers' certificates "
        "(default: the system's CAs).",
    )
    currency: str = Field(
        "USD",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of the amounts recorded (purchases, costs); the page's default.",
    )

    def base_url(self) -> str:
        """Where tracking links point."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def smtp(self) -> SmtpConfig:
        """The SMTP part of the settings."""
        return SmtpConfig(
            host=self.smtp_host,
            port=self.smtp_port,
            security=self.smtp_security,
            username=self.smtp_username,
            password=self.smtp_password.get_secret_value() if self.smtp_password else None,
            timeout_seconds=self.smtp_timeout_seconds,
            sender=self.email_from,
            ca_file=self.smtp_ca_file,
            notify_to=self.notify_to,
        )

    def email_retry(self) -> RetryPolicy:
        """When a failing message is tried again."""
        return RetryPolicy(
            self.email_retry_base_seconds,
            self.email_retry_max_seconds,
            self.email_retry_horizon_seconds,
        )

    def webhook(self) -> WebhookConfig:
        """The webhook part of the settings."""
        return WebhookConfig(
            connect_timeout_seconds=self.webhook_connect_timeout_seconds,
            read_timeout_seconds=self.webhook_read_timeout_seconds,
            attempt_timeout_seconds=self.webhook_attempt_timeout_seconds,
            allowed=self.webhook_allowed,
            ca_file=self.webhook_ca_file,
            max_redirects=self.webhook_max_redirects,
        )

    def webhook_retry(self) -> RetryPolicy:
        """When a failing webhook is tried again."""
        return RetryPolicy(
            self.webhook_retry_base_seconds,
            self.webhook_retry_max_seconds,
            self.webhook_retry_horizon_seconds,
        )
