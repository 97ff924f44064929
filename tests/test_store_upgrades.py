"""A store made before the channels (email attempts in email_deliveries, `sent` counted when
queued) opens with its queued messages still on their way, and nothing delivered sent twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb

import journeymap
from journeymap.channels import DeliveryWorker, RetryPolicy
from journeymap.channels.email import EmailCourier, SmtpConfig
from journeymap.clock import ManualClock
from test_email_support import smtp_server
from test_engine_support import T0

OLD_SCHEMA = """
CREATE TABLE contacts (
    contact_id VARCHAR PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    first_utm_source VARCHAR, first_utm_medium VARCHAR, first_utm_campaign VARCHAR,
    first_utm_content VARCHAR, first_utm_term VARCHAR,
    last_utm_source VARCHAR, last_utm_medium VARCHAR, last_utm_campaign VARCHAR,
    last_utm_content VARCHAR, last_utm_term VARCHAR,
    tags VARCHAR[],
    fields VARCHAR
);
CREATE TABLE email_events (
    event VARCHAR NOT NULL,
    map_id VARCHAR,
    element_id VARCHAR,
    contact_id VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE email_outbox (
    message_id VARCHAR PRIMARY KEY,
    map_id VARCHAR NOT NULL,
    element_id VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    to_address VARCHAR,
    subject VARCHAR NOT NULL,
    html VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    links VARCHAR NOT NULL,
    unsubscribe_url VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE email_deliveries (
    message_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    error VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL
);
"""
# ann: queued, never tried; bob: failed once for now; cy: delivered; dee: had no address.
# The old engine wrote a `sent` for each as it queued it.
OLD_FACTS = """
INSERT INTO contacts (contact_id, created_at, fields) VALUES
    ('ann', '2026-01-05 08:00:00+00', '{"email": "ann@x.org", "name": "Ann"}'),
    ('bob', '2026-01-05 08:00:00+00', '{"email": "bob@x.org", "name": "Bob"}'),
    ('cy', '2026-01-05 08:00:00+00', '{"email": "cy@x.org", "name": "Cy"}'),
    ('dee', '2026-01-05 08:00:00+00', '{"name": "Dee"}');
INSERT INTO email_outbox VALUES
    ('m-ann', 'welcome', 'hello', 'ann', 'ann@x.org', 'Welcome, Ann', '<p>Hi Ann</p>',
     'Hi Ann', '[]', 'http://127.0.0.1:9/t/unsubscribe?m=m-ann', '2026-01-05 08:30:00+00'),
    ('m-bob', 'welcome', 'hello', 'bob', 'bob@x.org', 'Welcome, Bob', '<p>Hi Bob</p>',
     'Hi Bob', '[]', 'http://127.0.0.1:9/t/unsubscribe?m=m-bob', '2026-01-05 08:31:00+00'),
    ('m-cy', 'welcome', 'hello', 'cy', 'cy@x.org', 'Welcome, Cy', '<p>Hi Cy</p>',
     'Hi Cy', '[]', 'http://127.0.0.1:9/t/unsubscribe?m=m-cy', '2026-01-05 08:32:00+00'),
    ('m-dee', 'welcome', 'hello', 'dee', NULL, 'Welcome, Dee', '<p>Hi Dee</p>',
     'Hi Dee', '[]', 'http://127.0.0.1:9/t/unsubscribe?m=m-dee', '2026-01-05 08:33:00+00');
INSERT INTO email_deliveries VALUES
    ('m-bob', 1, 'failed', 'SMTPServerDisconnected: Connection unexpectedly closed',
     '2026-01-05 08:40:00+00'),
    ('m-cy', 1, 'delivered', NULL, '2026-01-05 08:41:00+00'),
    ('m-dee', 1, 'no_address', 'the contact has no ''email'' field', '2026-01-05 08:42:00+00');
INSERT INTO email_events VALUES
    ('sent', 'welcome', 'hello', 'ann', '2026-01-05 08:30:00+00'),
    ('sent', 'welcome', 'hello', 'bob', '2026-01-05 08:31:00+00'),
    ('sent', 'welcome', 'hello', 'cy', '2026-01-05 08:32:00+00'),
    ('sent', 'welcome', 'hello', 'dee', '2026-01-05 08:33:00+00'),
    ('opened', 'welcome', 'hello', 'cy', '2026-01-05 08:50:00+00');
"""


def old_store(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(OLD_SCHEMA)
        con.execute(OLD_FACTS)
    finally:
        con.close()


def test_queued_messages_of_a_store_made_before_the_channels_are_delivered(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "old.duckdb"
    old_store(path)
    with smtp_server() as (inbox, port), journeymap.open(path, clock=clock) as jm:
        config = SmtpConfig(port=port, sender="news@shop.example", timeout_seconds=5)
        policy = RetryPolicy(base_seconds=30, max_seconds=90, jitter=0)
        worker = DeliveryWorker(jm.store, jm.clock, EmailCourier(config), policy)
        assert worker.deliver_due() == {"delivered": 2}
        clock.advance(timedelta(days=1))
        assert worker.deliver_due() == {}
        states = {
            d.delivery_id: (d.state, d.status, d.attempts)
            for d in jm.deliveries(channel="email").deliveries
        }
        sent = [
            (r["event"], r["contact_id"], r["occurred_at"])
            for r in jm.store.query("email_events_log")
        ]
    assert sorted(m["Subject"] for m in inbox.messages) == ["Welcome, Ann", "Welcome, Bob"]
    assert states == {
        "m-ann": ("delivered", "delivered", 1),
        "m-bob": ("delivered", "delivered", 2),  # the old failure, then now
        "m-cy": ("delivered", "delivered", 1),  # not sent again
        "m-dee": ("failed", "no_address", 1),
    }
    assert sent == [  # sent now means the SMTP server took it: cy then, ann and bob now
        ("sent", "cy", T0 - timedelta(minutes=28)),
        ("opened", "cy", T0 - timedelta(minutes=10)),
        ("sent", "ann", T0),
        ("sent", "bob", T0),
    ]


def test_an_upgraded_store_opens_again_unchanged(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "old.duckdb"
    old_store(path)
    with journeymap.open(path, clock=clock) as jm:
        first = [d.model_dump() for d in jm.deliveries().deliveries]
    with journeymap.open(path, clock=clock) as jm:
        assert [d.model_dump() for d in jm.deliveries().deliveries] == first
        assert len(first) == 4
        events = [(r["event"], r["contact_id"]) for r in jm.store.query("email_events_log")]
    assert events == [("sent", "cy"), ("opened", "cy")]  # ann's, bob's, dee's sent: not taken
