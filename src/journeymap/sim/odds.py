"""How likely simulated contacts are to do each thing, and how long they take."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Odds:
    """Behaviour settings of the simulated audience (probabilities, means in days)."""

    anonymous_first: float = 0.45
    """Share of contacts who browse anonymously before signing up."""
    signup_delay_days: float = 1.5
    field_known: float = 0.6
    """Chance a contact gives, at sign-up, a field that a condition of its map reads."""
    enter: float = 0.85
    """Chance a contact fires its map's main trigger (sign-up triggers always fire)."""
    other_trigger: float = 0.10
    first_goal: float = 0.35
    next_goal: float = 0.50
    """Chance of reaching each further goal after the one before it."""
    goal_delay_days: float = 9.0
    visits_mean: float = 3.0
    return_by_campaign: float = 0.25
    visit_gap_days: float = 12.0
    buyer: float = 0.20
    repeat: float = 0.40
    purchase_gap_days: float = 40.0
    refund: float = 0.07
    open: float = 0.45
    click: float = 0.30
    unsubscribe: float = 0.02
