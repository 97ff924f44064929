"""Simulated readers: they open, click and unsubscribe from the emails the engine really sent."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime

from journeymap.engine.intake import is_unsubscribed
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.sim.odds import Odds
from journeymap.store.facts import FactBatch

EmailStep = tuple[str, str, str, str]
"""An email reaction: (event kind, contact id, map id, send-email element id)."""

_TYPICAL_OPEN_DELAY = math.log(3 * 3600.0)


class EmailReader:
    """An engine listener: for each email sent, schedules the reader's reactions."""

    def __init__(
        self,
        rng: random.Random,
        odds: Odds,
        start: datetime,
        horizon: float,
        schedule: Callable[[float, EmailStep], None],
    ) -> None:
        self.rng = rng
        self.odds = odds
        self.start = start
        self.horizon = horizon
        self.schedule = schedule
        self.sent = 0

    def __call__(self, effect: Effect, profile: Profile, _batch: FactBatch) -> None:
        if effect.spec.type != "send_email" or is_unsubscribed(profile):
            return
        self.sent += 1
        rng, odds = self.rng, self.odds
        if rng.random() >= odds.open:
            return
        sent = (effect.at - self.start).total_seconds()
        opened = sent + rng.lognormvariate(_TYPICAL_OPEN_DELAY, 1.0)
        if opened > self.horizon:
            return
        key = (effect.contact_id, effect.map_id, effect.element_id)
        self.schedule(opened, ("email_opened", *key))
        if rng.random() < odds.click:
            self.schedule(opened + rng.expovariate(1 / 90), ("email_clicked", *key))
        elif rng.random() < odds.unsubscribe:
            self.schedule(opened + rng.expovariate(1 / 60), ("email_unsubscribed", *key))
