"""The six reports and ROI as their JSON shows them (docs/reports.md), from the model's figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import Any

from reference.cohort import cohort, shown
from reference.model import Model, money, quantile_us, ratio, seconds, to_cents

Figures = dict[str, dict[str, Any]]


def flow(m: Model) -> tuple[Figures, list[dict[str, Any]]]:
    """Were here, here now and visits on every element; contacts and share on connectors."""
    elements: Figures = {}
    for e in m.map.elements:
        visitors = m.visitors(e.id)
        here = sum(1 for c in visitors if m.here_now(c, e.id))
        visits = sum(len(v) for (c, el), v in m.arrivals.items() if el == e.id)
        elements[e.id] = {
            "id": e.id,
            "kind": e.kind,
            "were_here": len(visitors) - here,
            "here_now": here,
            "visits": visits,
        }
    connectors = []
    for k in m.map.connectors:
        n = len(m.moved_along(k.id))
        connectors.append(
            {
                "id": k.id,
                "from": k.source,
                "to": k.target,
                "contacts": n,
                "share": ratio(n, len(m.left_by_connector(k.source))),
            }
        )
    return elements, connectors


def _contact_flow(m: Model, elements: Figures) -> dict[str, Any]:
    for e in m.map.elements:
        if e.kind == "action" and e.spec["action"]["type"] == "send_email":
            sent = sum(len(v) for v in m.email_events(e.id, "sent").values())
            counts = {
                x: len(m.email_events(e.id, x)) for x in ("opened", "clicked", "unsubscribed")
            }
            elements[e.id] |= {"sent": sent, **counts}
            elements[e.id] |= {
                "open_rate": ratio(counts["opened"], sent),
                "click_rate": ratio(counts["clicked"], sent),
                "unsubscribe_rate": ratio(counts["unsubscribed"], sent),
            }
        if e.kind == "action" and e.spec["action"]["type"] in DELIVERY_NAMES:
            elements[e.id] |= _deliveries(m, e.id, *DELIVERY_NAMES[e.spec["action"]["type"]])
        if e.kind == "trigger" and e.spec["event"]["on"] == "page_visited":
            pattern = e.spec["event"].get("url_pattern") or "*"
            visits, visitors = m.page_visits(pattern)
            elements[e.id] |= {"page_visits": visits, "unique_visitors": visitors}
    return {}


DELIVERY_NAMES: dict[str, tuple[str | None, str]] = {
    "send_email": (None, "queued"),
    "notify": ("delivered", "pending"),
    "webhook": ("delivered", "pending"),
}
"""Per action type that queues deliveries: what its delivered and pending counts are called
(an email's delivered count is its `sent`, from the email events)."""


def _deliveries(m: Model, element: str, delivered: str | None, pending: str) -> dict[str, Any]:
    tallies = m.delivery_tallies(element).values()
    failed = sum(t.failed for t in tallies)
    failures = [f for t in tallies for f in t.failures]
    out: dict[str, Any] = {
        pending: sum(t.pending for t in tallies),
        "failed": failed,
        "last_error": max(failures)[1] if failed and failures else None,
    }
    if delivered is not None:
        out[delivered] = sum(t.delivered for t in tallies)
    return out


def _funnel(m: Model, elements: Figures) -> dict[str, Any]:
    if not m.steps:
        return {"funnel": []}
    reached: dict[str, int] = dict.fromkeys(m.steps, 0)
    direct: dict[str, int] = dict.fromkeys(m.steps, 0)
    for contact in m.members:
        matched, straight = m.funnel(contact)
        for o in matched.values():
            reached[o.element] += 1
        for o in straight.values():
            direct[o.element] += 1
    count = dict.fromkeys(m.step_of.values(), 0)
    ahead = dict.fromkeys(m.step_of.values(), 0)
    for element, k in m.step_of.items():
        count[k] += reached[element]
        ahead[k] += direct[element]
    for element, k in m.step_of.items():
        elements[element] |= {
            "funnel_step": k,
            "funnel_count": reached[element],
            "funnel_rate_prev": ratio(reached[element], count[k - 1]) if k > 1 else None,
            "funnel_rate_start": ratio(reached[element], count[1]),
            "entered_directly": direct[element] if k > 1 else None,
        }
    steps = [
        {
            "step": k,
            "elements": [e for e in m.steps if m.step_of[e] == k],
            "count": count[k],
            "rate_prev": ratio(count[k], count[k - 1]) if k > 1 else None,
            "rate_start": ratio(count[k], count[1]),
            "entered_directly": ahead[k] if k > 1 else None,
        }
        for k in sorted(count)
    ]
    return {"funnel": steps}


def _lifetime_value(m: Model, elements: Figures) -> dict[str, Any]:
    for e in m.map.elements:
        visitors = m.visitors(e.id)
        cents = sum(to_cents(m.amount_spent(c, e.id)) for c in visitors)
        average = round(Fraction(cents, len(visitors))) if visitors else None
        elements[e.id] |= {
            "amount_spent": money(cents),
            "average_spent": None if average is None else money(average),
        }
    return {}


def _goal_rate(m: Model, elements: Figures) -> dict[str, Any]:
    for e in m.map.elements:
        if e.kind == "goal":
            n = len(m.achievers(e.id))
            elements[e.id] |= {"achieved": n, "conversion_rate": ratio(n, len(m.members))}
    if m.ask.goal is not None:
        for e in m.map.elements:
            n = len(m.spans_us(e.id, m.ask.goal))
            elements[e.id] |= {"to_goal": n, "to_goal_rate": ratio(n, len(m.visitors(e.id)))}
    return {}


def _goal_point(m: Model, elements: Figures) -> dict[str, Any]:
    goal = m.ask.goal
    assert goal is not None
    achievers = m.achievers(goal)
    credit: dict[str | None, Fraction] = defaultdict(Fraction)
    credited: dict[str | None, int] = defaultdict(int)
    for c in achievers:
        for e, share in m.credits(c, goal).items():
            credit[e] += share
            credited[e] += 1
    for e in m.map.elements:
        elements[e.id] |= {
            "conversion_point": credited[e.id],
            "conversion_point_share": (float(credit[e.id] / len(achievers)) if achievers else None),
            "conversion_credit": str(credit[e.id]),
        }
    entered = credited[None]
    return {
        "goal_achievers": len(achievers),
        "entered_at_goal": entered,
        "entered_at_goal_share": ratio(entered, len(achievers)),
    }


def _goal_time(m: Model, elements: Figures) -> dict[str, Any]:
    goal = m.ask.goal
    assert goal is not None
    for e in m.map.elements:
        spans = [us for _, us in m.spans_us(e.id, goal).values()]
        n = len(spans)
        elements[e.id] |= {
            "conversion_time_mean_s": seconds(Fraction(sum(spans), n)) if n else None,
            "conversion_time_median_s": seconds(quantile_us(spans, Fraction(1, 2))) if n else None,
            "conversion_time_p90_s": seconds(quantile_us(spans, Fraction(9, 10))) if n else None,
            "conversion_time_n": n,
        }
    return {}


def _costs(m: Model, field: str) -> dict[str, int]:
    """Per value of the field with a cost overlapping the date range: that cost, prorated by
    days inside the range and rounded half up to the cent per cost entry."""
    total: dict[str, int] = {}
    for k in m.facts.costs:
        if k.field != field:
            continue
        start = max(k.start, m.ask.date_from) if m.ask.date_from else k.start
        end = min(k.end, m.ask.date_to) if m.ask.date_to else k.end
        days = (end - start).days + 1
        if days <= 0:
            continue
        period = (k.end - k.start).days + 1
        share = Fraction(to_cents(k.amount) * days, period)
        total[k.value] = total.get(k.value, 0) + int(share + Fraction(1, 2))  # never negative
    return total


def _roi(m: Model, elements: Figures) -> dict[str, Any]:
    fields = [m.ask.by] if m.ask.by else ["source", "medium", "campaign"]
    achievers = set(m.achievers(m.ask.goal))
    filtered = bool(m.ask.utm)
    everyone = cohort(m.facts, replace(m.ask, utm={}, last_touch=False))
    rows = []
    for field in fields:
        brought = _brought(m, m.members, field)
        brought_all = _brought(m, everyone, field)
        costs = _costs(m, field)
        values = set(brought) if filtered else set(brought) | set(costs)
        for value in sorted(values):
            contacts = brought.get(value, [])
            revenue = sum(to_cents(m.spent(c)) for c in contacts)
            cost = costs.get(value, 0)
            if filtered:  # the cohort's share, half up to the cent
                cost = int(Fraction(cost * len(contacts), len(brought_all[value])) + Fraction(1, 2))
            rows.append(
                {
                    "utm_field": field,
                    "utm_value": value,
                    "contacts": len(contacts),
                    "achievers": sum(1 for c in contacts if c in achievers),
                    "revenue": money(revenue),
                    "cost": money(cost),
                    "roi": ratio(revenue - cost, cost),
                }
            )
    basis = "cohort_share" if filtered else "whole"
    return {"cost_basis": basis, "cost_note": COST_NOTES[basis], "rows": rows}


def _brought(m: Model, contacts: Iterable[str], field: str) -> dict[str, list[str]]:
    """The contacts each first-touch value of the field brought."""
    out: dict[str, list[str]] = {}
    for contact in contacts:
        out.setdefault(shown(m.facts.contacts[contact].first.get(field)), []).append(contact)
    return out


COST_NOTES = {
    "whole": "each value's whole cost for the dates chosen",
    "cohort_share": "each value's cost times the share of its contacts in the filtered cohort",
}
"""`cost_note` as docs/reports.md words it."""


REPORTS: dict[str, Callable[[Model, Figures], dict[str, Any]]] = {
    "contact-flow": _contact_flow,
    "funnel-conversion": _funnel,
    "lifetime-value": _lifetime_value,
    "goal-conversion-rate": _goal_rate,
    "goal-conversion-point": _goal_point,
    "goal-conversion-time": _goal_time,
    "roi": _roi,
}


def _options(name: str, m: Model) -> dict[str, Any]:
    if name == "funnel-conversion":
        return {"steps": list(m.steps)}
    if name == "lifetime-value":
        return {"after_arrival": m.ask.after_arrival}
    if name == "goal-conversion-point":
        return {"attribution": m.ask.attribution, "half_life_days": float(m.ask.half_life_days)}
    if name == "roi":
        return {"by": [m.ask.by] if m.ask.by else ["source", "medium", "campaign"]}
    return {}


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


def report(m: Model, name: str) -> dict[str, Any]:
    """The report's JSON (docs/reports.md) but `computed_at`."""
    elements, connectors = flow(m)
    totals = REPORTS[name](m, elements)
    return {
        "map_id": m.ask.map_id,
        "report": name,
        "goal": m.ask.goal,
        "filters": {
            "from": _day(m.ask.date_from),
            "to": _day(m.ask.date_to),
            "tz": m.ask.tz,
            "utm": dict(m.ask.utm),
            "last_touch": m.ask.last_touch,
        },
        "options": _options(name, m),
        "cohort_size": len(m.members),
        **totals,
        "elements": [elements[e.id] for e in m.map.elements],
        "connectors": connectors,
    }
