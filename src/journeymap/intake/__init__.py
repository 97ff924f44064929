"""Live intake: a durable log that requests append to, and the one applier that drains it."""

from journeymap.intake.applier import Applied, Applier
from journeymap.intake.log import Entry, IntakeLog, Receipt

__all__ = ["Applied", "Applier", "Entry", "IntakeLog", "Receipt"]
