"""Kaplan-Meier estimates of time to an event with some contacts still on the way."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95
"""The confidence level of the median's interval."""

DAY = 86_400.0
"""Seconds in a day."""

CURVE_POINTS = 200
"""The most steps of a Kaplan-Meier curve a report gives (for drawing it)."""


@dataclass(frozen=True)
class Survival:
    """The Kaplan-Meier estimate of the share still not converted, as a step function."""

    n: int
    converted: int
    times: np.ndarray
    """Every observed time, ascending."""
    still: np.ndarray
    """The estimated share not converted just after each of `times`."""
    low: np.ndarray
    high: np.ndarray
    """The 95% pointwise interval of `still` (log-log, Greenwood's variance)."""

    @property
    def censored(self) -> int:
        return self.n - self.converted

    def converted_by(self, seconds: float) -> float | None:
        """Estimated share converted within `seconds`; None past the longest time followed."""
        if self.n == 0 or seconds > self.times[-1]:
            return None
        i = int(np.searchsorted(self.times, seconds, side="right"))
        return 0.0 if i == 0 else float(1 - self.still[i - 1])

    def curve(self, most: int = CURVE_POINTS) -> list[tuple[float, float]]:
        """The estimated share converted as steps (seconds, share): (0, 0), a point at each
        time a contact converted, and the longest time followed; over `most` points, `most`
        evenly chosen (the first and last kept)."""
        steps = [(0.0, 0.0)]
        before = 1.0
        for t, still in zip(self.times.tolist(), self.still.tolist(), strict=True):
            if still != before:
                steps.append((float(t), 1 - float(still)))
                before = still
        if self.n and float(self.times[-1]) > steps[-1][0]:
            steps.append((float(self.times[-1]), 1 - before))
        if len(steps) > most:
            picks = sorted(set(np.linspace(0, len(steps) - 1, most).round().astype(int).tolist()))
            steps = [steps[i] for i in picks]
        return steps

    def median(self) -> float | None:
        """The first time the estimate reaches one half or below; None when it never does."""
        return _first_at_or_below(self.times, self.still)

    def median_interval(self) -> tuple[float | None, float | None]:
        """The median's 95% interval: where the interval's bounds reach one half (None: never)."""
        return _first_at_or_below(self.times, self.low), _first_at_or_below(self.times, self.high)


def _first_at_or_below(times: np.ndarray, values: np.ndarray) -> float | None:
    hit = np.flatnonzero(values <= 0.5)
    return float(times[hit[0]]) if hit.size else None


def kaplan_meier(seconds: np.ndarray, converted: np.ndarray, counts: np.ndarray) -> Survival:
    """The estimate over groups of contacts: `counts[i]` followed for `seconds[i]`, converted
    then or still on the way (censored) as `converted[i]` says; the product-limit estimate and
    its log-log interval (Greenwood's variance) at each distinct time, counted per group rather
    than per contact (the same arithmetic as scipy.stats.ecdf on right-censored data)."""
    order = np.argsort(seconds, kind="stable")
    times_all = seconds[order]
    counts = counts[order].astype(np.int64)
    died = np.where(converted[order].astype(bool), counts, 0)
    n = int(counts.sum())
    times, first = np.unique(times_all, return_index=True)
    if not died.any():  # nothing converted: the estimate stays at 1 over the time followed
        ones = np.ones(times.size)
        return Survival(n, 0, times, ones, ones, ones)
    at_risk = n - np.concatenate(([0], np.cumsum(counts)))[first]
    deaths = np.add.reduceat(died, first)
    still = np.cumprod((at_risk - deaths) / at_risk)
    from scipy import special  # noqa: PLC0415 - seconds to import, and only this report needs it

    z = special.ndtri(1 / 2 + CONFIDENCE / 2)
    with np.errstate(divide="ignore", invalid="ignore"):  # undefined where still is 0 or 1
        se = np.sqrt(1 / np.log(still) ** 2 * np.cumsum(deaths / (at_risk * (at_risk - deaths))))
        lnl = np.log(-np.log(still))
        low = np.clip(np.exp(-np.exp(lnl + z * se)), 0, 1)
        high = np.clip(np.exp(-np.exp(lnl - z * se)), 0, 1)
    # the interval is undefined where the estimate is 0 or 1; it collapses onto the estimate there
    low, high = (np.where(np.isnan(b), still, b) for b in (low, high))
    return Survival(n, int(died.sum()), times, still, low, high)
