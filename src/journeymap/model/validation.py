"""Map validation: every rule in the order problems are reported, and the check itself."""

from __future__ import annotations

from journeymap.errors import MapInvalid, Problem
from journeymap.model.map import AutomationMap
from journeymap.model.rule import Rule
from journeymap.model.setting_rules import (
    ActionSettings,
    ConditionRule,
    EventSettings,
    TextValues,
    WaitSettings,
    WebhookUrl,
)
from journeymap.model.structure_rules import (
    ConditionBranches,
    DanglingConnector,
    DuplicateId,
    ForkBranches,
    GotoTarget,
    InstantLoop,
    MisplacedLabel,
    NoEntry,
    OutgoingCount,
    SelfLoop,
    SplitWeights,
    TriggerIncoming,
    Unreachable,
)

RULES: tuple[Rule, ...] = (
    TextValues(),
    DuplicateId(),
    DanglingConnector(),
    SelfLoop(),
    NoEntry(),
    TriggerIncoming(),
    ConditionBranches(),
    MisplacedLabel(),
    SplitWeights(),
    ForkBranches(),
    GotoTarget(),
    OutgoingCount(),
    Unreachable(),
    InstantLoop(),
    EventSettings(),
    WaitSettings(),
    ConditionRule(),
    ActionSettings(),
    WebhookUrl(),
)
"""Every rule, in the order problems are reported."""

RULE_CODES: frozenset[str] = frozenset(r.code for r in RULES)


def problems(m: AutomationMap) -> list[Problem]:
    """Every broken rule of a map, in rule order."""
    return [p for rule in RULES for p in rule.check(m)]


def validate_map(m: AutomationMap) -> AutomationMap:
    """Return the map if valid, else raise MapInvalid naming each problem."""
    found = problems(m)
    if found:
        raise MapInvalid(m.id, found)
    return m
