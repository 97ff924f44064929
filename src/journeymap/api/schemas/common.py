"""Pieces several bodies share: ids, times, UTM parameters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from journeymap.clock import as_utc
from journeymap.store.facts import UTM_FIELDS

Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]
"""A contact, visitor, map, element or client event id."""

Text = Annotated[str, Field(max_length=10_000, pattern=r"^[^\x00]*$")]
"""A free text value (field value, URL, product)."""

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]
"""A tag, field, form or custom event name."""


def _in_range(when: datetime) -> datetime:
    when = as_utc(when)
    if not 1970 <= when.year <= 2999:
        raise ValueError("the time must fall between the years 1970 and 2999")
    return when


Time = Annotated[datetime, AfterValidator(_in_range)]
"""A point in time; without a zone it is taken as UTC."""


class Utm(BaseModel):
    """UTM parameters of a visit or contact; a missing one is null."""

    model_config = ConfigDict(extra="forbid")

    source: Text | None = None
    medium: Text | None = None
    campaign: Text | None = None
    content: Text | None = None
    term: Text | None = None

    def values(self) -> dict[str, str]:
        """The given parameters, by UTM field name."""
        return {f: v for f in UTM_FIELDS if (v := getattr(self, f))}
