"""The automation map: element and connector types, loading and validation."""

from journeymap.model.elements import (
    Action,
    Condition,
    Element,
    End,
    EventKind,
    EventMatch,
    Fork,
    Goal,
    Goto,
    Reentry,
    Split,
    Trigger,
    Wait,
)
from journeymap.model.loading import dump_map, load_map, parse_map
from journeymap.model.map import AutomationMap, Connector
from journeymap.model.validation import validate_map

__all__ = [
    "Action",
    "AutomationMap",
    "Condition",
    "Connector",
    "Element",
    "End",
    "EventKind",
    "EventMatch",
    "Fork",
    "Goal",
    "Goto",
    "Reentry",
    "Split",
    "Trigger",
    "Wait",
    "dump_map",
    "load_map",
    "parse_map",
    "validate_map",
]
