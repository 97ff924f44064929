"""The figures a drill-down lists: where each is shown, what it needs, and its `drill_*` query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from journeymap.model.elements import Action, Element
from journeymap.reports.context import ReportContext
from journeymap.reports.funnel import funnel_params
from journeymap.reports.funnel_steps import funnel_steps, step_numbers
from journeymap.reports.rules import ReportInvalid

Target = Literal["element", "connector", "map"]
GoalUse = Literal["unused", "required", "optional"]
Check = Callable[[ReportContext, Element], str | None]
Bind = Callable[[ReportContext, str | None], dict[str, Any]]
Swap = Callable[[ReportContext, "Figure"], "Figure"]


@dataclass(frozen=True)
class Figure:
    """One listable count: the JSON name it has in reports, and how to list its contacts."""

    name: str
    target: Target
    query: str
    at_name: str
    describe: str
    value_name: str | None = None
    goal: GoalUse = "unused"
    check: Check | None = None
    bind: Bind | None = None
    coded: bool = False
    """The query takes the cohort as summary keys (report_cohort_keys), as report queries do."""
    swap: Swap | None = None
    """The figure as the report's options define it (an attribution model lists other rows)."""


def _goal_element(ctx: ReportContext, e: Element) -> str | None:
    return None if e.kind == "goal" else f"is shown on goals; element {e.id!r} is a {e.kind}"


def _send_email(ctx: ReportContext, e: Element) -> str | None:
    if isinstance(e, Action) and e.action.type == "send_email":
        return None
    kind = e.action.type if isinstance(e, Action) else e.kind
    return f"is shown on send-email actions; element {e.id!r} is a {kind}"


def _actions(*types: str) -> Check:
    def check(ctx: ReportContext, e: Element) -> str | None:
        if isinstance(e, Action) and e.action.type in types:
            return None
        kind = e.action.type if isinstance(e, Action) else e.kind
        return f"is shown on {' and '.join(types)} actions; element {e.id!r} is a {kind}"

    return check


def _step(ctx: ReportContext, e: Element) -> str | None:
    steps = funnel_steps(ctx.map, ctx.params)
    if e.id in steps:
        return None
    return f"is shown on funnel steps; element {e.id!r} is not one of {', '.join(steps) or 'none'}"


def _later_step(ctx: ReportContext, e: Element) -> str | None:
    problem = _step(ctx, e)
    if problem is not None:
        return problem
    steps = funnel_steps(ctx.map, ctx.params)
    if step_numbers(ctx.map, steps)[steps.index(e.id)] == 1:
        return f"is shown on steps after the first; {e.id!r} is in the first step"
    return None


def _funnel(direct: bool) -> Bind:
    def bind(ctx: ReportContext, element_id: str | None) -> dict[str, Any]:
        bound = funnel_params(ctx)
        k = bound["step_numbers"][bound["step_names"].index(element_id or "")]
        return {**bound, "element_id": element_id, "k": k, "direct": direct}

    return bind


def _on_element(**params: Any) -> Bind:
    def bind(ctx: ReportContext, target: str | None) -> dict[str, Any]:
        return {"element_id": target, **params}

    return bind


def _on_connector(ctx: ReportContext, target: str | None) -> dict[str, Any]:
    return {"connector_id": target}


def _to_goal(ctx: ReportContext, target: str | None) -> dict[str, Any]:
    return {"element_id": target, "goal": ctx.params.goal}


def _goal_mode(mode: str, *, goal_is_element: bool = False) -> Bind:
    def bind(ctx: ReportContext, element_id: str | None) -> dict[str, Any]:
        goal = element_id if goal_is_element else ctx.params.goal
        return {"goal": goal, "mode": mode, "element_id": element_id if mode == "point" else None}

    return bind


def _spend(ctx: ReportContext, target: str | None) -> dict[str, Any]:
    return {"element_id": target, "after_arrival": ctx.params.after_arrival}


def _email(event: str) -> Figure:
    return Figure(
        event,
        "element",
        "email",
        f"{event}_at",
        f"contacts with at least one {event} email event from this element",
        value_name="emails_sent" if event == "sent" else "events",
        check=_send_email,
        bind=_on_element(event=event),
    )


def _deliveries(name: str, state: str, at_name: str, describe: str, *types: str) -> Figure:
    return Figure(
        name,
        "element",
        "deliveries",
        at_name,
        describe,
        value_name="deliveries",
        check=_actions(*types),
        bind=_on_element(state=state),
    )


