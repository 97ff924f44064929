"""Fill a message template's `{{name}}` placeholders from a contact's fields."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from journeymap.engine.state import Profile
from journeymap.model.elements import EmailMessage

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message with its placeholders filled: subject, HTML and plain text."""

    subject: str
    html: str
    text: str


def values_for(profile: Profile, extra: dict[str, str]) -> dict[str, str]:
    """What placeholders can name: the contact's fields, `contact_id`, and the extra values."""
    return {**profile.fields, "contact_id": profile.contact_id, **extra}


def fill(template: str, values: dict[str, str], *, escape: bool) -> str:
    """Replace each placeholder by its value (empty when unknown), HTML-escaped when asked."""

    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "")
        return html.escape(value, quote=True) if escape else value

    return PLACEHOLDER.sub(one, template)


def render(message: EmailMessage, profile: Profile, extra: dict[str, str]) -> Rendered:
    """The message for one contact; the subject is kept to one line so no header can be injected."""
    values = values_for(profile, extra)
    subject = " ".join(fill(message.subject, values, escape=False).split())
    return Rendered(
        subject=subject,
        html=fill(message.html, values, escape=True),
        text=fill(message.text, values, escape=False),
    )
