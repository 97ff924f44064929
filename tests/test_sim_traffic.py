"""The simulator's building blocks: URLs for glob patterns, arrivals per day, field values."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from fnmatch import fnmatchcase

from hypothesis import given
from hypothesis import strategies as st

from journeymap.model.elements import Rule
from journeymap.model.loading import parse_yaml
from journeymap.sim.arrivals import arrival_times, daily_counts
from journeymap.sim.doors import field_value
from journeymap.sim.traffic import amount, url_matching
from test_engine_support import COMPARE

_LITERAL = st.text(alphabet="abcxyz019/.-_:?=&", min_size=0, max_size=6).map(
    lambda s: s.replace("?", "")
)
_PIECE = st.one_of(
    _LITERAL,
    st.just("*"),
    st.just("?"),
    st.sampled_from(["[abc]", "[a-f]", "[!abc]", "[!0-9]", "[xyz]"]),
)


@given(st.lists(_PIECE, min_size=1, max_size=6), st.integers(0, 2**32))
def test_urls_match_the_pattern_they_were_made_for(pieces: list[str], seed: int) -> None:
    pattern = "".join(pieces)
    assert fnmatchcase(url_matching(pattern, random.Random(seed)), pattern)


def test_a_leading_star_becomes_the_site() -> None:
    rng = random.Random(1)
    assert url_matching("*/pricing*", rng) == "https://www.example.com/pricing"
    assert url_matching("*/blog/*", rng).startswith("https://www.example.com/blog/")


@given(st.integers(0, 5000), st.integers(1, 400), st.integers(0, 6))
def test_daily_counts_share_out_every_contact(total: int, days: int, weekday: int) -> None:
    start = datetime(2025, 3, 3 + weekday, tzinfo=UTC)
    counts = daily_counts(total, days, start)
    assert len(counts) == days
    assert sum(counts) == total
    assert min(counts) >= 0


def test_more_contacts_arrive_on_weekdays_and_later_in_the_period() -> None:
    counts = daily_counts(14_000, 14, datetime(2025, 3, 3, tzinfo=UTC))  # a Monday
    assert counts[0] > counts[5]  # Monday over Saturday
    assert counts[7] > counts[0]  # growth: the next Monday over this one
    assert sum(counts) == 14_000


def test_arrival_times_are_in_order_within_the_period() -> None:
    times = list(arrival_times(random.Random(3), 500, 10, datetime(2025, 3, 3, tzinfo=UTC)))
    assert len(times) == 500
    assert times == sorted(times)
    assert times[0] >= 0
    assert times[-1] < 10 * 86_400


def _holds(op: str, written: int | str, made: str | None) -> bool:
    """The rule as a person reads it: numbers as numbers, `contains` on the text as written."""
    if op == "exists":
        return made not in (None, "")
    if made is None:
        return op == "ne"
    if op == "contains":
        return str(written) in made
    if isinstance(written, int):
        try:
            return bool(COMPARE[op](Decimal(made), written))
        except InvalidOperation:
            return op == "ne"
    return bool(COMPARE[op](made, written))


@given(
    st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte", "contains", "exists"]),
    st.one_of(st.integers(-100, 10_000), st.sampled_from(["paid", "trial", "gold"])),
    st.booleans(),
    st.integers(0, 2**32),
)
def test_field_values_make_a_condition_hold_or_not(
    op: str, value: int | str, holds: bool, seed: int
) -> None:
    # the rule comes from map YAML as a person writes it: an unquoted number is a number
    rule = Rule.model_validate(parse_yaml(f"{{field: f, op: {op}, value: {value}}}"))
    made = field_value(rule, holds, random.Random(seed))
    assert _holds(op, value, made) is holds


@given(st.floats(1, 5000), st.integers(0, 2**32))
def test_amounts_are_positive_cents_near_the_price(price: float, seed: int) -> None:
    paid = amount(random.Random(seed), price)
    assert paid > 0
    assert paid == paid.quantize(Decimal("0.01"))
    assert price / 10 <= paid <= price * 10 + 1
