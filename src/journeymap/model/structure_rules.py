"""Validation rules on a map's graph: ids, connectors, entries, branches, loops, reach."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.errors import Problem
from journeymap.model.elements import Action, Condition, End, Fork, Goal, Goto, Split, Trigger, Wait
from journeymap.model.graph import reachable_from, successors
from journeymap.model.map import AutomationMap
from journeymap.model.rule import Rule

INSTANT_KINDS = frozenset({"action", "condition", "split", "fork", "goto"})
"""Kinds a contact passes through at once; a loop made only of these never ends."""


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
