"""A map: elements joined by connectors, with an id and a version."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from journeymap.model.elements import Element


class Connector(BaseModel):
    """A directed edge; `label` marks condition branches, `weight` split shares."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(min_length=1, max_length=200)
    from_: str = Field(alias="from")
    to: str
    label: Literal["yes", "no"] | None = None
    weight: int | None = None


class Position(BaseModel):
    """Where an element is drawn, when the map file fixes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    x: float
    y: float


class AutomationMap(BaseModel):
    """A whole map as stored in its JSON or YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = ""
    description: str = ""
    version: int = 1
    elements: list[Element]
    connectors: list[Connector] = []
    layout: dict[str, Position] = {}

    @cached_property
    def element_by_id(self) -> dict[str, Element]:
        return {e.id: e for e in self.elements}

    @cached_property
    def outgoing(self) -> dict[str, list[Connector]]:
        out: dict[str, list[Connector]] = {e.id: [] for e in self.elements}
        for c in self.connectors:
            out.setdefault(c.from_, []).append(c)
        return out

    @cached_property
    def incoming(self) -> dict[str, list[Connector]]:
        inc: dict[str, list[Connector]] = {e.id: [] for e in self.elements}
        for c in self.connectors:
            inc.setdefault(c.to, []).append(c)
        return inc

    def connector_between(self, from_id: str, to_id: str) -> Connector | None:
        """The first connector from one element to another, if the map has one."""
        for c in self.outgoing.get(from_id, []):
            if c.to == to_id:
                return c
        return None
