"""When to try a delivery again: exponential backoff with jitter, up to a horizon."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta


def backoff_delay(tries: int, base_seconds: float, max_seconds: float) -> timedelta:
    """The wait after the `tries`-th failed attempt: doubling from base, capped at max."""
    return timedelta(seconds=min(base_seconds * 2 ** max(tries - 1, 0), max_seconds))


@dataclass
class RetryPolicy:
    """Backoff doubling from `base_seconds` up to `max_seconds`, each wait drawn between
    (1 - jitter) and 1 times it, a receiver's Retry-After honoured; no attempt is planned past
    `horizon_seconds` after the first one."""

    base_seconds: float = 30.0
    max_seconds: float = 3600.0
    horizon_seconds: float = 5 * 86400.0
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1 (got {self.jitter})")

    def next_attempt(
        self, now: datetime, first_try: datetime, tries: int, retry_after: float | None = None
    ) -> datetime | None:
        """When to try again after the `tries`-th failed attempt, or None: the horizon passed."""
        wait = backoff_delay(tries, self.base_seconds, self.max_seconds)
        wait *= 1 - self.jitter * self.rng.random()
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        at = now + wait
        if at > first_try + timedelta(seconds=self.horizon_seconds):
            return None
        return at
