"""When contacts first show up: more on weekdays and in daytime, growing over the period."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import datetime

from journeymap.sim.contact import DAY

_WEEKDAY = (1.0, 1.05, 1.05, 1.0, 0.9, 0.65, 0.6)
_HOURS = (1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 8, 8, 7, 7, 7, 6, 5, 4, 3, 2)
"""Relative arrivals per hour of the day, UTC."""
_HOUR_CUM = tuple(math.fsum(_HOURS[: i + 1]) for i in range(24))


def daily_counts(total: int, days: int, start: datetime) -> list[int]:
    """How many contacts arrive on each day: weekday rhythm and steady growth, summing to total."""
    weights = [
        _WEEKDAY[(start.weekday() + d) % 7] * (1.0 + 0.8 * d / max(days, 1)) for d in range(days)
    ]
    whole = math.fsum(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    short = total - sum(counts)
    by_fraction = sorted(range(days), key=lambda d: (counts[d] - shares[d], d))
    for d in by_fraction[:short]:
        counts[d] += 1
    return counts


def arrival_times(rng: random.Random, total: int, days: int, start: datetime) -> Iterator[float]:
    """Arrival times in seconds since `start`, in order, drawn one day at a time."""
    hours = range(24)
    for day, count in enumerate(daily_counts(total, days, start)):
        base = day * DAY
        times = [
            base + rng.choices(hours, cum_weights=_HOUR_CUM)[0] * 3600.0 + rng.random() * 3600.0
            for _ in range(count)
        ]
        times.sort()
        yield from times
