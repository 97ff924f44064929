"""Rates of a yes/no outcome: Wilson intervals, a test of equal rates, the chance of being best."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

CONFIDENCE = 0.95
"""The confidence level of every interval and the significance level (1 - 0.95) of tests."""

SMALL_EXPECTED = 5
"""A 2x2 table with an expected count below this is tested exactly (Fisher), else chi-square."""

TAIL = 1e-12
"""Posterior mass left outside the range each chance of being best is integrated over."""


@dataclass(frozen=True)
class Rate:
    """Successes out of trials."""

    successes: int
    trials: int

    @property
    def value(self) -> float | None:
        return self.successes / self.trials if self.trials else None


@dataclass(frozen=True)
class Comparison:
    """A two-sided test that two rates are equal: its p-value and which test gave it."""

    p_value: float
    test: str
    """`chi-square` (Pearson, no continuity correction) or `fisher` (exact)."""


def wilson(rate: Rate) -> tuple[float, float] | None:
    """The 95% Wilson score interval of a rate; None without trials."""
    from scipy import stats  # noqa: PLC0415 - seconds to import, and only these reports need it

    if rate.trials == 0:
        return None
    ci = stats.binomtest(rate.successes, rate.trials).proportion_ci(CONFIDENCE, method="wilson")
    return float(ci.low), float(ci.high)


def compare(a: Rate, b: Rate) -> Comparison | None:
    """Two-sided test of equal rates on the 2x2 table; exact when an expected count is small."""
    from scipy import stats  # noqa: PLC0415 - seconds to import, and only these reports need it

    if a.trials == 0 or b.trials == 0:
        return None
    table = np.array([[a.successes, a.trials - a.successes], [b.successes, b.trials - b.successes]])
    expected = stats.contingency.expected_freq(table)
    if float(expected.min()) < SMALL_EXPECTED:
        return Comparison(float(stats.fisher_exact(table).pvalue), "fisher")
    result = stats.chi2_contingency(table, correction=False)
    return Comparison(float(result.pvalue), "chi-square")


def probability_best(rates: list[Rate]) -> list[float]:
    """Per rate, the chance its true value is the highest, under Beta(1 + k, 1 + n - k) posteriors.

    P(i best) = integral of pdf_i(x) times the product of cdf_j(x) over the others, integrated
    (scipy.integrate.quad, deterministic) over the range holding all but 1e-12 of posterior i;
    the chances are then scaled to add up to exactly 1."""
    from scipy import integrate  # noqa: PLC0415 - seconds to import, and only these reports need it

    posts = [_posterior(r) for r in rates]
    chances = []
    for i, post in enumerate(posts):
        others = [p for j, p in enumerate(posts) if j != i]
        lo, hi = float(post.ppf(TAIL)), float(post.isf(TAIL))
        value, _ = integrate.quad(
            _best_density(post, others), lo, hi, points=[float(post.mean())], limit=200
        )
        chances.append(max(float(value), 0.0))
    total = sum(chances)
    return [c / total for c in chances] if total > 0 else [1 / len(rates)] * len(rates)


Posterior = Any
"""A frozen scipy Beta distribution."""


def _posterior(rate: Rate) -> Posterior:
    from scipy import stats  # noqa: PLC0415 - seconds to import, and only these reports need it

    return stats.beta(1 + rate.successes, 1 + rate.trials - rate.successes)


def _best_density(post: Posterior, others: list[Posterior]) -> Callable[[float], float]:
    """x -> pdf(x) of `post` times the chance every other posterior is below x.

    Inside (0, 1), where the integral is taken, this is what the frozen distributions' logpdf
    and logcdf give (the log of the incomplete Beta function below a posterior's median, log1p
    of its complement above), without their checks on every call, most of the report's time."""
    from scipy import special  # noqa: PLC0415 - seconds to import, and only these reports need it

    a, b = (float(v) for v in post.args)
    shapes = [(float(o.args[0]), float(o.args[1]), float(o.median())) for o in others]
    log_beta = special.betaln(a, b)

    def below(p: float, q: float, median: float, x: float) -> float:
        with np.errstate(divide="ignore"):  # a chance of 0 is -inf, as the distribution says
            if x < median:
                return float(np.log(special.betainc(p, q, x)))
            return float(np.log1p(-special.betaincc(p, q, x)))

    def density(x: float) -> float:
        own = special.xlog1py(b - 1.0, -x) + special.xlogy(a - 1.0, x)
        own -= log_beta
        log = float(own) + sum(below(p, q, median, x) for p, q, median in shapes)
        return math.exp(log) if log > LOG_TINY else 0.0

    return density


LOG_TINY = -745.0
"""Below this exp() underflows to zero in double precision."""
