"""The kinds of import file, their documented columns, and telling which kind a file is."""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.errors import ImportRejected
from journeymap.store.facts import UTM_FIELDS
from journeymap.store.protocol import StagingLimits

LIMITS = StagingLimits(id=200, text=10_000, name=200, number=1e14, years=(1970, 2999))
"""What an imported value may hold: ids (contact, visitor, map and element ids) and tags up to 200
characters without control characters; other text up to 10,000 characters without NUL; numbers
under 10^14 in magnitude; times and dates in the years 1970 to 2999 (as the HTTP API takes)."""


@dataclass(frozen=True)
class Column:
    """One documented column: its value type, whether every row needs it, and what it means."""

    name: str
    type: str
    """id, text, time, date, number or tags."""
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of import file: its columns, and those that tell a file is of this kind."""

    name: str
    columns: tuple[Column, ...]
    signature: frozenset[str]
    open_columns: bool = False
    """Extra columns are allowed (contacts: they become fields); otherwise they are rejected."""
    names_contacts: bool = True
    """Its rows name contacts, who get a contacts row when the store does not know them yet."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _utm(prefix: str, what: str) -> tuple[Column, ...]:
    return tuple(Column(f"{prefix}{f}", "text", doc=f"{what} UTM {f}") for f in UTM_FIELDS)


KINDS: dict[str, Kind] = {
    "visits": Kind(
        "visits",
        (
            Column("contact_id", "id", True, "the contact"),
            Column("map_id", "id", doc="the map; `--map` gives it when the column is absent"),
            Column("element_id", "id", True, "the element visited (latest stored map version)"),
            Column("entered_at", "time", True, "when the contact arrived at the element"),
            Column("left_at", "time", doc="when it left; empty on a visit still going on"),
            Column("from_element_id", "id", doc="where it came from (default: previous visit)"),
            Column("achieved_at", "time", doc="goal elements only: when the goal was achieved"),
            Column("duration_s", "number", doc="seconds on the element; gives left_at if empty"),
        ),
        frozenset({"contact_id", "element_id", "entered_at"}),
    ),
    "purchases": Kind(
        "purchases",
        (
            Column("contact_id", "id", True, "the buyer"),
            Column("occurred_at", "time", True, "when the purchase happened"),
            Column("amount", "number", True, "amount; a refund is negative"),
            Column("product", "text", doc="product name or id"),
        ),
        frozenset({"contact_id", "occurred_at", "amount"}),
    ),
    "email_events": Kind(
        "email_events",
        (
            Column("contact_id", "id", True, "the recipient"),
            Column("map_id", "id", doc="the map of the send-email element"),
            Column("element_id", "id", doc="the send-email element (needs map_id)"),
            Column("event", "text", True, "sent, opened, clicked or unsubscribed"),
            Column("occurred_at", "time", True, "when it happened"),
        ),
        frozenset({"contact_id", "event", "occurred_at"}),
    ),
    "page_visits": Kind(
        "page_visits",
        (
            Column("visitor_id", "id", doc="anonymous visitor id (default: contact_id)"),
            Column("contact_id", "id", doc="the contact, empty while anonymous"),
            Column("url", "text", True, "the page URL"),
            *_utm("utm_", "the visit's"),
            Column("occurred_at", "time", True, "when the page was visited"),
        ),
        frozenset({"url", "occurred_at"}),
    ),
    "marketing_costs": Kind(
        "marketing_costs",
        (
            Column("utm_field", "text", True, "source, medium, campaign, content or term"),
            Column("utm_value", "text", True, "the UTM value the money was spent on"),
            Column("period_start", "date", True, "first day of the period"),
            Column("period_end", "date", True, "last day of the period"),
            Column("amount", "number", True, "cost in the period, not negative"),
        ),
        frozenset({"utm_field", "utm_value", "period_start", "period_end", "amount"}),
        names_contacts=False,
    ),
    "contacts": Kind(
        "contacts",
        (
            Column("contact_id", "id", True, "the contact"),
            Column("created_at", "time", True, "when the contact was created"),
            *_utm("utm_", "first-touch"),
            *_utm("last_utm_", "last-touch"),
            Column("tags", "tags", doc="list of tags, or one string with tags separated by `;`"),
        ),
        frozenset({"contact_id", "created_at"}),
        open_columns=True,
        names_contacts=False,
    ),
}
"""Every kind of import file; the order is the order kinds are tried when telling them apart."""


def detect(columns: list[str], file: str, kind: str | None = None) -> Kind:
    """The kind named, or else the one kind whose identifying columns the file has."""
    if kind is not None:
        if kind not in KINDS:
            raise ImportRejected(file, None, None, f"unknown kind {kind!r}; one of {list(KINDS)}")
        found = KINDS[kind]
    else:
        have = set(columns)
        specific = [k for k in KINDS.values() if not k.open_columns and k.signature <= have]
        fallback = [k for k in KINDS.values() if k.open_columns and k.signature <= have]
        if len(specific) > 1:
            names = ", ".join(k.name for k in specific)
            reason = f"columns fit several kinds ({names}); give kind"
            raise ImportRejected(file, None, None, reason)
        candidates = specific or fallback
        if not candidates:
            raise ImportRejected(
                file, None, None, f"cannot tell the kind of file from columns {sorted(have)}"
            )
        found = candidates[0]
    for col in found.columns:
        if col.required and col.name not in columns:
            raise ImportRejected(file, None, col.name, f"missing column for {found.name}")
    if not found.open_columns:
        for name in columns:
            if name not in found.names:
                raise ImportRejected(file, None, name, f"unknown column for {found.name}")
    return found
