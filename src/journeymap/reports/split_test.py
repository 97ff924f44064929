"""Split Test: per split and branch, who converted on the selected goal, and which branch won."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeymap.model.elements import Element, Split
from journeymap.model.map import AutomationMap, Connector
from journeymap.model.names import element_name
from journeymap.reports.base import Report, register
from journeymap.reports.binomial import (
    CONFIDENCE,
    Rate,
    compare,
    probability_best,
    wilson,
)
from journeymap.reports.context import ReportContext
from journeymap.reports.drilldown_figures import Bind, Figure, add_figures
from journeymap.reports.params import ReportParams
from journeymap.reports.result import ConnectorStats, ElementStats
from journeymap.reports.rules import GoalGiven, ReportInvalid, Rule

MIN_CONTACTS = 30
"""Contacts every branch needs before a split test is called."""

MIN_ACHIEVERS = 10
"""Achievers the branches of a split need together before it is called."""


def splits(m: AutomationMap) -> list[tuple[Split, list[Connector]]]:
    """Every split of the map with its branches, the connectors leaving it, in map order."""
    return [(e, m.outgoing[e.id]) for e in m.elements if isinstance(e, Split)]


class HasSplit(Rule):
    code = "no_split"
    field = "map_id"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        return None if splits(m) else f"map {m.id!r} has no split element to test"


class ControlIsBranch(Rule):
    code = "bad_control"
    field = "control"

    def check(self, params: ReportParams, m: AutomationMap) -> str | None:
        if params.control is None:
            return None
        branches = [c.id for _, out in splits(m) for c in out]
        if params.control not in branches:
            return (
                f"{params.control!r} is not a connector leaving a split of map {m.id!r}; "
                f"branches are {', '.join(branches)}"
            )
        return None


@dataclass(frozen=True)
class Branch:
    """One branch of a split: its connector, what it is called, and its contacts and achievers."""

    connector: Connector
    name: str
    rate: Rate


def _target_name(m: AutomationMap, c: Connector) -> str:
    target = m.element_by_id.get(c.to)
    return element_name(target) if target is not None else c.to


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _p(value: float) -> str:
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def verdict(
    branches: list[Branch], control: Branch, p_values: dict[str, float], best: dict[str, float]
) -> tuple[str, str | None, str]:
    """(code, winning connector, sentence): too_small, winner, control_wins or no_difference.

    Each branch is compared with the control at 95% confidence, Bonferroni-corrected for the
    number of comparisons; a branch wins when it converts better and the difference holds."""
    small = [b for b in branches if b.rate.trials < MIN_CONTACTS]
    achievers = sum(b.rate.successes for b in branches)
    if small or achievers < MIN_ACHIEVERS:
        why = (
            f"“{small[0].name}” has {small[0].rate.trials} contacts"
            if small
            else f"the branches have {achievers} achievers together"
        )
        return (
            "too_small",
            None,
            f"Too early to call: {why}; each branch needs at least {MIN_CONTACTS} contacts "
            f"and the branches at least {MIN_ACHIEVERS} achievers together.",
        )
    others = [b for b in branches if b is not control]
    alpha = (1 - CONFIDENCE) / len(others)
    held = [b for b in others if p_values[b.connector.id] < alpha]
    better = [b for b in held if (b.rate.value or 0) > (control.rate.value or 0)]
    if better:
        win = max(better, key=lambda b: (b.rate.value or 0, best[b.connector.id]))
        return (
            "winner",
            win.connector.id,
            f"“{win.name}” wins: {_percent(win.rate.value)} converted against "
            f"{_percent(control.rate.value)} for the control “{control.name}” "
            f"({_p(p_values[win.connector.id])}); "
            f"{_percent(best[win.connector.id])} chance it is the best branch.",
        )
    if len(held) == len(others):
        return (
            "control_wins",
            control.connector.id,
            f"The control “{control.name}” wins: it converted {_percent(control.rate.value)}, "
            "every other branch less, each difference significant at 95%.",
        )
    smallest = min(p_values[b.connector.id] for b in others)
    return (
        "no_difference",
        None,
        f"No winner yet: no branch converts better than the control “{control.name}” "
        f"({_percent(control.rate.value)}) at 95% confidence (smallest {_p(smallest)}).",
    )


@register
class SplitTest(Report):
    name = "split-test"
    title = "Split Test"
    rules = (GoalGiven(), HasSplit(), ControlIsBranch())

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {"control": ctx.params.control}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        tests = splits(ctx.map)
        pairs = [(c.id, s.id) for s, out in tests for c in out]
        rows = ctx.rows(
            "split_test",
            goal=ctx.params.goal,
            branches=[c for c, _ in pairs],
            branch_splits=[s for _, s in pairs],
        )
        counts = {(r["split_id"], r["connector_id"]): r for r in rows}
        by_element = {e.id: e for e in elements}
        by_connector = {c.id: c for c in connectors}
        for split, out in tests:
            names = [_target_name(ctx.map, c) for c in out]
            branches = []
            for c, name in zip(out, names, strict=True):
                r = counts.get((split.id, c.id))
                rate = Rate(int(r["achievers"]), int(r["contacts"])) if r else Rate(0, 0)
                shown = f"{name} ({c.id})" if names.count(name) > 1 else name
                branches.append(Branch(c, shown, rate))
            control = next(
                (b for b in branches if b.connector.id == ctx.params.control), branches[0]
            )
            self._branches(branches, control, by_element[split.id], by_connector)
            crossed = counts.get((split.id, None))
            by_element[split.id].split_crossed = int(crossed["contacts"]) if crossed else 0
        return {}

    def _branches(
        self,
        branches: list[Branch],
        control: Branch,
        split: ElementStats,
        by_connector: dict[str, ConnectorStats],
    ) -> None:
        best = dict(
            zip(
                (b.connector.id for b in branches),
                probability_best([b.rate for b in branches]),
                strict=True,
            )
        )
        p_values: dict[str, float] = {}
        for b in branches:
            stats = by_connector[b.connector.id]
            stats.branch_contacts = b.rate.trials
            stats.branch_achievers = b.rate.successes
            stats.branch_rate = b.rate.value
            interval = wilson(b.rate)
            stats.branch_rate_low, stats.branch_rate_high = interval or (None, None)
            base = control.rate.value
            mine = b.rate.value
            is_control = b is control
            stats.branch_lift = None if is_control or mine is None or base is None else mine - base
            stats.branch_lift_rel = (
                None if is_control or mine is None or not base else (mine - base) / base
            )
            test = None if is_control else compare(b.rate, control.rate)
            stats.branch_p_value = test.p_value if test else None
            stats.branch_test = test.test if test else None
            stats.branch_prob_best = best[b.connector.id]
            if test is not None:
                p_values[b.connector.id] = test.p_value
            elif not is_control:
                p_values[b.connector.id] = 1.0
        split.split_contacts = sum(b.rate.trials for b in branches)
        split.split_control = control.connector.id
        code, winner, text = verdict(branches, control, p_values, best)
        split.split_verdict, split.split_winner, split.split_verdict_text = code, winner, text


def _split_element(ctx: ReportContext, e: Element) -> str | None:
    return None if isinstance(e, Split) else f"is shown on splits; element {e.id!r} is a {e.kind}"


def _on_split(mode: str) -> Bind:
    def bind(ctx: ReportContext, element_id: str | None) -> dict[str, Any]:
        out = ctx.map.outgoing.get(element_id or "", [])
        return {
            "split_id": element_id,
            "connector_id": None,
            "branches": [c.id for c in out],
            "goal": ctx.params.goal,
            "mode": mode,
        }

    return bind


def _on_branch(mode: str) -> Bind:
    def bind(ctx: ReportContext, connector_id: str | None) -> dict[str, Any]:
        for split, out in splits(ctx.map):
            if any(c.id == connector_id for c in out):
                return {
                    "split_id": split.id,
                    "connector_id": connector_id,
                    "branches": [c.id for c in out],
                    "goal": ctx.params.goal,
                    "mode": mode,
                }
        raise ReportInvalid(
            "figure_not_for_connector",
            "connector",
            f"figure 'branch_{mode}' is shown on connectors leaving a split; "
            f"{connector_id!r} does not leave one",
        )

    return bind


add_figures(
    (
        Figure(
            "split_contacts",
            "element",
            "split",
            "passed_at",
            "contacts sent down exactly one branch of the split (the contacts tested)",
            check=_split_element,
            bind=_on_split("tested"),
        ),
        Figure(
            "split_crossed",
            "element",
            "split",
            "passed_at",
            "contacts sent down more than one branch of the split, left out of the test",
            value_name="branches",
            check=_split_element,
            bind=_on_split("crossed"),
        ),
        Figure(
            "branch_contacts",
            "connector",
            "split",
            "passed_at",
            "contacts sent down this branch and no other of its split",
            bind=_on_branch("sent"),
        ),
        Figure(
            "branch_achievers",
            "connector",
            "split",
            "passed_at",
            "contacts sent down this branch who achieved the goal after passing the split",
            value_name="seconds_to_goal",
            goal="required",
            bind=_on_branch("achievers"),
        ),
    ),
    {
        "branch_rate": "a rate; list `branch_achievers` or `branch_contacts`",
        "branch_rate_low": "an interval bound; list `branch_achievers` or `branch_contacts`",
        "branch_rate_high": "an interval bound; list `branch_achievers` or `branch_contacts`",
        "branch_lift": "a difference of rates; list `branch_achievers` on both branches",
        "branch_lift_rel": "a ratio of rates; list `branch_achievers` on both branches",
        "branch_p_value": "a test's p-value; list `branch_achievers` or `branch_contacts`",
        "branch_prob_best": "a probability; list `branch_achievers` or `branch_contacts`",
    },
)
