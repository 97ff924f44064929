"""Marketing costs entered one at a time: checked like an imported costs row, then stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from journeymap import dates
from journeymap.errors import JourneymapError
from journeymap.store.facts import UTM_FIELDS, FactBatch
from journeymap.store.protocol import Store

CENT = Decimal("0.01")


class CostInvalid(JourneymapError):
    """A marketing cost with a bad field; `field` names it and nothing is stored."""

    code = "cost_invalid"

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", code=code)
        self.field = field


def _date(value: date | str, field: str) -> date:
    try:
        return dates.day(value)
    except dates.DateRejected as exc:
        raise CostInvalid("bad_date", field, str(exc)) from None


def _amount(value: Decimal | int | str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise CostInvalid("bad_amount", "amount", f"{value!r} is not a number") from None
    if not amount.is_finite():
        raise CostInvalid("bad_amount", "amount", f"{value!r} is not a number")
    if amount < 0:
        raise CostInvalid("negative_cost", "amount", f"a cost cannot be negative ({amount})")
    if amount != amount.quantize(CENT):
        raise CostInvalid("bad_amount", "amount", f"{amount} has more than two decimals")
    return amount


def add_cost(
    store: Store,
    utm_field: str,
    utm_value: str,
    period_start: date | str,
    period_end: date | str,
    amount: Decimal | int | str,
) -> tuple[str, str, date, date, Decimal]:
    """Check one cost (same rules as the import's costs file) and store it; the stored row."""
    if utm_field not in UTM_FIELDS:
        raise CostInvalid(
            "unknown_utm_field",
            "utm_field",
            f"unknown UTM field {utm_field!r}; one of {', '.join(UTM_FIELDS)}",
        )
    if not utm_value:
        raise CostInvalid("missing_value", "utm_value", "a cost needs the UTM value it was for")
    start = _date(period_start, "period_start")
    end = _date(period_end, "period_end")
    if end < start:
        raise CostInvalid(
            "period_end_before_start", "period_end", f"{end} is before period_start {start}"
        )
    row = (utm_field, utm_value, start, end, _amount(amount))
    batch = FactBatch()
    batch.add("marketing_costs", row)
    store.append(batch)
    return row
