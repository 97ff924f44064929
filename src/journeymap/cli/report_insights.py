"""`stats --format table` for reports with tables of their own (split tests), in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console

from journeymap.cli.report_table import NONE, _table, count, percent

Printer = Callable[[Console, dict[str, Any], dict[str, str]], None]
"""Prints a report's own tables from its JSON and the elements' readable names."""


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def signed_points(value: Any) -> str:
    """An absolute lift in percentage points: +2.1 pts."""
    if value is None:
        return NONE
    points = float(value) * 100
    return f"{points:+.1f} pts"


def p_value(value: Any) -> str:
    if value is None:
        return NONE
    return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def interval(low: Any, high: Any) -> str:
    if low is None or high is None:
        return NONE
    return f"{float(low) * 100:.1f}-{float(high) * 100:.1f}%"


def print_split_test(console: Console, data: dict[str, Any], names: dict[str, str]) -> None:
    """One table per split: each branch's contacts, rate, interval, lift, p-value, chance best."""
    for split in (e for e in data["elements"] if e.get("split_verdict") is not None):
        table = _table(
            f"Split: {names.get(split['id'], split['id'])}",
            "branch",
            ["contacts", "converted", "95% CI", "lift", "p", "best"],
        )
        branches = [c for c in data["connectors"] if c["from"] == split["id"]]
        called = [names.get(c["to"], c["to"]) for c in branches]
        for c, name in zip(branches, called, strict=True):
            shown = f"{name} ({c['id']})" if called.count(name) > 1 else name
            control = c["id"] == split["split_control"]
            table.add_row(
                shown + (", control" if control else ""),
                count(c.get("branch_contacts")),
                f"{percent(c.get('branch_rate'))} ({count(c.get('branch_achievers'))})",
                interval(c.get("branch_rate_low"), c.get("branch_rate_high")),
                signed_points(c.get("branch_lift")),
                p_value(c.get("branch_p_value")),
                percent(c.get("branch_prob_best")),
            )
        console.print(table)
        _say(console, split["split_verdict_text"])
        if split.get("split_crossed"):
            _say(
                console,
                f"{count(split['split_crossed'])} contacts went down more than one branch "
                "(the map changed) and are left out.",
            )


PRINTERS: dict[str, Printer] = {"split-test": print_split_test}
"""The newer reports' own tables, printed after the element tables."""