_LIST: tuple[Figure, ...] = (
    Figure(
        "here_now",
        "element",
        "visits",
        "arrived_at",
        "contacts with a live position on the element",
        value_name="visits",
        bind=_on_element(state="here_now"),
    ),
    Figure(
        "were_here",
        "element",
        "visits",
        "arrived_at",
        "contacts who visited the element and are no longer on it",
        value_name="visits",
        bind=_on_element(state="were_here"),
    ),
    Figure(
        "visitors",
        "element",
        "visits",
        "arrived_at",
        "distinct contacts who visited the element (were here + here now)",
        value_name="visits",
        bind=_on_element(state="visitors"),
    ),
    Figure(
        "visits",
        "element",
        "visits",
        "arrived_at",
        "distinct visitors, each with its arrivals; the figure is the sum of `visits`",
        value_name="visits",
        bind=_on_element(state="visitors"),
    ),
    Figure(
        "contacts",
        "connector",
        "connector",
        "moved_at",
        "contacts who moved along the connector",
        value_name="moves",
        bind=_on_connector,
    ),
    Figure(
        "achieved",
        "element",
        "goal",
        "achieved_at",
        "contacts who achieved the goal",
        value_name="achievements",
        check=_goal_element,
        bind=_goal_mode("achieved", goal_is_element=True),
    ),
    Figure(
        "goal_achievers",
        "map",
        "goal",
        "achieved_at",
        "contacts who achieved the selected goal",
        value_name="achievements",
        goal="required",
        bind=_goal_mode("achieved"),
    ),
    Figure(
        "achievers",
        "map",
        "goal",
        "achieved_at",
        "contacts who achieved the selected goal, or any goal when none is selected",
        value_name="achievements",
        goal="optional",
        bind=_goal_mode("achieved"),
    ),
    Figure(
        "conversion_point",
        "element",
        "goal",
        "achieved_at",
        "contacts whose first achievement of the goal happened while on the element",
        value_name="achievements",
        goal="required",
        bind=_goal_mode("point"),
    ),
    Figure(
        "entered_at_goal",
        "map",
        "goal",
        "achieved_at",
        "contacts whose first achievement of the goal was entering the map at it",
        value_name="achievements",
        goal="required",
        bind=_goal_mode("entered"),
    ),
    Figure(
        "to_goal",
        "element",
        "goal_paths",
        "achieved_at",
        "contacts who visited the element and later achieved the goal",
        value_name="seconds_to_goal",
        goal="required",
        bind=_to_goal,
    ),
    Figure(
        "conversion_time_n",
        "element",
        "goal_paths",
        "achieved_at",
        "contacts whose time from the element to the goal is measured",
        value_name="seconds_to_goal",
        goal="required",
        bind=_to_goal,
    ),
    Figure(
        "funnel_count",
        "element",
        "funnel",
        "reached_at",
        "contacts who took every funnel step up to this one in order, this one here",
        check=_step,
        bind=_funnel(direct=False),
        coded=True,
    ),
    Figure(
        "entered_directly",
        "element",
        "funnel",
        "reached_at",
        "contacts who took this step here before ever taking the one before it",
        check=_later_step,
        bind=_funnel(direct=True),
        coded=True,
    ),
    Figure(
        "amount_spent",
        "element",
        "spend",
        "arrived_at",
        "every visitor of the element, with what it spent; the figure is the sum of `amount`",
        value_name="amount",
        bind=_spend,
    ),
    _email("sent"),
    _email("opened"),
    _email("clicked"),
    _email("unsubscribed"),
    _deliveries(
        "queued",
        "pending",
        "queued_at",
        "contacts with messages from this element not sent yet (never tried, or to be retried)",
        "send_email",
    ),
    _deliveries(
        "delivered",
        "delivered",
        "delivered_at",
        "contacts with deliveries from this element the receiver took",
        "notify",
        "webhook",
    ),
    _deliveries(
        "pending",
        "pending",
        "queued_at",
        "contacts with deliveries from this element not made yet (never tried, or to be retried)",
        "notify",
        "webhook",
    ),
    _deliveries(
        "failed",
        "failed",
        "failed_at",
        "contacts with deliveries from this element that failed for good (the latest failure)",
        "send_email",
        "notify",
        "webhook",
    ),
    Figure(
        "cohort_size",
        "map",
        "cohort",
        "entered_at",
        "contacts in the cohort: first entry in the date range, UTM as filtered",
    ),
)

FIGURES: dict[str, Figure] = {f.name: f for f in _LIST}
"""Every listable figure by the name reports give it in JSON."""

NOT_COUNTS: dict[str, str] = {
    "share": "a share of those who left the source; list `contacts`",
    "conversion_rate": "a rate; list its numerator `achieved` or denominator `cohort_size`",
    "to_goal_rate": "a rate; list its numerator `to_goal` or denominator `visitors`",
    "conversion_point_share": "a share; list `conversion_point` or `goal_achievers`",
    "entered_at_goal_share": "a share; list `entered_at_goal` or `goal_achievers`",
    "funnel_rate_prev": "a rate; list `funnel_count` on this step and the one before",
    "funnel_rate_start": "a rate; list `funnel_count` on this step and the first",
    "funnel_step": "a step number, not a count",
    "open_rate": "a rate; list `opened` or `sent`",
    "click_rate": "a rate; list `clicked` or `sent`",
    "unsubscribe_rate": "a rate; list `unsubscribed` or `sent`",
    "average_spent": "an average; list `amount_spent` (its visitors with their spend)",
    "conversion_time_mean_s": "a time; list `conversion_time_n` (each contact's seconds)",
    "conversion_time_median_s": "a time; list `conversion_time_n` (each contact's seconds)",
    "conversion_time_p90_s": "a time; list `conversion_time_n` (each contact's seconds)",
    "page_visits": "it counts page visits of visitor ids, anonymous ones included",
    "unique_visitors": "it counts visitor ids, anonymous ones included",
    "last_error": "a text; list `failed` (and `journeymap deliveries list --failed` for reasons)",
}
"""Figures reports show that are not lists of contacts, and what to list instead."""


def add_figures(figures: tuple[Figure, ...], not_counts: dict[str, str]) -> None:
    """Make a report module's own listable figures, and its figures that are no lists, known."""
    FIGURES.update((f.name, f) for f in figures)
    NOT_COUNTS.update(not_counts)


def figure(name: str) -> Figure:
    """The named figure; an unknown one or one that is no count is an error naming it."""
    found = FIGURES.get(name)
    if found is not None:
        return found
    if name in NOT_COUNTS:
        message = f"{name!r} is not a count of contacts: {NOT_COUNTS[name]}"
        raise ReportInvalid("figure_not_listable", "figure", message)
    raise ReportInvalid(
        "unknown_figure", "figure", f"no figure {name!r}; figures are {', '.join(FIGURES)}"
    )
