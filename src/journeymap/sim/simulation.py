"""The simulation loop: arrivals, planned steps, email reactions and due waits, in time order."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from journeymap.channels import Channel
from journeymap.clock import ManualClock, as_utc
from journeymap.engine import Engine, Event
from journeymap.errors import JourneymapError
from journeymap.model.map import AutomationMap
from journeymap.sim.arrivals import arrival_times
from journeymap.sim.book import SPAN, PlanBook, Record
from journeymap.sim.contact import DAY, Planner, SimContact, contact_ids
from journeymap.sim.doors import MapDoors
from journeymap.sim.emails import EmailReader, EmailStep
from journeymap.sim.odds import Odds

INF = float("inf")
FLUSH_EVERY = 250_000
"""Fact rows the engine buffers before writing: fewer, larger appends keep the summaries cheap."""


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a running simulation has got."""

    contacts: int
    total: int
    day: float
    days: int


@dataclass(frozen=True, slots=True)
class SimResult:
    """What a finished simulation did."""

    contacts: int
    events: int
    anonymous_visits: int
    emails_sent: int
    ticks: int
    end: datetime


class Simulation:
    """Simulated contacts driving a real engine over `days` days from `start`."""

    def __init__(
        self,
        engine: Engine,
        clock: ManualClock,
        maps: Sequence[AutomationMap],
        *,
        contacts: int,
        days: int,
        seed: int,
        start: datetime,
        odds: Odds | None = None,
        prefix: str = "",
        progress: Callable[[Progress], None] | None = None,
        flush_every: int = FLUSH_EVERY,
    ) -> None:
        if not maps:
            raise JourneymapError("the simulation needs at least one map", code="sim_no_map")
        if contacts < 0 or days < 1:
            raise JourneymapError(
                f"contacts must be >= 0 and days >= 1 (got {contacts}, {days})", code="sim_size"
            )
        self.engine = engine
        self.clock = clock
        self.doors = [MapDoors.of(m) for m in maps]
        self.total = contacts
        self.days = days
        self.start = as_utc(start)
        self.horizon = days * DAY
        self.rng = random.Random(seed)
        self.odds = odds or Odds()
        self.planner = Planner(self.rng, self.odds, self.horizon, prefix)
        self.progress = progress
        self.flush_every = flush_every
        self.prefix = prefix
        self._book = PlanBook()
        self._steps: list[Record] = []
        """The planned steps of the hours unpacked so far (the rest wait packed in the book)."""
        self._unpacked = 0
        """The first hour still packed."""
        self._fields: dict[int, dict[str, str]] = {}
        """Sign-up fields of contacts not signed up yet, by contact number."""
        self._heap: list[tuple[float, int, EmailStep]] = []
        self._order = itertools.count()
        self.reader = EmailReader(self.rng, self.odds, self.start, self.horizon, self._schedule)
        self.events = 0
        self.anonymous = 0
        self.ticks = 0

    def run(self) -> SimResult:
        """Run to the end of the period, persist everything, and say what happened."""
        engine = self.engine
        end = self.start + timedelta(days=self.days)
        with _simulated_inbox(engine):
            engine.listeners.append(self.reader)
            usual, engine.flush_every = engine.flush_every, self.flush_every
            try:
                self._loop()
            finally:
                engine.listeners.remove(self.reader)
                engine.flush_every = usual
            self.clock.set(end)
            engine.tick(end)
            engine.flush()
        self._report(self.total, self.horizon)
        return SimResult(
            self.total, self.events, self.anonymous, self.reader.sent, self.ticks + 1, end
        )

    def _loop(self) -> None:
        arrivals = arrival_times(self.rng, self.total, self.days, self.start)
        heap, steps, engine, start = self._heap, self._steps, self.engine, self.start
        next_arrival = next(arrivals, INF)
        arrived = 0
        next_report = DAY
        while True:
            t_step = min(heap[0][0] if heap else INF, steps[0][0] if steps else INF)
            due = engine.next_due()
            t_due = (due - start).total_seconds() if due is not None else INF
            t = min(t_step, t_due, next_arrival)
            if t >= self._unpacked * SPAN and self._unpacked <= self._book.last_hour():
                self._unpack()
                continue
            if t > self.horizon:
                return
            if t >= next_report:
                self._report(arrived, t)
                next_report = (t // DAY + 1) * DAY
            if due is not None and t_due == t:
                # time never runs backwards: a wait due earlier than now is released now
                when = max(due, self.clock.now())
                self.clock.set(when)
                engine.tick(when)
                self.ticks += 1
            elif next_arrival == t:
                home = self.doors[arrived % len(self.doors)]
                self._keep(self.planner.plan(arrived, t, home), arrived)
                arrived += 1
                next_arrival = next(arrivals, INF)
            else:
                when = start + timedelta(seconds=t)
                self.clock.set(when)
                if steps and steps[0][0] == t:
                    engine.apply(self._event(heapq.heappop(steps), when))
                else:
                    kind, contact_id, map_id, element_id = heapq.heappop(heap)[2]
                    engine.apply(
                        Event(kind, contact_id, when, map_id=map_id, element_id=element_id)
                    )
                self.events += 1

    def _keep(self, contact: SimContact, number: int) -> None:
        """Pack a new contact's plan away; steps of hours already unpacked go on the heap."""
        if contact.fields:
            self._fields[number] = contact.fields
        book, unpacked = self._book, self._unpacked * SPAN
        for index, (at, kind, a, b) in enumerate(contact.plan):
            record = book.record(at, number, index, kind, a, b)
            if at < unpacked:
                heapq.heappush(self._steps, record)
            else:
                book.keep(record)

    def _unpack(self) -> None:
        """Put the next packed hour's steps on the heap."""
        for record in self._book.take(self._unpacked):
            heapq.heappush(self._steps, record)
        self._unpacked += 1

    def _schedule(self, at: float, step: EmailStep) -> None:
        heapq.heappush(self._heap, (at, next(self._order), step))

    def _event(self, record: Record, when: datetime) -> Event:
        number = record[1]
        kind, a, b = self._book.step(record)
        if kind == "anonymous_visit":
            self.anonymous += 1
        contact = _Who(*contact_ids(self.prefix, number), None)
        if kind == "contact_created":
            contact = contact._replace(fields=self._fields.pop(number, None))
        return _BUILD[kind](contact, when, a, b)

    def _report(self, arrived: int, t: float) -> None:
        if self.progress is not None:
            self.progress(Progress(arrived, self.total, min(t, self.horizon) / DAY, self.days))


@contextmanager
def _simulated_inbox(engine: Engine) -> Iterator[None]:
    """The engine's channels deliver to the simulation (emails to its readers), never to an SMTP
    server or a webhook's receiver: their deliveries are settled as `simulated`, delivered."""
    with ExitStack() as stack:
        for listener in engine.listeners:
            if isinstance(listener, Channel):
                stack.enter_context(listener.simulating())
        yield


def _text(b: object) -> str | None:
    return None if b is None else str(b)


def _utm(b: object) -> dict[str, str]:
    return b if isinstance(b, dict) else {}


def _money(b: object) -> Decimal | None:
    return b if isinstance(b, Decimal) else None


class _Who(NamedTuple):
    """Who a planned step is of: the contact, its visitor id, and (on sign-up) its fields."""

    contact_id: str
    visitor_id: str
    fields: dict[str, str] | None


_Build = Callable[[_Who, datetime, str | None, object], Event]

_BUILD: dict[str, _Build] = {
    "anonymous_visit": lambda c, at, a, b: Event(
        "page_visited", None, at, url=a, visitor_id=c.visitor_id, utm=_utm(b)
    ),
    "contact_created": lambda c, at, _a, b: Event(
        "contact_created", c.contact_id, at, utm=_utm(b), fields=c.fields or {}
    ),
    "page_visited": lambda c, at, a, b: Event(
        "page_visited", c.contact_id, at, url=a, visitor_id=c.visitor_id, utm=_utm(b)
    ),
    "purchase": lambda c, at, a, b: Event(
        "purchase", c.contact_id, at, product=a, amount=_money(b)
    ),
    "tag_added": lambda c, at, a, _b: Event("tag_added", c.contact_id, at, tag=a),
    "tag_removed": lambda c, at, a, _b: Event("tag_removed", c.contact_id, at, tag=a),
    "field_updated": lambda c, at, a, b: Event(
        "field_updated", c.contact_id, at, field=a, value=_text(b)
    ),
    "form_submitted": lambda c, at, a, _b: Event("form_submitted", c.contact_id, at, form=a),
    "added_manually": lambda c, at, a, _b: Event("added_manually", c.contact_id, at, map_id=a),
}
"""The engine event for each planned kind, from the contact, the time and the step's settings."""
