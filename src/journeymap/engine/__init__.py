"""The engine: a pure step function that moves contacts, and a shell that persists the moves."""

from journeymap.engine.engine import Engine
from journeymap.engine.events import Event, Tick

__all__ = ["Engine", "Event", "Tick"]
