"""The shape of a map validation rule: a stable code and the problems it finds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from journeymap.errors import Problem
from journeymap.model.map import AutomationMap


class Rule:
    """One validation rule."""

    code: ClassVar[str]

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        raise NotImplementedError

    def problem(
        self, message: str, *, element: str | None = None, connector: str | None = None
    ) -> Problem:
        return Problem(self.code, message, element_id=element, connector_id=connector)
