"""Bottlenecks: how long contacts stay on each element against what the map configures, who is
stuck, and the connectors after which contacts stop moving."""

from __future__ import annotations

from typing import Any

from journeymap.model.elements import Element, Wait
from journeymap.reports.base import Report, register
from journeymap.reports.context import ReportContext
from journeymap.reports.drilldown_figures import Bind, Figure, add_figures
from journeymap.reports.result import ConnectorStats, ElementStats, ratio
from journeymap.reports.survival import DAY

US = 1_000_000
"""Microseconds in a second."""

INSTANT = frozenset({"trigger", "action", "condition", "split", "fork", "goto"})
"""Element kinds that pass a contact on at once: their configured dwell is zero."""

MARKED = 3
"""The worst elements and connectors the report ranks (and the page marks)."""


def configured_us(e: Element) -> int | None:
    """An element's configured dwell from the map: 0 when instant, a wait's duration, or None
    (a wait until a date or time, known per stay from its due time; goals and ends: none)."""
    if e.kind in INSTANT:
        return 0
    if isinstance(e, Wait) and e.duration is not None:
        return round(e.duration.total_seconds() * US)
    return None


def _days_us(days: float) -> int:
    return round(days * DAY * US)


def stay_params(ctx: ReportContext) -> dict[str, Any]:
    """The bound parameters of rs_stays_of: each element's configured dwell from the map."""
    elements = ctx.map.elements
    return {"ids": [e.id for e in elements], "conf_us": [configured_us(e) for e in elements]}


def _seconds(x10: Any) -> float | None:
    return None if x10 is None else int(x10) / (10 * US)


@register
class Bottlenecks(Report):
    name = "bottlenecks"
    title = "Bottlenecks"

    def options(self, ctx: ReportContext) -> dict[str, Any]:
        return {"grace_days": ctx.params.grace_days, "stall_days": ctx.params.stall_days}

    def compute(
        self,
        ctx: ReportContext,
        elements: list[ElementStats],
        connectors: list[ConnectorStats],
    ) -> dict[str, Any]:
        grace = _days_us(ctx.params.grace_days)
        ends = [e.id for e in ctx.map.elements if e.kind == "end"]
        rows = ctx.rows(
            "bottlenecks",
            now=ctx.now,
            grace_us=grace,
            stall_us=_days_us(ctx.params.stall_days),
            ends=ends,
            **stay_params(ctx),
        )
        dwell = {r["id"]: r for r in rows if r["target"] == "element"}
        drops = {r["id"]: r for r in rows if r["target"] == "connector"}
        scored: list[tuple[int, float, str]] = []
        for stats, e in zip(elements, ctx.map.elements, strict=True):
            r = dwell.get(stats.id, {})
            stats.dwell_n = int(r.get("dwell_n") or 0)
            stats.dwell_median_s = _seconds(r.get("median_x10"))
            stats.dwell_p90_s = _seconds(r.get("p90_x10"))
            conf = r.get("conf_x10")
            own = configured_us(e)
            stats.dwell_configured_s = (
                _seconds(conf) if conf is not None else None if own is None else own / US
            )
            stats.stuck = int(r.get("stuck") or 0)
            over = (
                stats.dwell_median_s - stats.dwell_configured_s
                if stats.dwell_median_s is not None and stats.dwell_configured_s is not None
                else None
            )
            stats.dwell_over_s = over
            if stats.stuck > 0 or (over is not None and over * US > grace):
                scored.append((-stats.stuck, -(over or 0.0), stats.id))
        by_id = {s.id: s for s in elements}
        for rank, (_, _, eid) in enumerate(sorted(scored)[:MARKED], start=1):
            by_id[eid].bottleneck_rank = rank
        ranked: list[tuple[int, float, str]] = []
        for c in connectors:
            if c.to in ends:
                continue
            r = drops.get(c.id, {})
            c.drop_off = int(r.get("drop_off") or 0)
            c.drop_off_rate = ratio(c.drop_off, c.contacts)
            if c.drop_off > 0:
                ranked.append((-c.drop_off, -(c.drop_off_rate or 0.0), c.id))
        by_connector = {c.id: c for c in connectors}
        for rank, (_, _, cid) in enumerate(sorted(ranked)[:MARKED], start=1):
            by_connector[cid].drop_off_rank = rank
        return {}


def _stays(mode: str) -> Bind:
    def bind(ctx: ReportContext, target: str | None) -> dict[str, Any]:
        return {
            "target": target,
            "mode": mode,
            "now": ctx.now,
            "grace_us": _days_us(ctx.params.grace_days),
            "stall_us": _days_us(ctx.params.stall_days),
            "ends": [e.id for e in ctx.map.elements if e.kind == "end"],
            **stay_params(ctx),
        }

    return bind


add_figures(
    (
        Figure(
            "dwell_n",
            "element",
            "stays",
            "arrived_at",
            "contacts who stayed on the element and moved on, each with its completed stays; the "
            "figure is the sum of `stays`",
            value_name="stays",
            bind=_stays("dwell"),
            coded=True,
        ),
        Figure(
            "stuck",
            "element",
            "stays",
            "arrived_at",
            "contacts on the element now for longer than its configured dwell plus the grace",
            value_name="seconds_here",
            bind=_stays("stuck"),
            coded=True,
        ),
        Figure(
            "drop_off",
            "connector",
            "stays",
            "arrived_at",
            "contacts who moved along the connector and then left the map, or sat still longer "
            "than the configured dwell plus the stall days",
            value_name="seconds_still",
            bind=_stays("drop_off"),
            coded=True,
        ),
    ),
    {
        "dwell_median_s": "a time; list `dwell_n` (each contact's completed stays)",
        "dwell_p90_s": "a time; list `dwell_n` (each contact's completed stays)",
        "dwell_configured_s": "a setting of the map, not a count",
        "dwell_over_s": "a difference of times; list `dwell_n` or `stuck`",
        "bottleneck_rank": "a rank; list `stuck` or `dwell_n`",
        "drop_off_rate": "a rate; list `drop_off` or `contacts`",
        "drop_off_rank": "a rank; list `drop_off`",
    },
)
