"""The engine listener that turns a notify action into an email to the team about the contact."""

from __future__ import annotations

from journeymap.channels.email.channel import check_encodable
from journeymap.channels.email.courier import NOTIFY
from journeymap.channels.email.render import fill, values_for
from journeymap.channels.outbox import Channel
from journeymap.engine.state import Profile
from journeymap.engine.step import Effect
from journeymap.model.elements import Notify
from journeymap.store.facts import UTM_FIELDS, FactBatch

DEFAULT_SUBJECT = "journeymap: contact {{contact_id}} reached ELEMENT on map MAP"
"""The subject of a notify action without one (ELEMENT and MAP: the action's element and map)."""


def contact_summary(effect: Effect, profile: Profile) -> str:
    """The contact as the team reads it below the message: where, tags, fields, UTM."""
    lines = [
        f"Contact: {profile.contact_id}",
        f"Map: {effect.map_id}, element: {effect.element_id}, at {effect.at.isoformat()}",
        f"Tags: {', '.join(sorted(profile.tags)) or '(none)'}",
        "Fields:" if profile.fields else "Fields: (none)",
        *(f"  {name}: {value}" for name, value in sorted(profile.fields.items())),
    ]
    for touch, utm in (("first", profile.utm_first), ("last", profile.utm_last)):
        given = [f"{f}={utm[f]}" for f in UTM_FIELDS if utm.get(f)]
        if given:
            lines.append(f"UTM ({touch} touch): {', '.join(given)}")
    return "\n".join(lines)


class NotifyChannel(Channel):
    """Queues one plain-text email per notify action in the action's batch: its `message` with
    `{{field}}` placeholders filled, then the contact's tags and fields; sent to `to`, or to the
    team address setting when `to` is empty."""

    channel = "email"

    def __call__(self, effect: Effect, profile: Profile, batch: FactBatch) -> None:
        spec = effect.spec
        if not isinstance(spec, Notify):
            return
        values = values_for(profile, {})
        default = DEFAULT_SUBJECT.replace("ELEMENT", effect.element_id)
        template = spec.subject or default.replace("MAP", effect.map_id)
        subject = " ".join(fill(template, values, escape=False).split())
        message = fill(spec.message, values, escape=False).strip()
        summary = contact_summary(effect, profile)
        text = f"{message}\n\n{summary}\n" if message else f"{summary}\n"
        check_encodable(subject, text)
        delivery_id = self.new_id()
        self.queue_as(delivery_id, effect, batch)
        batch.add(
            "email_outbox",
            (
                delivery_id,
                effect.map_id,
                effect.element_id,
                profile.contact_id,
                ", ".join(spec.recipients()) or None,
                subject,
                "",
                text,
                "[]",
                "",
                effect.at,
                NOTIFY,
            ),
        )
        self.settle_if_simulated(delivery_id, effect, batch)
