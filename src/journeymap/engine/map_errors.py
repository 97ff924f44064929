"""Map errors: what one map could not do for a contact, recorded for an operator to list.

A map whose step or action fails for an event is put back as it was for that contact and the
failure is recorded here; the event goes on to every other map. Follow-up events dropped at the
cascade limit, and actions naming a map that no longer runs, are recorded here too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from journeymap.engine.state import MapState, Position, Profile

STEP_FAILED = "step_failed"
"""Running the map's step or one of its actions raised: the map's effect was not applied."""
CASCADE_LIMIT = "cascade_limit"
"""An action-caused event was not applied: the event had set off too many rounds already."""
UNKNOWN_MAP = "unknown_map"
"""An `add_to_map` or `remove_from_map` action named a map that is unknown or archived."""

CODES: tuple[str, ...] = (STEP_FAILED, CASCADE_LIMIT, UNKNOWN_MAP)


@dataclass(frozen=True, slots=True)
class MapError:
    """One recorded failure: on which map and element, for which contact and event, and why."""

    map_id: str
    element_id: str | None
    contact_id: str
    event: str
    code: str
    reason: str
    at: datetime

    def row(self) -> tuple[object, ...]:
        """The map_errors table row."""
        return (
            self.map_id,
            self.element_id,
            self.contact_id,
            self.event,
            self.code,
            self.reason,
            self.at,
        )


class EffectFailed(Exception):
    """An action of a map raised while being carried out; names the action's element."""

    def __init__(self, element_id: str) -> None:
        super().__init__(element_id)
        self.element_id = element_id


class Undo:
    """What a map's step may change for one contact, saved so a failure can put it back."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.tags = set(profile.tags)
        self.fields = dict(profile.fields)
        self.states: list[tuple[MapState, dict[str, Position], int]] = []

    def keep(self, state: MapState) -> None:
        """Save a map state before it changes."""
        copies = {k: dataclasses.replace(p) for k, p in state.positions.items()}
        self.states.append((state, copies, state.entries))

    def restore(self) -> None:
        """Put the profile and every saved map state back as they were."""
        self.profile.tags = self.tags
        self.profile.fields = self.fields
        for state, positions, entries in reversed(self.states):
            state.positions = positions
            state.entries = entries


def reason_of(exc: BaseException) -> str:
    """A one-line reason for an exception, with its type; the cause of an EffectFailed."""
    if isinstance(exc, EffectFailed) and exc.__cause__ is not None:
        exc = exc.__cause__
    # the reason is stored as text: an unencodable character in it is written as an escape
    text = " ".join(str(exc).split()).encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__
