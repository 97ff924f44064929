"""The figures every report shows: contacts here now and before on elements, and on connectors."""

from __future__ import annotations

from journeymap.model.elements import Action, Trigger
from journeymap.reports.context import ReportContext
from journeymap.reports.result import ConnectorStats, ElementStats, ratio


def flow(ctx: ReportContext) -> tuple[list[ElementStats], list[ConnectorStats]]:
    """Were here, here now and visits on every element; contacts and share on every connector."""
    rows = ctx.by_element("elements")
    elements = []
    for element in ctx.map.elements:
        r = rows.get(element.id)
        here_now = int(r["here_now"]) if r else 0
        visitors = int(r["visitors"]) if r else 0
        elements.append(
            ElementStats(
                id=element.id,
                kind=element.kind,
                were_here=visitors - here_now,
                here_now=here_now,
                visits=int(r["visits"]) if r else 0,
            )
        )
    moved = ctx.by_element("connectors", key="connector_id")
    connectors = []
    for c in ctx.map.connectors:
        contacts = int(moved[c.id]["contacts"]) if c.id in moved else 0
        left = int(rows[c.from_]["left_by_connector"]) if c.from_ in rows else 0
        connectors.append(ConnectorStats(id=c.id, from_=c.from_, to=c.to, contacts=contacts))
        connectors[-1].share = ratio(contacts, left)
    return elements, connectors


def add_email_stats(ctx: ReportContext, elements: list[ElementStats]) -> None:
    """Sent, unique opens, clicks and unsubscribes (rates over sent) on send-email elements."""
    rows = ctx.by_element("email")
    for stats in elements:
        element = ctx.map.element_by_id[stats.id]
        if not (isinstance(element, Action) and element.action.type == "send_email"):
            continue
        r = rows.get(stats.id)
        sent = int(r["sent"]) if r else 0
        stats.sent = sent
        for name in ("opened", "clicked", "unsubscribed"):
            setattr(stats, name, int(r[name]) if r else 0)
        stats.open_rate = ratio(stats.opened or 0, sent)
        stats.click_rate = ratio(stats.clicked or 0, sent)
        stats.unsubscribe_rate = ratio(stats.unsubscribed or 0, sent)


DELIVERY_FIGURES: dict[str, tuple[str | None, str]] = {
    "send_email": (None, "queued"),  # delivered messages are `sent` (add_email_stats)
    "notify": ("delivered", "pending"),
    "webhook": ("delivered", "pending"),
}
"""Per action type that queues deliveries: the names its delivered and pending figures have;
each also has `failed` and `last_error`."""


def add_delivery_stats(ctx: ReportContext, elements: list[ElementStats]) -> None:
    """Delivered, pending and failed deliveries, and the latest error of a failed one, on every
    element whose action queues deliveries (emails, notifications, webhooks)."""
    rows = ctx.by_element("deliveries")
    for stats in elements:
        element = ctx.map.element_by_id[stats.id]
        if not isinstance(element, Action) or element.action.type not in DELIVERY_FIGURES:
            continue
        delivered_name, pending_name = DELIVERY_FIGURES[element.action.type]
        r = rows.get(stats.id)
        queued, delivered, failed = (
            (int(r[k]) for k in ("queued", "delivered", "failed")) if r else (0, 0, 0)
        )
        if delivered_name is not None:
            setattr(stats, delivered_name, delivered)
        setattr(stats, pending_name, queued - delivered - failed)
        stats.failed = failed
        stats.last_error = r["last_error"] if r and failed else None


def add_page_visits(ctx: ReportContext, elements: list[ElementStats]) -> None:
    """Page visits and unique visitors matching each page-visit trigger's URL pattern."""
    patterns: dict[str, str] = {}
    for element in ctx.map.elements:
        if isinstance(element, Trigger) and element.event.on.value == "page_visited":
            patterns[element.id] = element.event.url_pattern or "*"
    if not patterns:
        return
    start, end = ctx.params.bounds()
    rows = {
        r["pattern"]: r
        for r in ctx.store.query(
            "report_page_visits",
            {
                "patterns": sorted(set(patterns.values())),
                "from": start,
                "to": end,
                **ctx.params.utm_params(),
            },
        )
    }
    for stats in elements:
        if stats.id in patterns:
            r = rows.get(patterns[stats.id])
            stats.page_visits = int(r["page_visits"]) if r else 0
            stats.unique_visitors = int(r["unique_visitors"]) if r else 0
