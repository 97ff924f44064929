"""Every figure of docs/metrics.md, per contact, over one report's cohort, from the fact rows."""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from reference.cohort import Ask, cohort, shown
from reference.facts import Achievement, Facts, Move

MICROSECOND = timedelta(microseconds=1)
MAX_STEPS = 10


@dataclass
class Tally:
    """One contact's deliveries from one element: counts, and the times the lists show."""

    queued: int = 0
    delivered: int = 0
    failed: int = 0
    delivered_at: list[datetime] = field(default_factory=list)
    waiting_since: list[datetime] = field(default_factory=list)
    failures: list[tuple[datetime, str]] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return self.queued - self.delivered - self.failed


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a funnel step: a recorded move or achievement."""

    seq: int
    element: str
    at: datetime


class Model:
    """The cohort's facts on the map, and each figure's contacts with their time and value."""

    def __init__(self, facts: Facts, ask: Ask) -> None:
        self.facts = facts
        self.ask = ask
        self.map = facts.maps[ask.map_id]
        self.members = cohort(facts, ask)
        self.moves = [
            m for m in facts.moves if m.map_id == ask.map_id and m.contact in self.members
        ]
        self.wins = [
            a for a in facts.achievements if a.map_id == ask.map_id and a.contact in self.members
        ]

    # --- visits and positions -------------------------------------------------------------------

    @cached_property
    def arrivals(self) -> dict[tuple[str, str], list[Move]]:
        """Each contact's arrivals at each element, in order."""
        out: dict[tuple[str, str], list[Move]] = defaultdict(list)
        for m in self.moves:
            if m.target is not None:
                out[m.contact, m.target].append(m)
        return out

    def visitors(self, element: str) -> list[str]:
        return sorted({c for (c, e) in self.arrivals if e == element})

    def first_arrival(self, contact: str, element: str) -> Move:
        return self.arrivals[contact, element][0]

    @cached_property
    def last_touch(self) -> dict[tuple[str, str], Move]:
        """The last move that arrived at or left each element, per contact."""
        out: dict[tuple[str, str], Move] = {}
        for m in self.moves:
            for element in {m.source, m.target} - {None}:
                out[m.contact, element] = m  # type: ignore[index]
        return out

    def here_now(self, contact: str, element: str) -> bool:
        last = self.last_touch.get((contact, element))
        return last is not None and last.target == element

    def moved_along(self, connector: str) -> dict[str, list[Move]]:
        out: dict[str, list[Move]] = defaultdict(list)
        for m in self.moves:
            if m.connector == connector:
                out[m.contact].append(m)
        return out

    def left_by_connector(self, element: str) -> set[str]:
        return {m.contact for m in self.moves if m.source == element and m.connector is not None}

    # --- email and page visits ------------------------------------------------------------------

    def email_events(self, element: str, event: str) -> dict[str, list[datetime]]:
        out: dict[str, list[datetime]] = defaultdict(list)
        for e in self.facts.emails:
            ours = (e.map_id, e.element, e.event) == (self.ask.map_id, element, event)
            if ours and e.contact in self.members:
                out[e.contact].append(e.at)
        return out

    @cached_property
    def deliveries(self) -> dict[tuple[str, str], Tally]:
        """Per (contact, element) of the map: its deliveries by their attempts. A failure counts
        until retried by hand; a delivery is pending while its latest attempt (if any) leaves it
        so, waiting since it was queued or last retried by hand; a still failed one keeps the
        time and error of its latest attempt."""
        attempts = defaultdict(list)
        for a in self.facts.attempts:
            attempts[a.delivery].append(a)
        out: dict[tuple[str, str], Tally] = defaultdict(Tally)
        for d in self.facts.deliveries:
            if d.map_id != self.ask.map_id or d.contact not in self.members:
                continue
            tally = out[d.contact, d.element]
            tried = attempts.get(d.id, [])
            tally.queued += 1
            tally.delivered += sum(1 for a in tried if a.outcome == "delivered")
            tally.failed += sum(1 for a in tried if a.outcome == "failed")
            tally.failed -= sum(1 for a in tried if a.status == "reopened")
            tally.delivered_at += [a.at for a in tried if a.outcome == "delivered"]
            last = tried[-1] if tried else None
            if last is None or last.outcome == "pending":
                reopened = [a.at for a in tried if a.status == "reopened"]
                tally.waiting_since.append(reopened[-1] if reopened else d.at)
            elif last.outcome == "failed":
                tally.failures.append((last.at, last.error or ""))
        return out

    def delivery_tallies(self, element: str) -> dict[str, Tally]:
        return {c: t for (c, e), t in self.deliveries.items() if e == element}

    def page_visits(self, pattern: str) -> tuple[int, int]:
        """Matching page visits in the date range with the filter's UTM, and their visitors."""
        hits = [
            p
            for p in self.facts.pages
            if fnmatch.fnmatchcase(p.url, pattern)
            and self.ask.in_range(p.at)
            and all(shown(p.utm.get(f)) == v for f, v in self.ask.utm.items())
        ]
        return len(hits), len({p.visitor for p in hits})

    # --- goals ----------------------------------------------------------------------------------

    def achievements_of(self, contact: str, goal: str | None) -> list[Achievement]:
        return [a for a in self.wins if a.contact == contact and (goal is None or a.goal == goal)]

    def achievers(self, goal: str | None) -> list[str]:
        return sorted({a.contact for a in self.wins if goal is None or a.goal == goal})

    def credits(self, contact: str, goal: str) -> dict[str | None, Fraction]:
        """The contact's credit for its first achievement of the goal, by element (None: it
        entered at the goal), under the ask's attribution model (docs/metrics.md)."""
        win = self.achievements_of(contact, goal)[0]
        path = [
            m
            for m in self.moves
            if m.contact == contact
            and m.entry == win.entry
            and m.seq < win.seq
            and m.target is not None
            and m.target != goal
        ]
        model = self.ask.attribution
        if model == "last" or not path:
            return {win.source: Fraction(1)}
        if model == "first":
            return {path[0].target: Fraction(1)}
        latest: dict[str | None, datetime] = {}
        for m in path:
            latest[m.target] = m.at
        if model == "linear":
            return {e: Fraction(1, len(latest)) for e in latest}
        assert model == "time-decay", model
        half_us = self.ask.half_life_days * 86_400 * 1_000_000
        weights = {}
        for e, at in latest.items():
            us = (win.at - at) // timedelta(microseconds=1)
            weights[e] = Fraction(1, 2 ** int(max(us, 0) // half_us))
        total = sum(weights.values())
        return {e: w / total for e, w in weights.items()}

    def reached_goal_after(self, contact: str, element: str, goal: str) -> Achievement | None:
        """The first achievement of the goal after the contact's first arrival at the element."""
        if (contact, element) not in self.arrivals:
            return None
        first = self.first_arrival(contact, element)
        later = [a for a in self.achievements_of(contact, goal) if a.seq > first.seq]
        return later[0] if later else None

    def spans_us(self, element: str, goal: str) -> dict[str, tuple[Achievement, int]]:
        """Per contact measured: the achievement and the microseconds from first arrival to it."""
        out = {}
        for contact in self.visitors(element):
            win = self.reached_goal_after(contact, element, goal)
            if win is not None:
                start = self.first_arrival(contact, element).at
                out[contact] = (win, (win.at - start) // MICROSECOND)
        return out

    # --- money ----------------------------------------------------------------------------------

    def spent(self, contact: str, since: datetime | None = None) -> Decimal:
        return sum(
            (
                p.amount
                for p in self.facts.purchases
                if p.contact == contact and (since is None or p.at >= since)
            ),
            Decimal("0.00"),
        )

    def amount_spent(self, contact: str, element: str) -> Decimal:
        since = self.first_arrival(contact, element).at if self.ask.after_arrival else None
        return self.spent(contact, since)

    # --- funnel ---------------------------------------------------------------------------------

    @cached_property
    def steps(self) -> tuple[str, ...]:
        return self.ask.steps or default_steps(self.map)

    @cached_property
    def step_of(self) -> dict[str, int]:
        """Each step element's step number: triggers listed one after another share one."""
        out: dict[str, int] = {}
        k = 0
        for i, element in enumerate(self.steps):
            kind = self.map.element(element).kind
            joins = i > 0 and kind == "trigger" and self.map.element(self.steps[i - 1]).kind == kind
            k = k if joins else k + 1
            out[element] = k
        return out

    def occurrences(self, contact: str) -> dict[int, list[Occurrence]]:
        """Every occurrence of every step: arrivals at its triggers, achievements of its goals."""
        out: dict[int, list[Occurrence]] = defaultdict(list)
        for element, k in self.step_of.items():
            if self.map.element(element).kind == "goal":
                found = [
                    Occurrence(a.seq, element, a.at) for a in self.achievements_of(contact, element)
                ]
            else:
                found = [
                    Occurrence(m.seq, element, m.at)
                    for m in self.arrivals.get((contact, element), [])
                ]
            out[k].extend(found)
        for found in out.values():
            found.sort(key=lambda o: o.seq)
        return out

    def funnel(self, contact: str) -> tuple[dict[int, Occurrence], dict[int, Occurrence]]:
        """The occurrence matched for each step reached, and the steps taken directly."""
        occ = self.occurrences(contact)
        matched: dict[int, Occurrence] = {}
        after = -1
        for k in range(1, max(self.step_of.values(), default=0) + 1):
            later = [o for o in occ.get(k, []) if o.seq > after]
            if not later:
                break
            matched[k] = later[0]
            after = later[0].seq
        direct = {}
        for k, found in occ.items():
            before = occ.get(k - 1, [])
            if k > 1 and found and (not before or before[0].seq > found[0].seq):
                direct[k] = found[0]
        return matched, direct


def default_steps(m: object) -> tuple[str, ...]:
    """Every trigger, then the goals reachable from them breadth-first, up to ten steps."""
    elements = m.elements  # type: ignore[attr-defined]
    connectors = m.connectors  # type: ignore[attr-defined]
    triggers = [e.id for e in elements if e.kind == "trigger"]
    kinds = {e.id: e for e in elements}
    steps, seen, todo = list(triggers), set(triggers), list(triggers)
    goals = 0
    while todo and goals < MAX_STEPS - 1:
        here = todo.pop(0)
        nxt = [c.target for c in connectors if c.source == here]
        if kinds[here].kind == "goto":
            nxt.append(kinds[here].spec["target"])
        for e in nxt:
            if e in seen:
                continue
            seen.add(e)
            todo.append(e)
            if kinds[e].kind == "goal" and goals < MAX_STEPS - 1:
                steps.append(e)
                goals += 1
    return tuple(steps)


def ratio(part: int | Fraction, whole: int) -> float | None:
    return None if not whole else float(Fraction(part) / whole)


def seconds(us: Fraction) -> float:
    return float(us / 1_000_000)


def quantile_us(spans: list[int], q: Fraction) -> Fraction:
    """Linear interpolation at rank (n - 1) * q of the sorted spans, exactly."""
    ordered = sorted(spans)
    rank = (len(ordered) - 1) * q
    lo = int(rank)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo)


def to_cents(amount: Decimal) -> int:
    return int(amount * 100)


def money(cents: int | Fraction) -> float:
    return float(Fraction(cents) / 100)
