"""Means, quantiles and money come out bit-identical whatever order the facts arrived in, and after
`journeymap rebuild`: whole microseconds and cents are summed, and divided once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import journeymap
from journeymap.clock import ManualClock
from test_engine_support import T0, add, buy, end, form, goal, trigger

ORDER = [1, 7, 10, 0, 6, 11, 4, 5, 2, 8, 9, 3]
"""The order in which the twelve contacts sign up and buy in the first store."""

SPANS_US = [
    923026346656, 285483179097, 255768672493, 518476202887, 921446466486, 522051690712,
    701785349251, 166906819042, 696780799367, 954133952837, 575207083445, 813423584401,
]  # fmt: skip
"""Microseconds from sign-up to purchase, in the order above: sums of these as seconds in
floating point depend on the order they are added in."""

AMOUNTS = ["10.01", "0.07", "33.33", "4.10", "19.99", "0.01", "7.77", "0.99", "12.34", "5.55",
           "100.00", "0.05"]  # fmt: skip
"""What each contact of ORDER spends with its purchase."""


def _store(tmp: Path, name: str, order: list[int]) -> journeymap.Journeymap:
    """t -> g (purchase goal) -> e, with the contacts signing up and buying in `order`."""
    jm = journeymap.open(tmp / f"{name}.duckdb", clock=ManualClock(T0))
    add(jm, "d", [trigger("t"), goal("g"), end("e")], [("k1", "t", "g"), ("k2", "g", "e")])
    spans = dict(zip(ORDER, SPANS_US, strict=True))
    amounts = dict(zip(ORDER, AMOUNTS, strict=True))
    for i in order:
        jm.track(form(f"c{i:02d}", T0))
    for i in order:
        jm.track(buy(f"c{i:02d}", T0 + timedelta(microseconds=spans[i]), amounts[i]))
    return jm


def _figures(jm: journeymap.Journeymap) -> tuple[Any, ...]:
    time = jm.report("goal-conversion-time", map_id="d", goal="g").element("t")
    ltv = jm.report("lifetime-value", map_id="d").element("t")
    return (
        time.conversion_time_mean_s,
        time.conversion_time_median_s,
        time.conversion_time_p90_s,
        time.conversion_time_n,
        ltv.amount_spent,
        ltv.average_spent,
    )


def _expected() -> tuple[Any, ...]:
    """The same figures as exact fractions of the inputs, rounded once."""
    spans = sorted(SPANS_US)
    n = len(spans)

    def quantile(q: Fraction) -> float:
        rank = (n - 1) * q
        lo = int(rank)
        value = spans[lo] + (spans[min(lo + 1, n - 1)] - spans[lo]) * (rank - lo)
        return float(Fraction(value) / 1_000_000)

    cents = sum(int(Decimal(a) * 100) for a in AMOUNTS)
    return (
        float(Fraction(sum(spans), n * 1_000_000)),
        quantile(Fraction(1, 2)),
        quantile(Fraction(9, 10)),
        n,
        Decimal(cents) / 100,
        Decimal(round(Fraction(cents, n))) / 100,
    )


def test_a_rebuild_and_another_arrival_order_give_the_same_bits(tmp_path: Path) -> None:
    expected = _expected()
    assert expected[0] == 611207.5122228333  # float sums gave ...335 or ...332
    with _store(tmp_path, "given", ORDER) as jm:
        assert _figures(jm) == expected
        jm.store.rebuild_summaries()
        assert _figures(jm) == expected
    with _store(tmp_path, "reversed", ORDER[::-1]) as jm:
        assert _figures(jm) == expected
        jm.store.rebuild_summaries()
        assert _figures(jm) == expected
