"""Checking an import file's typed rows in one pass, and naming the first broken rule."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from journeymap.errors import ImportRejected
from journeymap.importer.addresses import first_bad_address
from journeymap.importer.kinds import LIMITS, Kind
from journeymap.importer.maps import MapIndex
from journeymap.importer.rules import COMMON, RULES, Found, shown
from journeymap.store.protocol import Staging

EXPECTED: dict[str, str] = {
    "id": "text",
    "text": "text",
    "time": "an ISO 8601 time such as 2026-01-05T09:00:00Z",
    "date": "an ISO 8601 date such as 2026-01-05",
    "number": "a number",
    "tags": "a list of tags",
}
"""Column type to what a value of it must be."""

_FIRST, _LAST = LIMITS.years
_REASONS: dict[str, Callable[[str, str], str]] = {
    "format": lambda shown, kind: f"{shown} is not {EXPECTED[kind]}",
    "years": lambda shown, _k: f"{shown} is outside the years {_FIRST} to {_LAST}",
    "large": lambda shown, _k: f"{shown} is too large: a number must be under 10^14",
    "long": lambda _s, kind: (
        f"is longer than {LIMITS.text if kind == 'text' else LIMITS.id:,} characters"
    ),
    "nul": lambda shown, _k: f"{shown} contains a NUL character",
    "control": lambda shown, _k: f"{shown} contains a control character (tab, line break, NUL)",
}
"""Why a value does not convert (the staging's reason code) to what the error says."""

_JSON_CLASSES: dict[type, str] = {
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "object",
}


_VALUE_CHECKS: dict[str, Callable[[Staging, int | None], tuple[int, str, str] | None]] = {
    "contacts": first_bad_address,
}
"""Kind name to its checks that need Python (given the first row the check query found, they
look at the rows before it): the first row they refuse, its column and the reason."""


@dataclass(frozen=True)
class Sources:
    """Where each checked column of the file is, and in what form the file holds values."""

    types: Mapping[str, str]
    """Column (a kind's column or a contact field) to its type."""
    positions: Mapping[str, int]
    """Column to its position in the file."""
    json: bool
    """Values are JSON (a JSON Lines file)."""


def check_rows(
    store: Staging,
    file: str,
    kind: Kind,
    sources: Sources,
    maps: MapIndex,
    default_map: str | None,
) -> None:
    """Raise ImportRejected naming the first staged row, and its column, that breaks a rule."""
    found = store.query(f"import_check_{kind.name}")
    before = int(found[0]["row_no"]) if found else None
    value_check = _VALUE_CHECKS.get(kind.name)
    refused = None if value_check is None else value_check(store, before)
    if refused is not None:
        raise ImportRejected(file, *refused)
    if not found:
        return
    row, name = int(found[0]["row_no"]), str(found[0]["rule"])
    rule = next(r for r in (*COMMON, *RULES[kind.name]) if r.name == name)
    typed = store.query("import_typed_row", {"row": row})[0]
    if rule.name == "row_problem":
        problem = str(typed["row_problem"])
        column = problem.removeprefix("repeated:") if problem != "not_object" else None
        reason = (
            "each line must be a JSON object" if column is None else "the object has this key twice"
        )
    elif rule.name == "bad_value":
        column = str(typed["bad_column"])
        reason = _bad_value(store, row, column, str(typed["bad_reason"]), sources)
    elif rule.name == "missing_value":
        column, reason = str(typed["missing_column"]), "missing value"
    else:
        column = rule.column
        reason = rule.reason(Found(typed, maps, default_map))
    raise ImportRejected(file, row, column, reason)


def _bad_value(store: Staging, row: int, column: str, code: str, sources: Sources) -> str:
    raw = store.query("import_raw_row", {"row": row})[0][f"c{sources.positions[column]}"]
    value: Any = json.loads(raw) if sources.json else raw
    text = shown(value)
    if code.startswith("jtype:"):
        return f"{text} is {_JSON_CLASSES.get(type(value), 'object')}; earlier rows have {code[6:]}"
    return _REASONS[code](text, sources.types[column])
