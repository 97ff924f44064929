"""The kinds of import file, their documented columns, and telling which kind a file is."""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.errors import ImportRejected
from journeymap.store.facts import UTM_FIELDS


@dataclass(frozen=True)
class Column:
    """One documented column: its value type, whether every row needs it, and what it means."""

    name: str
    type: str
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of import file: its columns and the staging table its rows go to."""

    name: str
    columns: tuple[Column, ...]
    signature: frozenset[str]
    staging: str
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
            Column("contact_id", "text", True, "the contact"),
            Column("map_id", "text", doc="the map; `--map` gives it when the column is absent"),
            Column("element_id", "text", True, "the element visited (latest stored map version)"),
            Column("entered_at", "time", True, "when the contact arrived at the element"),
            Column("left_at", "time", doc="when it left; empty on a visit still going on"),
            Column("from_element_id", "text", doc="where it came from (default: previous visit)"),
            Column("achieved_at", "time", doc="goal elements only: when the goal was achieved"),
            Column("duration_s", "number", doc="seconds on the element; gives left_at if empty"),
        ),
        frozenset({"contact_id", "element_id", "entered_at"}),
        "import_visits",
    ),
    "purchases": Kind(
        "purchases",
        (
            Column("contact_id", "text", True, "the buyer"),
            Column("occurred_at", "time", True, "when the purchase happened"),
            Column("amount", "number", True, "amount; a refund is negative"),
            Column("product", "text", doc="product name or id"),
        ),
        frozenset({"contact_id", "occurred_at", "amount"}),
        "import_purchases",
    ),
    "email_events": Kind(
        "email_events",
        (
            Column("contact_id", "text", True, "the recipient"),
            Column("map_id", "text", doc="the map of the send-email element"),
            Column("element_id", "text", doc="the send-email element (needs map_id)"),
            Column("event", "text", True, "sent, opened, clicked or unsubscribed"),
            Column("occurred_at", "time", True, "when it happened"),
        ),
        frozenset({"contact_id", "event", "occurred_at"}),
        "import_email_events",
    ),
    "page_visits": Kind(
        "page_visits",
        (
            Column("visitor_id", "text", doc="anonymous visitor id (default: contact_id)"),
            Column("contact_id", "text", doc="the contact, empty while anonymous"),
            Column("url", "text", True, "the page URL"),
            *_utm("utm_", "the visit's"),
            Column("occurred_at", "time", True, "when the page was visited"),
        ),
        frozenset({"url", "occurred_at"}),
        "import_page_visits",
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
        "import_marketing_costs",
        names_contacts=False,
    ),
    "contacts": Kind(
        "contacts",
        (
            Column("contact_id", "text", True, "the contact"),
            Column("created_at", "time", True, "when the contact was created"),
            *_utm("utm_", "first-touch"),
            *_utm("last_utm_", "last-touch"),
            Column("tags", "tags", doc="list of tags, or one string with tags separated by `;`"),
        ),
        frozenset({"contact_id", "created_at"}),
        "import_contacts",
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
