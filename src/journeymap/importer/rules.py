"""Per kind: the rules a row must keep, and the columns it takes in its staging table."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from journeymap.importer.columns import text
from journeymap.importer.maps import SEP
from journeymap.importer.validation import Batch, Context, Rule, Shaper
from journeymap.store.facts import EMAIL_EVENTS, UTM_FIELDS

DURATION_SLACK_S = 1.0
"""How far duration_s may differ from left_at - entered_at when a file gives both."""


def _known_map(b: Batch, ctx: Context, column: str = "map_id") -> Rule:
    maps = b.cols[column]
    bad = pc.and_(
        pc.is_valid(maps), pc.invert(pc.is_in(maps, pa.array(list(ctx.maps.maps), pa.string())))
    )
    return Rule(column, bad, lambda i: f"unknown map {b.value(column, i)!r}")


def _on_map(b: Batch, ctx: Context, column: str, keys: pa.Array, what: str) -> Rule:
    maps, elements = b.cols["map_id"], b.cols[column]
    known = pc.is_in(maps, pa.array(list(ctx.maps.maps), pa.string()))
    key = pc.binary_join_element_wise(maps, elements, SEP)
    bad = pc.and_(pc.and_(known, pc.is_valid(elements)), pc.invert(pc.is_in(key, keys)))

    def reason(i: int) -> str:
        map_id = str(b.value("map_id", i))
        return f"{b.value(column, i)!r} is not {what} of {ctx.maps.describe(map_id)}"

    return Rule(column, bad, reason)


def _before(b: Batch, later: str, earlier: str) -> Rule:
    bad = pc.less(b.cols[later], b.cols[earlier])
    return Rule(
        later,
        bad,
        lambda i: f"{later} {b.value(later, i)} is before {earlier} {b.value(earlier, i)}",
    )


def visits(b: Batch, ctx: Context) -> tuple[list[Rule], dict[str, pa.Array]]:
    c = b.cols
    if ctx.default_map is not None:
        c["map_id"] = pc.fill_null(c["map_id"], ctx.default_map)
    entered, left, duration = c["entered_at"], c["left_at"], c["duration_s"]
    span = pc.divide(pc.cast(pc.subtract(left, entered), pa.int64()), 1e6)
    rules = [
        Rule("map_id", pc.is_null(c["map_id"]), lambda _i: "missing value (or give --map)"),
        _known_map(b, ctx),
        _on_map(b, ctx, "element_id", ctx.maps.element_keys(), "an element"),
        _before(b, "left_at", "entered_at"),
        _on_map(b, ctx, "from_element_id", ctx.maps.element_keys(), "an element"),
        Rule(
            "achieved_at",
            pc.and_(
                pc.is_valid(c["achieved_at"]),
                pc.invert(
                    pc.is_in(
                        pc.binary_join_element_wise(c["map_id"], c["element_id"], SEP),
                        ctx.maps.goal_keys(),
                    )
                ),
            ),
            lambda i: f"given on element {b.value('element_id', i)!r}, which is not a goal",
        ),
        _before(b, "achieved_at", "entered_at"),
        Rule(
            "achieved_at",
            pc.greater(c["achieved_at"], left),
            lambda i: (
                f"achieved_at {b.value('achieved_at', i)} is after left_at {b.value('left_at', i)}"
            ),
        ),
        Rule("duration_s", pc.less(duration, 0), lambda i: "negative duration"),
        Rule(
            "duration_s",
            pc.greater(pc.abs(pc.subtract(span, duration)), DURATION_SLACK_S),
            lambda i: f"{b.value('duration_s', i)} s disagrees with left_at - entered_at",
        ),
    ]
    micros = pc.cast(pc.multiply(pc.fill_null(duration, 0.0), 1e6), pa.int64())
    from_duration = pc.add(entered, pc.cast(micros, pa.duration("us")))
    left = pc.coalesce(left, pc.if_else(pc.is_valid(duration), from_duration, left))
    staged = {
        "contact_id": c["contact_id"],
        "map_id": c["map_id"],
        "element_id": c["element_id"],
        "from_element_id": c["from_element_id"],
        "entered_at": entered,
        "left_at": left,
        "achieved_at": c["achieved_at"],
    }
    return rules, staged


def purchases(b: Batch, ctx: Context) -> tuple[list[Rule], dict[str, pa.Array]]:
    c = b.cols
    return [], {k: c[k] for k in ("contact_id", "occurred_at", "amount", "product")}


def email_events(b: Batch, ctx: Context) -> tuple[list[Rule], dict[str, pa.Array]]:
    c = b.cols
    events = pa.array(EMAIL_EVENTS)
    rules = [
        Rule(
            "event",
            pc.and_(pc.is_valid(c["event"]), pc.invert(pc.is_in(c["event"], events))),
            lambda i: f"unknown event {b.value('event', i)!r}; one of {', '.join(EMAIL_EVENTS)}",
        ),
        _known_map(b, ctx),
        Rule(
            "map_id",
            pc.and_(pc.is_valid(c["element_id"]), pc.is_null(c["map_id"])),
            lambda _i: "missing value: element_id needs map_id",
        ),
        _on_map(b, ctx, "element_id", ctx.maps.element_keys(), "an element"),
    ]
    return rules, {k: c[k] for k in ("event", "map_id", "element_id", "contact_id", "occurred_at")}


def page_visits(b: Batch, ctx: Context) -> tuple[list[Rule], dict[str, pa.Array]]:
    c = b.cols
    rules = [
        Rule(
            "visitor_id",
            pc.and_(pc.is_null(c["visitor_id"]), pc.is_null(c["contact_id"])),
            lambda _i: "missing value: a page visit needs visitor_id or contact_id",
        )
    ]
    staged = dict(c)
    staged["visitor_id"] = pc.coalesce(c["visitor_id"], c["contact_id"])
    return rules, staged


def marketing_costs(b: Batch, ctx: Context) -> tuple[list[Rule], dict[str, pa.Array]]:
    c = b.cols
    rules = [
        Rule(
            "utm_field",
            pc.invert(pc.is_in(c["utm_field"], pa.array(UTM_FIELDS))),
            lambda i: (
                f"unknown UTM field {b.value('utm_field', i)!r}; one of {', '.join(UTM_FIELDS)}"
            ),
        ),
        _before(b, "period_end", "period_start"),
        Rule("amount", pc.less(c["amount"], 0), lambda _i: "a cost cannot be negative"),
    ]
    return rules, dict(c)


def contacts(b: Batch, ctx: Context) -> tuple[list[Rule], dict[str, pa.Array]]:
    c = b.cols
    staged: dict[str, pa.Array] = {"contact_id": c["contact_id"], "created_at": c["created_at"]}
    for f in UTM_FIELDS:
        staged[f"first_utm_{f}"] = c[f"utm_{f}"]
    for f in UTM_FIELDS:
        staged[f"last_utm_{f}"] = c[f"last_utm_{f}"]
    staged["tags"] = c["tags"]
    staged["fields"] = _fields(b)
    return [], staged


def _fields(b: Batch) -> pa.Array:
    """Every column the contacts kind does not name, as one JSON object of text per row."""
    names = sorted(b.extra)
    values = [text(b.extra[n]).to_pylist() for n in names]
    n = len(next(iter(b.cols.values())))
    rows = [
        json.dumps({k: col[i] for k, col in zip(names, values, strict=True) if col[i] is not None})
        for i in range(n)
    ]
    return pa.array(rows, pa.string())


SHAPERS: dict[str, Shaper] = {
    "visits": visits,
    "purchases": purchases,
    "email_events": email_events,
    "page_visits": page_visits,
    "marketing_costs": marketing_costs,
    "contacts": contacts,
}
"""Kind name to its rules and staging shape."""
