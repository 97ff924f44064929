"""Helpers for the import tests: a small map, files written in each format, facts read back."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import journeymap
from journeymap.model import parse_map

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

JOURNEY = {
    "id": "journey",
    "elements": [
        {"id": "start", "kind": "trigger", "event": {"on": "contact_created"}},
        {"id": "welcome", "kind": "action", "action": {"type": "add_tag", "tag": "welcomed"}},
        {"id": "nurture", "kind": "wait", "duration": "P1D"},
        {"id": "buy", "kind": "goal", "event": {"on": "purchase"}},
        {"id": "done", "kind": "end"},
    ],
    "connectors": [
        {"id": "k1", "from": "start", "to": "welcome"},
        {"id": "k2", "from": "welcome", "to": "nurture"},
        {"id": "k3", "from": "nurture", "to": "buy"},
        {"id": "k4", "from": "buy", "to": "done"},
    ],
}
"""start -k1-> welcome -k2-> nurture -k3-> buy (goal) -k4-> done."""


def at(minutes: float = 0, *, hours: float = 0) -> datetime:
    """A time relative to T0 (Monday 2026-01-05 09:00 UTC)."""
    return T0 + timedelta(hours=hours, minutes=minutes)


def iso(minutes: float = 0, *, hours: float = 0) -> str:
    return at(minutes, hours=hours).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_journey(jm: journeymap.Journeymap) -> None:
    jm.add_map(parse_map(JOURNEY))


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write rows (None = empty) as CSV, JSON Lines or Parquet, by the file's suffix."""
    names = list(dict.fromkeys(k for row in rows for k in row))
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, names)
            w.writeheader()
            for row in rows:
                w.writerow({k: "" if row.get(k) is None else row[k] for k in names})
    elif path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({k: v for k, v in row.items() if v is not None}) + "\n")
    else:
        cols = {k: [_typed(k, row.get(k)) for row in rows] for k in names}
        pq.write_table(pa.table(cols), path)
    return path


def _typed(name: str, value: Any) -> Any:
    """Parquet files carry real timestamps, not text."""
    if name.endswith("_at") and isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def moves(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """(seq, contact, entry, from, to, connector, kind, at) of every transition."""
    rows = jm.store.query("engine_transitions", {"map_id": None, "contact_id": None})
    return [
        (
            r["seq"],
            r["contact_id"],
            r["entry_id"],
            r["from_element"],
            r["to_element"],
            r["connector_id"],
            r["kind"],
            r["occurred_at"],
        )
        for r in rows
    ]


def achievements(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """(seq, contact, goal, entry, from, at) of every achievement."""
    rows = jm.store.query("engine_achievements", {"map_id": None})
    return [
        (
            r["seq"],
            r["contact_id"],
            r["goal_id"],
            r["entry_id"],
            r["from_element"],
            r["occurred_at"],
        )
        for r in rows
    ]


def entries(jm: journeymap.Journeymap) -> list[tuple[Any, ...]]:
    """(entry_id, contact, element, at) of every entry."""
    return [
        (r["entry_id"], r["contact_id"], r["element_id"], r["occurred_at"])
        for r in jm.store.query("engine_entries")
    ]


def counts(jm: journeymap.Journeymap) -> dict[str, int]:
    """Rows in every fact table and in imports."""
    return {k: int(v) for k, v in jm.store.query("import_counts")[0].items()}


def rows(jm: journeymap.Journeymap, table: str) -> list[dict[str, Any]]:
    return jm.store.query(f"import_rows_{table}")


EMPTY = {
    "contacts": 0,
    "entries": 0,
    "transitions": 0,
    "achievements": 0,
    "email_events": 0,
    "purchases": 0,
    "page_visits": 0,
    "marketing_costs": 0,
    "imports": 0,
}
