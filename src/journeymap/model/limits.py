"""Documented limits: the kinds of text journeymap stores, and how much one contact holds."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TextKind:
    """A kind of stored text: its length bounds and which characters it refuses."""

    name: str
    min_length: int
    max_length: int
    one_line: bool
    """Refuses every control character (a line break included); otherwise only NUL."""

    @property
    def pattern(self) -> str:
        """A regular expression of the characters allowed (the API's schema shows it)."""
        return r"^[^\x00-\x1f\x7f]*$" if self.one_line else r"^[^\x00]*$"

    def problem(self, value: str) -> str | None:
        """What is wrong with `value` as this kind of text ("holds ..."), or None."""
        if not self.min_length <= len(value) <= self.max_length:
            return (
                f"holds {len(value):,} characters; {self.name} holds "
                f"{self.min_length:,} to {self.max_length:,}"
            )
        bad = _SURROGATE.search(value)
        if bad is not None:
            return f"holds a lone surrogate U+{ord(bad.group()):04X}, which is not valid Unicode"
        bad = (_CONTROL if self.one_line else _NUL).search(value)
        if bad is not None:
            return f"holds the control character U+{ord(bad.group()):04X}"
        return None


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUL = re.compile(r"\x00")

ID = TextKind("an id", 1, 200, one_line=True)
"""A map, element, connector, contact, visitor or client event id."""
NAME = TextKind("a name", 1, 200, one_line=True)
"""A tag, field, form, custom event or time zone name."""
LINE = TextKind("a one-line text", 0, 1000, one_line=True)
"""A title or a header: a map or element name, an email subject, a notification address."""
URL = TextKind("a URL", 1, 2000, one_line=True)
"""A visited URL, a URL pattern, a webhook address."""
VALUE = TextKind("a value", 0, 10_000, one_line=False)
"""A field value, product, UTM value, condition value."""
BODY = TextKind("a body", 0, 100_000, one_line=False)
"""An email's HTML or text part, a notification message, a map's description."""

TEXT_KINDS: tuple[TextKind, ...] = (ID, NAME, LINE, URL, VALUE, BODY)
"""Every kind of text, as docs/api.md lists them."""

MAX_TAGS = 1000
"""Tags one contact may hold."""
MAX_FIELDS = 1000
"""Fields one contact may hold."""
