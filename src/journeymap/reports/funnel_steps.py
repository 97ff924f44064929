"""Funnel steps: the default list, the step each listed element belongs to, and their rule."""

from __future__ import annotations

from collections import deque

from journeymap.model.graph import successors
from journeymap.model.map import AutomationMap
from journeymap.reports.params import ReportParams
from journeymap.reports.rules import Rule

MAX_FUNNEL_STEPS = 10
"""How many steps a funnel may have (the funnel SQL pivots that many columns)."""

MAX_STEP_ELEMENTS = 1024
"""How many elements a funnel may list (the funnel SQL packs an element's place in 10 bits)."""

STEP_KINDS = ("trigger", "goal")


def default_steps(m: AutomationMap) -> tuple[str, ...]:
    """Every trigger (together the first step), then the goals reachable from the triggers in
    path (breadth-first) order, up to the step limit."""
    triggers = [e.id for e in m.elements if e.kind == "trigger"]
    triggers = triggers[: MAX_STEP_ELEMENTS - MAX_FUNNEL_STEPS + 1]
    steps = list(triggers)
    seen = set(triggers)
    todo = deque(triggers)
    goals = 0
    while todo and goals < MAX_FUNNEL_STEPS - 1:
        for nxt in successors(m, todo.popleft()):
            if nxt in seen:
                continue
            seen.add(nxt)
            todo.append(nxt)
            if m.element_by_id[nxt].kind == "goal" and goals < MAX_FUNNEL_STEPS - 1:
                steps.append(nxt)
                goals += 1
    return tuple(steps)


def funnel_steps(m: AutomationMap, params: ReportParams) -> tuple[str, ...]:
    """The elements of the funnel asked for: the picked ones, or the map's default."""
    return params.steps or default_steps(m)


def step_numbers(m: AutomationMap, steps: tuple[str, ...]) -> tuple[int, ...]:
    """The step of each listed element, from 1: triggers listed one after another are one step
    (entering the map through any of them); every other element is a step of its own."""
    numbers: list[int] = []
    for i, element in enumerate(steps):
        joins = i > 0 and _is_trigger(m, element) and _is_trigger(m, steps[i - 1])
        numbers.append(numbers[-1] if joins else (numbers[-1] + 1 if numbers else 1))
    return tuple(numbers)


def _is_trigger(m: AutomationMap, element_id: str) -> bool:
    element = m.element_by_id.get(element_id)
    return element is not None and element.kind == "trigger"


class FunnelSteps(Rule):
    code = "bad_funnel_step"
    field = "steps"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        steps = params.steps
        if steps is None:
            return None
        if len(steps) > MAX_STEP_ELEMENTS:
            return f"a funnel lists at most {MAX_STEP_ELEMENTS} elements, not {len(steps)}"
        for step in steps:
            element = m.element_by_id.get(step)
            if element is None:
                return f"map {m.id!r} has no element {step!r}"
            if element.kind not in STEP_KINDS:
                return f"element {step!r} is a {element.kind}; steps are triggers or goals"
        if len(set(steps)) != len(steps):
            return "a step appears twice"
        count = step_numbers(m, steps)[-1] if steps else 0
        if not 2 <= count <= MAX_FUNNEL_STEPS:
            return (
                f"a funnel has 2 to {MAX_FUNNEL_STEPS} steps, not {count} "
                "(triggers listed one after another are one step)"
            )
        return None
