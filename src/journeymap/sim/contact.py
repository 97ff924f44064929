"""One simulated contact's plan, drawn when the contact arrives: visits, sign-up, doors, buys."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from journeymap.sim.doors import MapDoors, Step, field_value, step_for
from journeymap.sim.odds import Odds
from journeymap.sim.traffic import WELCOME_URL, amount, page_url, pick_product, pick_utm

DAY = 86_400.0

Planned = tuple[float, str, str | None, object]
"""A planned step: (seconds since the start, event kind, main setting, second setting)."""


@dataclass(slots=True)
class SimContact:
    """A contact on its way: who it is and its planned steps, in time order."""

    contact_id: str
    visitor_id: str
    utm: dict[str, str]
    plan: list[Planned]
    fields: dict[str, str] | None = None


def contact_ids(prefix: str, number: int) -> tuple[str, str]:
    """The contact id and visitor id of the contact numbered `number`."""
    return f"{prefix}c{number:07d}", f"{prefix}v{number:07d}"


class Planner:
    """Draws each arriving contact's plan from the odds and the doors of its home map."""

    def __init__(self, rng: random.Random, odds: Odds, horizon: float, prefix: str) -> None:
        self.rng = rng
        self.odds = odds
        self.horizon = horizon
        self.prefix = prefix

    def plan(self, number: int, arrived: float, home: MapDoors) -> SimContact:
        """The contact numbered `number`, first seen at `arrived`, aimed at map `home`."""
        rng, odds = self.rng, self.odds
        utm = pick_utm(rng)
        contact = SimContact(*contact_ids(self.prefix, number), utm, [])
        steps: list[Planned] = []
        signup = arrived
        if rng.random() < odds.anonymous_first:
            signup = arrived + rng.expovariate(1 / (odds.signup_delay_days * DAY))
            if signup > self.horizon:  # every simulated contact signs up within the period
                signup = rng.uniform(arrived, self.horizon)
            steps.append((arrived, "anonymous_visit", page_url(rng), utm))
            for _ in range(_count(rng, 1.0)):
                steps.append((rng.uniform(arrived, signup), "anonymous_visit", page_url(rng), None))
        contact.fields = self._fields(home)
        steps.append((signup, "contact_created", None, utm))
        steps.append((signup + 1, "page_visited", WELCOME_URL, None))
        entered = signup + rng.expovariate(1 / 3600)
        self._doors(steps, home, entered)
        self._visits(steps, signup)
        self._purchases(steps, signup + rng.expovariate(1 / (odds.purchase_gap_days * DAY)))
        # a stable sort: on ties, the first planned comes first
        contact.plan = sorted((s for s in steps if s[0] <= self.horizon), key=itemgetter(0))
        return contact

    def _fields(self, home: MapDoors) -> dict[str, str] | None:
        """Sign-up fields that the home map's conditions read: some hold, some do not."""
        fields: dict[str, str] = {}
        for rule in home.field_rules:
            if rule.field is not None and self.rng.random() < self.odds.field_known:
                value = field_value(rule, self.rng.random() < 0.5, self.rng)
                if value is not None:
                    fields[rule.field] = value
        return fields or None

    def _doors(self, steps: list[Planned], home: MapDoors, entered: float) -> None:
        rng, odds = self.rng, self.odds
        fired = [d for d in home.triggers if step_for(d.match, home.map_id, rng) is not None]
        main = rng.choice(fired) if fired else None
        for door in home.triggers:
            if door is main:
                chance = odds.enter
            elif door in fired:
                chance = odds.other_trigger
            else:
                continue
            if rng.random() < chance:
                self._add(steps, entered, step_for(door.match, home.map_id, rng))
        chance, at = odds.first_goal, entered
        for goal in home.goals:
            if rng.random() >= chance:
                break
            at += rng.expovariate(1 / (odds.goal_delay_days * DAY))
            self._add(steps, at, step_for(goal.match, home.map_id, rng))
            chance = odds.next_goal

    def _add(self, steps: list[Planned], at: float, step: Step | None) -> None:
        if step is None:
            return
        kind, a, b = step
        steps.append((at, kind, a, b))
        if kind == "purchase" and a is not None and isinstance(b, Decimal):
            self._maybe_refund(steps, at, a, b)

    def _visits(self, steps: list[Planned], signup: float) -> None:
        rng, odds = self.rng, self.odds
        at = signup
        for _ in range(_count(rng, odds.visits_mean)):
            at += rng.expovariate(1 / (odds.visit_gap_days * DAY))
            utm = pick_utm(rng) if rng.random() < odds.return_by_campaign else None
            steps.append((at, "page_visited", page_url(rng), utm))

    def _purchases(self, steps: list[Planned], first: float) -> None:
        rng, odds = self.rng, self.odds
        if rng.random() >= odds.buyer:
            return
        at = first
        while True:
            product = pick_product(rng)
            paid = amount(rng, product.price)
            steps.append((at, "purchase", product.name, paid))
            self._maybe_refund(steps, at, product.name, paid)
            if rng.random() >= odds.repeat:
                return
            at += rng.expovariate(1 / (odds.purchase_gap_days * DAY))

    def _maybe_refund(self, steps: list[Planned], at: float, product: str, paid: Decimal) -> None:
        if self.rng.random() < self.odds.refund:
            back = at + self.rng.uniform(1, 30) * DAY
            steps.append((back, "purchase", product, -paid))


def _count(rng: random.Random, mean: float) -> int:
    """A geometric count with the given mean (zero allowed)."""
    stop = 1 / (1 + mean)
    n = 0
    while rng.random() >= stop:
        n += 1
    return n
