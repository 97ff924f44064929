"""What is recorded: table columns in a fixed order, and a batch of rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

UTM_FIELDS: tuple[str, ...] = ("source", "medium", "campaign", "content", "term")

TABLES: dict[str, tuple[str, ...]] = {
    "maps": ("map_id", "version", "name", "body", "created_at", "archived"),
    "map_drafts": ("map_id", "body", "based_on", "saved_at"),
    "contacts": (
        "contact_id",
        "created_at",
        *(f"first_utm_{f}" for f in UTM_FIELDS),
        *(f"last_utm_{f}" for f in UTM_FIELDS),
        "tags",
        "fields",
    ),
    "entries": ("entry_id", "map_id", "contact_id", "element_id", "occurred_at"),
    "transitions": (
        "seq",
        "contact_id",
        "map_id",
        "entry_id",
        "from_element",
        "to_element",
        "connector_id",
        "kind",
        "occurred_at",
    ),
    "achievements": (
        "seq",
        "contact_id",
        "map_id",
        "goal_id",
        "entry_id",
        "from_element",
        "occurred_at",
    ),
    "waits": ("contact_id", "map_id", "element_id", "entry_id", "arrived_seq", "due_at"),
    "email_events": ("event", "map_id", "element_id", "contact_id", "occurred_at"),
    "purchases": ("contact_id", "occurred_at", "amount", "product"),
    "page_visits": (
        "visitor_id",
        "contact_id",
        "url",
        *(f"utm_{f}" for f in UTM_FIELDS),
        "occurred_at",
    ),
    "marketing_costs": ("utm_field", "utm_value", "period_start", "period_end", "amount"),
    "map_errors": (
        "map_id",
        "element_id",
        "contact_id",
        "event",
        "code",
        "reason",
        "occurred_at",
    ),
    "ingested_events": ("event_id", "occurred_at"),
    "imports": ("sha256", "file_name", "kind", "rows", "occurred_at"),
    # HTTP API and channels (api/, channels/)
    "tokens": ("token_hash", "scope", "created_at", "expires_at", "name"),
    "token_revocations": ("token_hash", "revoked_at"),
    "tracking_keys": ("secret", "created_at"),
    "public_urls": ("url", "set_at"),
    "email_outbox": (
        "message_id",
        "map_id",
        "element_id",
        "contact_id",
        "to_address",
        "subject",
        "html",
        "text",
        "links",
        "unsubscribe_url",
        "created_at",
        "kind",
    ),
    "deliveries": ("delivery_id", "channel", "map_id", "element_id", "contact_id", "created_at"),
    "webhook_outbox": ("delivery_id", "url", "body"),
    "delivery_attempts": (
        "delivery_id",
        "channel",
        "map_id",
        "element_id",
        "contact_id",
        "attempt",
        "status",
        "outcome",
        "error",
        "occurred_at",
        "next_attempt_at",
    ),
    "webhook_keys": ("secret", "created_at"),
    # the engine's flush number: its state file is current when it holds the same number
    "engine_marks": ("k", "v"),
    # contacts a history import wrote around the engine, not yet read back into its state file
    "engine_stale": ("contact_id",),
    # live intake (intake/)
    "intake_positions": ("log_id", "pos", "occurred_at"),
    "dead_letters": ("pos", "event_index", "kind", "contact_id", "event", "reason", "occurred_at"),
}
"""Every table and its columns, in the order rows are given."""

UPSERT_KEYS: dict[str, tuple[str, ...]] = {
    "contacts": ("contact_id",),
    "maps": ("map_id", "version"),
    "map_drafts": ("map_id",),
    "intake_positions": ("log_id",),
    "engine_marks": ("k",),
}
"""Tables whose rows replace an earlier row with the same key; every other table only appends."""


def _last_per_key(rows: list[tuple[Any, ...]], key_idx: list[int]) -> list[tuple[Any, ...]]:
    """Keep the last row for each key: an upsert batch may touch a contact many times."""
    key = itemgetter(*key_idx)  # no object made per row for a one-column key (see blocks)
    return list({key(row): row for row in rows}.values())


TRANSITION_KINDS: tuple[str, ...] = ("enter", "flow", "pull", "goto", "exit")
EMAIL_EVENTS: tuple[str, ...] = ("sent", "opened", "clicked", "unsubscribed")


@dataclass
class FactBatch:
    """Rows to append per table, written in one transaction; each row a tuple in TABLES order."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)

    def extend(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        self.rows.setdefault(table, []).extend(rows)

    def __len__(self) -> int:
        return sum(len(r) for r in self.rows.values())

    def clear(self) -> None:
        self.rows.clear()

    def blocks(self) -> Iterator[tuple[str, dict[str, list[Any]]]]:
        """Each table's rows as columns in TABLES order; an upsert table keeps the last row of
        each key (a batch may touch a contact many times)."""
        for table, given in self.rows.items():
            if given:
                cols = TABLES[table]
                key = UPSERT_KEYS.get(table)
                rows = given if key is None else _last_per_key(given, [cols.index(k) for k in key])
                if any(len(row) != len(cols) for row in rows):
                    raise ValueError(f"a row of {table} does not have the {len(cols)} columns")
                # column by column, indexing each row: zip(*rows) would make an iterator per row,
                # and that many new objects start a full garbage collection over every object the
                # engine holds (a second per flush with a few million of them)
                yield table, {c: [row[i] for row in rows] for i, c in enumerate(cols)}
