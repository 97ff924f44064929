"""Validation rules for maps. Each rule has a stable code and names what it concerns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, ClassVar

from journeymap import dates
from journeymap.errors import MapInvalid, Problem
from journeymap.model.addresses import address_problem
from journeymap.model.elements import (
    Action,
    Condition,
    End,
    EventKind,
    EventMatch,
    Fork,
    Goal,
    Goto,
    Notify,
    Split,
    Trigger,
    Wait,
    Webhook,
)
from journeymap.model.limits import BODY, ID, LINE, NAME, URL, VALUE, TextKind
from journeymap.model.map import AutomationMap
from journeymap.model.urls import url_problem

INSTANT_KINDS = frozenset({"action", "condition", "split", "fork", "goto"})
"""Kinds a contact passes through at once; a loop made only of these never ends."""

MAX_WAIT = timedelta(days=3650)
"""The longest duration a wait may have (ten years)."""


class Rule:
    """One validation rule."""

    code: ClassVar[str]

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        raise NotImplementedError

    def problem(
        self, message: str, *, element: str | None = None, connector: str | None = None
    ) -> Problem:
        return Problem(self.code, message, element_id=element, connector_id=connector)


class DuplicateId(Rule):
    code = "duplicate_id"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        seen: set[str] = set()
        for e in m.elements:
            if e.id in seen:
                yield self.problem(f"element id {e.id!r} is used twice", element=e.id)
            seen.add(e.id)
        for c in m.connectors:
            if c.id in seen:
                yield self.problem(f"connector id {c.id!r} is already used", connector=c.id)
            seen.add(c.id)


class DanglingConnector(Rule):
    code = "dangling_connector"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for c in m.connectors:
            for end, ref in (("from", c.from_), ("to", c.to)):
                if ref not in m.element_by_id:
                    yield self.problem(
                        f"connector {c.id!r} {end} unknown element {ref!r}", connector=c.id
                    )


class SelfLoop(Rule):
    code = "self_loop"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for c in m.connectors:
            if c.from_ == c.to:
                yield self.problem(f"connector {c.id!r} joins {c.to!r} to itself", connector=c.id)


class NoEntry(Rule):
    code = "no_entry"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        if not any(isinstance(e, Trigger | Goal) for e in m.elements):
            yield self.problem("the map has no trigger and no goal, so no contact can enter")


class TriggerIncoming(Rule):
    code = "trigger_incoming"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if isinstance(e, Trigger):
                for c in m.incoming.get(e.id, []):
                    yield self.problem(
                        f"trigger {e.id!r} has incoming connector {c.id!r}; triggers are entry "
                        "doors only",
                        element=e.id,
                        connector=c.id,
                    )


class ConditionBranches(Rule):
    code = "condition_branches"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Condition):
                continue
            labels = sorted(str(c.label) for c in m.outgoing.get(e.id, []))
            if labels != ["no", "yes"]:
                yield self.problem(
                    f"condition {e.id!r} needs exactly one 'yes' and one 'no' connector, "
                    f"has {labels or 'none'}",
                    element=e.id,
                )


class MisplacedLabel(Rule):
    code = "misplaced_label"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for c in m.connectors:
            source = m.element_by_id.get(c.from_)
            if source is None:
                continue
            if c.label is not None and not isinstance(source, Condition):
                yield self.problem(
                    f"connector {c.id!r} has label {c.label!r} but leaves {source.kind} "
                    f"{source.id!r}; only condition connectors are labelled yes/no",
                    connector=c.id,
                )
            if c.weight is not None and not isinstance(source, Split):
                yield self.problem(
                    f"connector {c.id!r} has a weight but leaves {source.kind} {source.id!r}; "
                    "only split connectors carry weights",
                    connector=c.id,
                )


class SplitWeights(Rule):
    code = "split_weights"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Split):
                continue
            out = m.outgoing.get(e.id, [])
            if len(out) < 2:
                yield self.problem(f"split {e.id!r} needs at least two connectors", element=e.id)
                continue
            missing = [c.id for c in out if c.weight is None or c.weight <= 0]
            if missing:
                yield self.problem(
                    f"split {e.id!r}: connectors {missing} need a positive weight",
                    element=e.id,
                )
                continue
            total = sum(c.weight or 0 for c in out)
            if total != 100:
                yield self.problem(f"split {e.id!r}: weights sum to {total}, not 100", element=e.id)


class ForkBranches(Rule):
    code = "fork_branches"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if isinstance(e, Fork) and len(m.outgoing.get(e.id, [])) < 2:
                yield self.problem(f"fork {e.id!r} needs at least two connectors", element=e.id)


class GotoTarget(Rule):
    code = "goto_target"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Goto):
                continue
            target = m.element_by_id.get(e.target)
            if target is None:
                yield self.problem(
                    f"goto {e.id!r} targets unknown element {e.target!r}", element=e.id
                )
            elif target.id == e.id:
                yield self.problem(f"goto {e.id!r} targets itself", element=e.id)
            elif isinstance(target, Trigger | Goal):
                yield self.problem(
                    f"goto {e.id!r} targets {target.kind} {target.id!r}; a goto may not jump to "
                    "a trigger or a goal",
                    element=e.id,
                )


class OutgoingCount(Rule):
    """End and goto have no way out; single-path kinds have at most one; passing kinds need one."""

    code = "outgoing_count"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            out = m.outgoing.get(e.id, [])
            if isinstance(e, End | Goto) and out:
                yield self.problem(
                    f"{e.kind} {e.id!r} cannot have outgoing connectors", element=e.id
                )
            elif isinstance(e, Trigger | Goal | Action | Wait) and len(out) > 1:
                yield self.problem(
                    f"{e.kind} {e.id!r} has {len(out)} outgoing connectors; use a fork, split or "
                    "condition to branch",
                    element=e.id,
                )
            elif isinstance(e, Trigger | Action | Wait) and not out:
                yield self.problem(
                    f"{e.kind} {e.id!r} leads nowhere; connect it or end the path with an end "
                    "element",
                    element=e.id,
                )


class Unreachable(Rule):
    code = "unreachable"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        reached = reachable_from(m, [e.id for e in m.elements if isinstance(e, Trigger | Goal)])
        for e in m.elements:
            if e.id not in reached:
                yield self.problem(
                    f"{e.kind} {e.id!r} is not reached from any trigger or goal", element=e.id
                )


class InstantLoop(Rule):
    code = "instant_loop"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        instant = {e.id for e in m.elements if e.kind in INSTANT_KINDS}
        edges = {eid: [t for t in successors(m, eid) if t in instant] for eid in instant}
        done: set[str] = set()
        reported: set[str] = set()
        # depth-first with an explicit stack: a chain of thousands of elements must not recurse
        for start in sorted(instant):
            if start in done:
                continue
            path = [start]
            on_path = {start}
            todo = [iter(edges[start])]
            while todo:
                nxt = next(todo[-1], None)
                if nxt is None:
                    todo.pop()
                    node = path.pop()
                    on_path.discard(node)
                    done.add(node)
                elif nxt in on_path:
                    loop = path[path.index(nxt) :]
                    if not reported.intersection(loop):
                        reported.update(loop)
                        yield self.problem(
                            f"elements {loop} form a loop with no wait or goal; a contact "
                            "would cycle forever",
                            element=nxt,
                        )
                elif nxt not in done:
                    path.append(nxt)
                    on_path.add(nxt)
                    todo.append(iter(edges[nxt]))


class EventSettings(Rule):
    code = "event_settings"
    _needs: ClassVar[dict[EventKind, str]] = {
        EventKind.tag_added: "tag",
        EventKind.tag_removed: "tag",
        EventKind.field_updated: "field",
        EventKind.form_submitted: "form",
        EventKind.page_visited: "url_pattern",
    }
    _applies: ClassVar[dict[str, tuple[EventKind, ...]]] = {
        "tag": (EventKind.tag_added, EventKind.tag_removed),
        "field": (EventKind.field_updated,),
        "value": (EventKind.field_updated,),
        "form": (EventKind.form_submitted,),
        "url_pattern": (EventKind.page_visited, EventKind.email_clicked),
        "product": (EventKind.purchase,),
        "email": (EventKind.email_opened, EventKind.email_clicked),
    }
    """Events each narrowing setting can match; on any other event it would never fire."""

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Trigger | Goal):
                continue
            yield from self._check_event(m, e.id, e.kind, e.event)
            for setting, kinds in self._applies.items():
                if getattr(e.event, setting) is not None and e.event.on not in kinds:
                    yield self.problem(
                        f"{e.kind} {e.id!r} on {e.event.on}: setting {setting!r} applies only to "
                        f"{' and '.join(kinds)} events, so it would never fire",
                        element=e.id,
                    )

    def _check_event(
        self, m: AutomationMap, eid: str, kind: str, ev: EventMatch
    ) -> Iterator[Problem]:
        needed = self._needs.get(ev.on)
        if needed is not None and getattr(ev, needed) in (None, ""):
            yield self.problem(f"{kind} {eid!r} on {ev.on} needs {needed!r}", element=eid)
        if ev.email is not None:
            target = m.element_by_id.get(ev.email)
            if not (isinstance(target, Action) and target.action.type == "send_email"):
                yield self.problem(
                    f"{kind} {eid!r} refers to email {ev.email!r}, which is not a send-email "
                    "element of this map",
                    element=eid,
                )


class WaitSettings(Rule):
    code = "wait_settings"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Wait):
                continue
            modes = [
                e.duration is not None,
                e.until is not None,
                e.weekday is not None or e.time_of_day is not None,
            ]
            if sum(modes) != 1:
                yield self.problem(
                    f"wait {e.id!r} needs exactly one of: duration, until, or weekday/time_of_day",
                    element=e.id,
                )
            if e.duration is not None and e.duration < timedelta(0):
                yield self.problem(f"wait {e.id!r} has a negative duration", element=e.id)
            if e.duration is not None and e.duration > MAX_WAIT:
                yield self.problem(
                    f"wait {e.id!r} lasts {e.duration.days:,} days; a wait lasts at most "
                    f"{MAX_WAIT.days:,} days",
                    element=e.id,
                )
            if e.until is not None:
                try:
                    dates.instant(e.until)
                except dates.DateRejected as exc:
                    yield self.problem(f"wait {e.id!r} until: {exc}", element=e.id)
            try:
                dates.zone(e.timezone)
            except dates.DateRejected as exc:
                yield self.problem(f"wait {e.id!r} has {exc}", element=e.id)


class ConditionRule(Rule):
    code = "condition_rule"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Condition):
                continue
            r = e.rule
            subjects = [r.tag is not None, r.field is not None, r.utm is not None]
            if sum(subjects) != 1:
                yield self.problem(
                    f"condition {e.id!r} rule needs exactly one of tag, field or utm",
                    element=e.id,
                )
            elif r.tag is not None and r.op not in ("has", "not_has"):
                yield self.problem(
                    f"condition {e.id!r}: a tag rule takes op 'has' or 'not_has', not {r.op!r}",
                    element=e.id,
                )
            elif r.tag is None and r.op in ("has", "not_has"):
                yield self.problem(
                    f"condition {e.id!r}: op {r.op!r} applies to tags only", element=e.id
                )
            elif r.tag is None and r.op != "exists" and r.value is None:
                yield self.problem(f"condition {e.id!r}: op {r.op!r} needs a value", element=e.id)


class ActionSettings(Rule):
    code = "action_settings"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if not isinstance(e, Action):
                continue
            spec = e.action
            if (
                spec.type in ("add_to_map", "remove_from_map")
                and getattr(spec, "map_id", None) == m.id
            ):
                yield self.problem(
                    f"action {e.id!r} would {spec.type.replace('_', ' ')} its own map",
                    element=e.id,
                )
            if isinstance(spec, Notify):
                for address in spec.recipients():
                    problem = address_problem(address)
                    if problem is not None:
                        yield self.problem(
                            f"action {e.id!r}: notify to {address!r} is not an email address: "
                            f"{problem}",
                            element=e.id,
                        )


class WebhookUrl(Rule):
    code = "webhook_url"

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for e in m.elements:
            if isinstance(e, Action) and isinstance(e.action, Webhook):
                problem = url_problem(e.action.url)
                if problem is not None:
                    yield self.problem(
                        f"action {e.id!r}: webhook url {e.action.url!r} {problem}", element=e.id
                    )


class TextValues(Rule):
    """Every text a map stores is valid Unicode, within its length, without refused characters."""

    code = "bad_text"
    _settings: ClassVar[dict[str, TextKind]] = {
        "id": ID,
        "target": ID,
        "map_id": ID,
        "email": ID,
        "name": LINE,
        "subject": LINE,
        "to": LINE,
        "tag": NAME,
        "field": NAME,
        "form": NAME,
        "timezone": NAME,
        "url_pattern": URL,
        "url": URL,
        "html": BODY,
        "text": BODY,
        "message": BODY,
    }
    """The kind of text each element setting holds; any other text setting is a VALUE."""

    def check(self, m: AutomationMap) -> Iterator[Problem]:
        for key, kind in (("id", ID), ("name", LINE), ("description", BODY)):
            yield from self._check(kind, getattr(m, key), f"the map's {key}")
        for i, e in enumerate(m.elements):
            ok_id = ID.problem(e.id) is None
            subject = f"element {e.id!r}" if ok_id else f"element #{i + 1}"
            for path, value in _texts(e.model_dump(mode="python"), ()):
                if not value and path[0] == "event":
                    continue  # an empty event setting is event_settings' to name
                kind = self._settings.get(str(path[-1]), VALUE)
                where = f"{subject} setting {'.'.join(map(str, path))!r}"
                yield from self._check(kind, value, where, element=e.id if ok_id else None)
        for i, c in enumerate(m.connectors):
            ok_id = ID.problem(c.id) is None
            subject = f"connector {c.id!r}" if ok_id else f"connector #{i + 1}"
            for key, value in (("id", c.id), ("from", c.from_), ("to", c.to)):
                where = f"{subject} setting {key!r}"
                yield from self._check(ID, value, where, connector=c.id if ok_id else None)
        for key in m.layout:
            yield from self._check(ID, key, f"layout key {key!r}")

    def _check(
        self,
        kind: TextKind,
        value: str,
        where: str,
        *,
        element: str | None = None,
        connector: str | None = None,
    ) -> Iterator[Problem]:
        wrong = kind.problem(value)
        if wrong is not None:
            yield self.problem(f"{where} {wrong}", element=element, connector=connector)


def _texts(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text inside a dumped element with its setting path (a list item adds its index)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))


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


def successors(m: AutomationMap, element_id: str) -> list[str]:
    """Elements a contact can move to next: along connectors, or a goto's jump."""
    nxt = [c.to for c in m.outgoing.get(element_id, [])]
    element = m.element_by_id.get(element_id)
    if isinstance(element, Goto):
        nxt.append(element.target)
    return nxt


def reachable_from(m: AutomationMap, starts: list[str]) -> set[str]:
    """Every element reachable from the given ones, the starts included."""
    seen = set(starts)
    todo = list(starts)
    while todo:
        for nxt in successors(m, todo.pop()):
            if nxt in m.element_by_id and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def problems(m: AutomationMap) -> list[Problem]:
    """Every broken rule of a map, in rule order."""
    return [p for rule in RULES for p in rule.check(m)]


def validate_map(m: AutomationMap) -> AutomationMap:
    """Return the map if valid, else raise MapInvalid naming each problem."""
    found = problems(m)
    if found:
        raise MapInvalid(m.id, found)
    return m
