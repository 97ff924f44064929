"""Marketing costs: what was spent on a UTM source, medium or campaign, for the ROI report."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict

from journeymap.api.deps import WRITE, LiveDep
from journeymap.api.errors import documented
from journeymap.api.schemas.common import Cost, Day, UtmField, UtmValue


class MarketingCost(BaseModel):
    """An amount spent on one UTM value over a period of days (both ends included)."""

    model_config = ConfigDict(extra="forbid")

    utm_field: UtmField
    utm_value: UtmValue
    period_start: Day
    period_end: Day
    amount: Cost


router = APIRouter(
    prefix="/api/marketing-costs",
    tags=["reports"],
    dependencies=[WRITE],
    responses=documented(401, 403, 413, 422),
)


@router.post("", status_code=status.HTTP_201_CREATED)
def add_marketing_cost(cost: MarketingCost, live: LiveDep) -> MarketingCost:
    """Record a cost; the ROI report prorates it over the days of its period."""
    live.write(
        lambda jm: jm.add_marketing_cost(
            cost.utm_field.value, cost.utm_value, cost.period_start, cost.period_end, cost.amount
        ),
        engine_state=False,
    )
    return cost
