"""What the simulated business spends on paid channels: monthly marketing costs per UTM value."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from journeymap.sim.traffic import UTM_MIX

COST_PER_CONTACT: dict[tuple[str, str], float] = {
    ("google", "brand-search"): 3.40,
    ("google", "generic-search"): 7.90,
    ("facebook", "spring-sale"): 4.60,
    ("linkedin", "b2b-webinar"): 21.00,
    ("newsletter", "monthly-digest"): 0.35,
    ("bing", "brand-search"): 2.90,
    ("partner-blog", ""): 6.00,
}
"""Typical price of a new contact by source and campaign; organic and direct traffic are free."""


@dataclass(frozen=True, slots=True)
class Cost:
    """One marketing-cost row: spend on a UTM value over a period of whole days."""

    utm_field: str
    utm_value: str
    period_start: date
    period_end: date
    amount: Decimal


def plan_spend(*, contacts: int, days: int, start: datetime, seed: int) -> list[Cost]:
    """Monthly budgets sized to the traffic each paid channel is expected to bring, seeded noise.

    The same money is recorded per source, per medium and per campaign (where the channel has
    one), so ROI by source and by medium add up to the same total.
    """
    rng = random.Random(f"spend-{seed}")
    first = start.date()
    last = first + timedelta(days=days - 1)
    per_day = contacts / days
    totals: dict[tuple[str, str, date, date], Decimal] = {}
    for month_start, month_end in _months(first, last):
        span = (month_end - month_start).days + 1
        for source in UTM_MIX:
            key = (source.utm.get("source", ""), source.utm.get("campaign", ""))
            price = COST_PER_CONTACT.get(key)
            if price is None:
                continue
            expected = per_day * span * source.share
            spent = Decimal(f"{expected * price * rng.uniform(0.85, 1.15):.2f}")
            for field in ("source", "medium", "campaign"):
                value = source.utm.get(field)
                if value:
                    slot = (field, value, month_start, month_end)
                    totals[slot] = totals.get(slot, Decimal(0)) + spent
    return [Cost(f, v, s, e, amount) for (f, v, s, e), amount in sorted(totals.items())]


def _months(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar months covering first..last, clipped to that span."""
    out: list[tuple[date, date]] = []
    cur = first
    while cur <= last:
        nxt = date(cur.year + cur.month // 12, cur.month % 12 + 1, 1)
        out.append((cur, min(nxt - timedelta(days=1), last)))
        cur = nxt
    return out
