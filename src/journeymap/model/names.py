"""Readable names for elements: the name the map gives, else one made from the kind and settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import singledispatch
from typing import Any
from urllib.parse import urlsplit

from journeymap.model.elements import (
    Action,
    AddTag,
    AddToMap,
    Condition,
    Element,
    End,
    EventKind,
    EventMatch,
    Fork,
    Goal,
    Goto,
    Notify,
    RemoveFromMap,
    RemoveTag,
    Rule,
    SendEmail,
    Split,
    Trigger,
    UpdateField,
    Wait,
    Webhook,
)

UNITS: tuple[tuple[str, int], ...] = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
WEEKS_UP_TO = 10
"""Whole weeks up to this many are written in weeks (3 weeks), longer spans in days (90 days)."""

OPS = {
    "eq": "is",
    "ne": "is not",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "contains": "contains",
}


def span(d: timedelta) -> str:
    """A duration in words: `3 weeks`, `90 days`, `1 hour 30 minutes`, `0 seconds`."""
    left = int(d.total_seconds())
    if left % (7 * 86400) == 0 and 0 < left <= WEEKS_UP_TO * 7 * 86400:
        weeks = left // (7 * 86400)
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    parts = []
    for unit, size in UNITS:
        n, left = divmod(left, size)
        if n:
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return " ".join(parts[:2]) or "0 seconds"


def _value(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


EVENT_WORDS: dict[EventKind, Callable[[EventMatch], str]] = {
    EventKind.contact_created: lambda e: "Contact created",
    EventKind.tag_added: lambda e: f"Tag {e.tag} added" if e.tag else "Any tag added",
    EventKind.tag_removed: lambda e: f"Tag {e.tag} removed" if e.tag else "Any tag removed",
    EventKind.field_updated: lambda e: (
        f"{e.field or 'A field'} set to {e.value}" if e.value else f"{e.field} updated"
    ),
    EventKind.form_submitted: lambda e: f"Form {e.form} submitted" if e.form else "Any form",
    EventKind.page_visited: lambda e: f"Visited {e.url_pattern}" if e.url_pattern else "Any visit",
    EventKind.purchase: lambda e: f"Bought {e.product}" if e.product else "Any purchase",
    EventKind.email_opened: lambda e: f"Opened {e.email}" if e.email else "Opened an email",
    EventKind.email_clicked: lambda e: f"Clicked in {e.email}" if e.email else "Clicked an email",
    EventKind.added_manually: lambda e: "Added by hand",
}


def event_words(e: EventMatch) -> str:
    """What a trigger or goal listens for, as a person would say it."""
    return EVENT_WORDS[e.on](e)


def rule_words(r: Rule) -> str:
    """A condition's rule as a question."""
    if r.tag is not None:
        return f"Has tag {r.tag}?" if r.op != "not_has" else f"Lacks tag {r.tag}?"
    subject = f"{r.touch}-touch UTM {r.utm}" if r.utm is not None else str(r.field)
    if r.op == "exists":
        return f"Has {subject}?"
    if r.op in ("has", "not_has"):
        return f"{subject} {'set' if r.op == 'has' else 'not set'}?"
    return f"{subject} {OPS[r.op]} {_value(r.value)}?"


def wait_words(w: Wait) -> str:
    """How long or until when a wait holds a contact."""
    if w.duration is not None:
        return f"Wait {span(w.duration)}"
    if w.until is not None:
        return f"Wait until {w.until:%Y-%m-%d %H:%M}"
    when = " ".join(
        p
        for p in (
            w.weekday.capitalize() if w.weekday else None,
            f"{w.time_of_day:%H:%M}" if w.time_of_day else None,
        )
        if p
    )
    zone = f" ({w.timezone})" if w.timezone != "UTC" else " UTC"
    return f"Wait until {when}{zone}"


@singledispatch
def made_name(e: Element) -> str:
    """A name from the element's kind and settings (one registered function per kind)."""
    return str(e.kind).capitalize()


@made_name.register
def _(e: Trigger | Goal) -> str:
    return event_words(e.event)


@made_name.register
def _(e: Wait) -> str:
    return wait_words(e)


@made_name.register
def _(e: Condition) -> str:
    return rule_words(e.rule)


@made_name.register
def _(e: Split) -> str:
    return "A/B split"


@made_name.register
def _(e: Fork) -> str:
    return "Fork: every path"


@made_name.register
def _(e: Goto) -> str:
    return f"Go to {e.target}"


@made_name.register
def _(e: End) -> str:
    return "Exit the map" if e.exit else "End"


@made_name.register
def _(e: Action) -> str:
    return ACTION_NAMES[type(e.action)](e.action)


ACTION_NAMES: dict[type, Callable[[Any], str]] = {
    SendEmail: lambda a: f"Email: {a.message.subject}",
    AddTag: lambda a: f"Add tag {a.tag}",
    RemoveTag: lambda a: f"Remove tag {a.tag}",
    UpdateField: lambda a: f"Set {a.field} to {a.value}",
    AddToMap: lambda a: f"Add to map {a.map_id}",
    RemoveFromMap: lambda a: f"Remove from map {a.map_id}",
    Webhook: lambda a: f"Webhook to {urlsplit(a.url).hostname or a.url}",
    Notify: lambda a: f"Notify {a.to}",
}


def element_name(e: Element) -> str:
    """The element's own name, else words made from its kind and settings."""
    return e.name or made_name(e)
