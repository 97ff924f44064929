"""The movement rules of docs/maps.md, as a function of state and input with no I/O.

`step` reads the compiled map, the contact's profile and positions on that map, and one event or
tick; it updates the positions (and the profile, for tag and field actions) in place and returns
the facts to record. Time comes only from the event or tick; sequence numbers from `Seq`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from journeymap.engine.compiled import CompiledMap, matches
from journeymap.engine.conditions import evaluate, same_value
from journeymap.engine.events import Event, Tick
from journeymap.engine.schedule import due_time
from journeymap.engine.state import MapState, Position, Profile
from journeymap.model.elements import (
    Action,
    ActionSpec,
    Condition,
    End,
    EventKind,
    Goal,
    Goto,
    Reentry,
    Trigger,
    Wait,
)
from journeymap.model.values import value_text


class Seq:
    """Hands out increasing sequence numbers: the order of every move and achievement."""

    __slots__ = ("last",)

    def __init__(self, last: int = 0) -> None:
        self.last = last

    def next(self) -> int:
        self.last += 1
        return self.last


@dataclass(frozen=True, slots=True)
class Effect:
    """An action that ran, for the shell to carry out beyond the map (email, tags, other maps)."""

    map_id: str
    element_id: str
    contact_id: str
    spec: ActionSpec
    at: datetime
    changed: bool = True
    cause: Event | Tick | None = None
    """What moved the contact to the action: an event, or the tick that released a wait."""


@dataclass(slots=True)
class Outcome:
    """Facts produced by one step, rows in journeymap.store.facts.TABLES order."""

    transitions: list[tuple[Any, ...]] = field(default_factory=list)
    entries: list[tuple[Any, ...]] = field(default_factory=list)
    achievements: list[tuple[Any, ...]] = field(default_factory=list)
    waits: list[tuple[Any, ...]] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


def step(
    cmap: CompiledMap, state: MapState, profile: Profile, signal: Event | Tick, seq: Seq
) -> Outcome:
    """Apply one event or tick to one contact on one map."""
    if isinstance(signal, Tick):
        run = _Run(cmap, state, profile, seq, signal.now, signal)
        run.release_due()
    else:
        run = _Run(cmap, state, profile, seq, signal.at, signal)
        run.on_event(signal)
    return run.outcome


def remove_from_map(
    cmap: CompiledMap, state: MapState, profile: Profile, at: datetime, seq: Seq
) -> Outcome:
    """Take the contact off the map: an exit move from every position it holds."""
    run = _Run(cmap, state, profile, seq, at)
    for pos in sorted(state.positions.values(), key=lambda p: p.arrived_seq):
        run.move(pos, None, None, "exit")
    return run.outcome


def split_bucket(contact_id: str, element_id: str) -> int:
    """A stable number in [0, 100) for a contact at a split: the same on every run."""
    digest = hashlib.blake2b(f"{contact_id}\x00{element_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 100


class _Run:
    """One application of the rules; collects the facts in `outcome`."""

    def __init__(
        self,
        cmap: CompiledMap,
        state: MapState,
        profile: Profile,
        seq: Seq,
        at: datetime,
        cause: Event | Tick | None = None,
    ) -> None:
        self.cmap = cmap
        self.cause = cause
        self.state = state
        self.profile = profile
        self.seq = seq
        self.at = at
        self.outcome = Outcome()
        self._todo: list[Position] = []
        self._before_event = seq.last
        # goals and waits each position's path passed in this run, by the position's arrived_seq:
        # coming round a loop to one of them again, the contact stops there, so no run is endless
        self._passed: dict[int, frozenset[str]] = {}

    # --- inputs -------------------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        # a goal is never achieved by the event that brought the contact to where it sits
        self._before_event = self.seq.last
        for trigger in self.cmap.triggers_by_event.get(event.kind, ()):
            if matches(trigger.event, event, self.cmap.id) and self._may_enter(trigger):
                self._process(self.enter(trigger.id))
        for goal in self.cmap.goals_by_event.get(event.kind, ()):
            if matches(goal.event, event, self.cmap.id):
                self.achieve(goal)

    def release_due(self) -> None:
        due = [
            p
            for p in self.state.positions.values()
            if p.due_at is not None
            and p.due_at <= self.at
            and p.arrived_at < self.at  # held by a loop at this very moment: the next tick
            and self._still_a_wait(p.element_id)
        ]
        for pos in sorted(due, key=lambda p: (p.due_at, p.arrived_seq)):
            if self.state.positions.get(pos.element_id) is pos:
                self._pass(pos)
                self._follow_single(pos)
                self._drain()

    def _still_a_wait(self, element_id: str) -> bool:
        """A later map version may have deleted the wait: its contacts then stay where they are."""
        element = self.cmap.elements.get(element_id)
        return isinstance(element, Wait) and len(self.cmap.outgoing.get(element_id, ())) == 1

    # --- moves ----------------------------------------------------------------------------------

    def _may_enter(self, trigger: Trigger) -> bool:
        if trigger.reentry is Reentry.always:
            return True
        if trigger.reentry is Reentry.once:
            return self.state.entries == 0
        return not self.state.on_map

    def enter(self, element_id: str) -> Position:
        """A new entry at a trigger or goal."""
        entry_id = self.seq.next()
        self.state.entries += 1
        self.outcome.entries.append(
            (entry_id, self.cmap.id, self.profile.contact_id, element_id, self.at)
        )
        return self._record(entry_id, entry_id, None, element_id, None, "enter")

    def move(
        self, pos: Position, to_id: str | None, connector_id: str | None, kind: str
    ) -> Position | None:
        """Move the contact off `pos` to another element (or off the map when `to_id` is None)."""
        if self.state.positions.get(pos.element_id) is pos:
            del self.state.positions[pos.element_id]
        seq = self.seq.next()
        if to_id is None:
            self._passed.pop(pos.arrived_seq, None)
            self.outcome.transitions.append(
                (
                    seq,
                    self.profile.contact_id,
                    self.cmap.id,
                    pos.entry_id,
                    pos.element_id,
                    None,
                    None,
                    kind,
                    self.at,
                )
            )
            return None
        nxt = self._record(seq, pos.entry_id, pos.element_id, to_id, connector_id, kind)
        passed = self._passed.get(pos.arrived_seq)
        if passed:
            self._passed[seq] = passed
        return nxt

    def _pass(self, pos: Position) -> None:
        """Note that this position's path passed its element (a goal or a wait) in this run."""
        self._passed[pos.arrived_seq] = self._passed.get(pos.arrived_seq, frozenset()) | {
            pos.element_id
        }

    def _passed_before(self, pos: Position) -> bool:
        return pos.element_id in self._passed.get(pos.arrived_seq, ())

    def _record(
        self,
        seq: int,
        entry_id: int,
        from_id: str | None,
        to_id: str,
        connector_id: str | None,
        kind: str,
    ) -> Position:
        self.outcome.transitions.append(
            (
                seq,
                self.profile.contact_id,
                self.cmap.id,
                entry_id,
                from_id,
                to_id,
                connector_id,
                kind,
                self.at,
            )
        )
        pos = Position(to_id, entry_id, seq, self.at, from_id)
        self.state.positions[to_id] = (
            pos  # positions are a set: arriving where it already sits merges
        )
        return pos

    def achieve(self, goal: Goal) -> None:
        """The contact did what the goal listens for: pull it there, or let it enter there."""
        positions = self.state.positions
        before = self._before_event
        waiting = positions.get(goal.id)
        if waiting is not None and (waiting.achieved or waiting.arrived_seq > before):
            waiting = None
        upstream = self.cmap.upstream.get(goal.id, frozenset())
        pulled = [
            p for p in positions.values() if p.element_id in upstream and p.arrived_seq <= before
        ]
        if waiting is None and not pulled:
            if positions:
                return  # on the map, but nowhere the goal could pull from
            pos = self.enter(goal.id)
            self._achieved(pos, None)
            self._drain()
            return
        sources = sorted([*([waiting] if waiting else []), *pulled], key=lambda p: p.arrived_seq)
        first = sources[0]
        came_from = first.came_from if first is waiting else first.element_id
        entry_id = first.entry_id
        at_goal = waiting
        for p in sorted(pulled, key=lambda p: p.arrived_seq):
            at_goal = self.move(p, goal.id, None, "pull")
        assert at_goal is not None
        at_goal.entry_id = entry_id
        self._achieved(at_goal, came_from)
        self._drain()

    def _achieved(self, pos: Position, came_from: str | None) -> None:
        self.outcome.achievements.append(
            (
                self.seq.next(),
                self.profile.contact_id,
                self.cmap.id,
                pos.element_id,
                pos.entry_id,
                came_from,
                self.at,
            )
        )
        pos.achieved = True
        self._pass(pos)
        self._leave(pos)

    # --- what each kind does when a contact arrives ---------------------------------------------

    def _process(self, pos: Position) -> None:
        self._todo.append(pos)
        self._drain()

    def _drain(self) -> None:
        while self._todo:
            pos = self._todo.pop()
            if self.state.positions.get(pos.element_id) is not pos:
                continue  # merged into a later arrival, or already moved on
            element = self.cmap.elements[pos.element_id]
            _ARRIVE[element.kind](self, pos, element)

    def _leave(self, pos: Position) -> None:
        """Pass on from a goal after it is achieved; stay when nothing follows it."""
        if self.cmap.outgoing.get(pos.element_id):
            self._follow_single(pos)

    def _follow(self, pos: Position, connector_id: str, to_id: str) -> None:
        nxt = self.move(pos, to_id, connector_id, "flow")
        if nxt is not None:
            self._todo.append(nxt)

    def _follow_single(self, pos: Position) -> None:
        (c,) = self.cmap.outgoing[pos.element_id]
        self._follow(pos, c.id, c.to)

    def _arrive_trigger(self, pos: Position, element: Any) -> None:
        self._follow_single(pos)

    def _arrive_goal(self, pos: Position, goal: Goal) -> None:
        if not pos.achieved and not self._passed_before(pos) and _already_true(goal, self.profile):
            self._achieved(pos, pos.came_from)
        # otherwise the contact waits here until it achieves the goal (also when its path already
        # passed this goal in this run: a loop through a goal that holds goes round once)

    def _arrive_action(self, pos: Position, action: Action) -> None:
        spec = action.action
        changed = True
        if spec.type == "add_tag":
            changed = spec.tag not in self.profile.tags
            self.profile.tags.add(spec.tag)
        elif spec.type == "remove_tag":
            changed = spec.tag in self.profile.tags
            self.profile.tags.discard(spec.tag)
        elif spec.type == "update_field":
            value = value_text(spec.value)
            changed = self.profile.fields.get(spec.field) != value
            self.profile.fields[spec.field] = value
        self.outcome.effects.append(
            Effect(
                self.cmap.id, action.id, self.profile.contact_id, spec, self.at, changed, self.cause
            )
        )
        self._follow_single(pos)

    def _arrive_wait(self, pos: Position, wait: Wait) -> None:
        due = due_time(wait, pos.arrived_at)
        if due <= self.at and not self._passed_before(pos):
            self._pass(pos)
            self._follow_single(pos)
            return
        # held until due; a loop back to a wait passed at once in this run waits for the next tick
        pos.due_at = due
        self.outcome.waits.append(
            (self.profile.contact_id, self.cmap.id, wait.id, pos.entry_id, pos.arrived_seq, due)
        )

    def _arrive_condition(self, pos: Position, cond: Condition) -> None:
        label = "yes" if evaluate(cond.rule, self.profile) else "no"
        c = next(c for c in self.cmap.outgoing[cond.id] if c.label == label)
        self._follow(pos, c.id, c.to)

    def _arrive_split(self, pos: Position, element: Any) -> None:
        bucket = split_bucket(self.profile.contact_id, element.id)
        upto = 0
        out = self.cmap.outgoing[element.id]
        for c in out:
            upto += c.weight or 0
            if bucket < upto:
                self._follow(pos, c.id, c.to)
                return
        self._follow(pos, out[-1].id, out[-1].to)

    def _arrive_fork(self, pos: Position, element: Any) -> None:
        # every branch leaves the same fork position, moves recorded in connector order; pushed
        # reversed so the first branch runs first
        out = self.cmap.outgoing[element.id]
        branches = [self.move(pos, c.to, c.id, "flow") for c in out]
        self._todo.extend(b for b in reversed(branches) if b is not None)

    def _arrive_goto(self, pos: Position, goto: Goto) -> None:
        nxt = self.move(pos, goto.target, None, "goto")
        if nxt is not None:
            self._todo.append(nxt)

    def _arrive_end(self, pos: Position, end: End) -> None:
        if end.exit:
            self.move(pos, None, None, "exit")


def _already_true(goal: Goal, profile: Profile) -> bool:
    """A goal on a contact state that already holds is achieved on arrival, not waited for."""
    ev = goal.event
    if ev.on is EventKind.tag_added and ev.tag is not None:
        return ev.tag in profile.tags
    if ev.on is EventKind.tag_removed and ev.tag is not None:
        return ev.tag not in profile.tags
    if ev.on is EventKind.field_updated and ev.field is not None:
        have = profile.fields.get(ev.field)
        return have is not None and (ev.value is None or same_value(ev.value, have))
    return False


_ARRIVE: dict[str, Callable[[_Run, Position, Any], None]] = {
    "trigger": _Run._arrive_trigger,
    "goal": _Run._arrive_goal,
    "action": _Run._arrive_action,
    "wait": _Run._arrive_wait,
    "condition": _Run._arrive_condition,
    "split": _Run._arrive_split,
    "fork": _Run._arrive_fork,
    "goto": _Run._arrive_goto,
    "end": _Run._arrive_end,
}
"""What happens on arrival, by element kind."""
