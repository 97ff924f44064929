"""Health: is the server up, which store is behind it, and is any part of it stuck.

Each part (intake, scheduler, email and webhook deliveries, maps) reports its own status and
figures; the server is `degraded` when any part is, with each part's reason. A new part is one more
probe in PARTS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from journeymap import __version__
from journeymap.api.deps import LiveDep
from journeymap.api.errors import documented
from journeymap.api.live import Live

router = APIRouter(prefix="/api", tags=["health"], responses=documented(413))

Status = Literal["ok", "degraded"]
STUCK_AFTER_MIN = timedelta(seconds=60)
"""A part is stuck when its work is overdue by this long (or ten of its beats, if longer)."""


class Part(BaseModel):
    """One part of the server: ok, or degraded with the reason."""

    status: Status = "ok"
    reason: str | None = None


class IntakeHealth(Part):
    """The applier: where it is in the intake log, and how far behind intake."""

    running: bool
    position: int
    """The last intake log position applied to the store."""
    lag_events: int
    """Events accepted and not applied yet."""
    lag_seconds: float
    """How long the oldest of them has waited."""
    dead_letters: int
    last_error: str | None


class SchedulerHealth(Part):
    """The scheduler that releases due waits."""

    tick_seconds: float
    next_due_at: datetime | None
    """The earliest wait not yet released."""


class DeliveryHealth(Part):
    """One channel's deliveries (email messages and notifications, or webhooks)."""

    pending: int
    """Deliveries not yet settled (never tried, or failed for now and waiting for a retry)."""
    oldest_pending_at: datetime | None
    failing: int
    """Pending deliveries whose latest attempt failed."""
    last_error: str | None
    failed: int
    """Deliveries that failed for good (refused, expired, blocked, invalid, ...)."""


class MapsHealth(Part):
    """What maps could not do (docs/maps.md, map errors); never a reason to be degraded."""

    errors: int
    latest_error_at: datetime | None


class Health(BaseModel):
    status: Status
    reasons: list[str]
    version: str
    store: str
    intake: IntakeHealth
    scheduler: SchedulerHealth
    email: DeliveryHealth
    webhooks: DeliveryHealth
    maps: MapsHealth


def _stuck_after(beat_seconds: float) -> timedelta:
    return max(STUCK_AFTER_MIN, timedelta(seconds=10 * beat_seconds))


def intake_health(live: Live, now: datetime) -> IntakeHealth:
    """Degraded when the applier is not running or lags more than `health_lag_seconds`."""
    applier = live.applier
    part = IntakeHealth(
        running=applier.running,
        position=applier.pos,
        lag_events=applier.lag(),
        lag_seconds=round(applier.lag_seconds(now), 3),
        dead_letters=int(live.jm.store.scalar("intake_dead_letter_count") or 0),
        last_error=applier.last_error,
    )
    if not part.running:
        part.status = "degraded"
        part.reason = "the applier is not running"
    elif part.lag_seconds > live.settings.health_lag_seconds:
        part.status = "degraded"
        part.reason = f"the applier is {part.lag_seconds:.1f} s behind intake"
    return part


def scheduler_health(live: Live, now: datetime) -> SchedulerHealth:
    """Degraded when a wait has been due for longer than the scheduler could excuse."""
    tick = live.settings.tick_seconds
    due = live.jm.engine.next_due()
    part = SchedulerHealth(tick_seconds=tick, next_due_at=due)
    if due is not None and now - due > _stuck_after(tick):
        part.status = "degraded"
        part.reason = f"waits due since {due.isoformat()} are not released"
    return part


def delivery_health(
    channel: str, noun: str, poll: Callable[[Live], float]
) -> Callable[[Live, datetime], Part]:
    """Degraded while deliveries fail, or when one waits with no attempt at all."""

    def probe(live: Live, now: datetime) -> DeliveryHealth:
        row = live.jm.store.query("delivery_health", {"channel": channel})[0]
        part = DeliveryHealth(
            pending=int(row["pending"]),
            oldest_pending_at=row["oldest_pending_at"],
            failing=int(row["failing"]),
            last_error=row["last_error"],
            failed=int(row["failed"]),
        )
        untried = row["oldest_untried_at"]
        if part.failing:
            part.status = "degraded"
            part.reason = f"{part.failing} {noun}(s) failing to deliver; latest: {part.last_error}"
        elif untried is not None and now - untried > _stuck_after(poll(live)):
            part.status = "degraded"
            part.reason = f"a {noun} queued at {untried.isoformat()} has had no delivery attempt"
        return part

    return probe


def maps_health(live: Live, _now: datetime) -> MapsHealth:
    row = live.jm.store.query("map_errors_total")[0]
    return MapsHealth(errors=int(row["errors"]), latest_error_at=row["latest"])


PARTS: dict[str, Callable[[Live, datetime], Part]] = {
    "intake": intake_health,
    "scheduler": scheduler_health,
    "email": delivery_health("email", "message", lambda live: live.settings.email_poll_seconds),
    "webhooks": delivery_health(
        "webhook", "webhook", lambda live: live.settings.webhook_poll_seconds
    ),
    "maps": maps_health,
}
"""Every part health reports, by the name it has in the answer."""


@router.get("/health")
def health(live: LiveDep) -> Health:
    """Answers without a token; `degraded` (still 200) names what is stuck."""
    now = live.jm.clock.now()
    parts = {name: probe(live, now) for name, probe in PARTS.items()}
    reasons = [f"{name}: {p.reason}" for name, p in parts.items() if p.status != "ok"]
    return Health(
        status="degraded" if reasons else "ok",
        reasons=reasons,
        version=__version__,
        store=live.jm.store.engine,
        **parts,
    )
