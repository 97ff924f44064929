"""Send-email queues its message whatever applies the event: track, tick, import, simulator."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import journeymap
from journeymap.channels import DeliveryWorker
from journeymap.channels.email import EmailCourier, Signer, SmtpConfig
from journeymap.clock import ManualClock
from journeymap.engine import Event
from journeymap.model.loading import parse_map
from journeymap.sim import Simulation
from test_api_support import welcome_map
from test_email_support import smtp_server
from test_engine_support import T0, action, add, end, form, trigger, wait


def _sent(jm: journeymap.Journeymap) -> list[tuple[str, str, str]]:
    rows = jm.store.query("email_events_log")
    return sorted(
        (r["map_id"], r["element_id"], r["contact_id"]) for r in rows if r["event"] == "sent"
    )


def _queued(jm: journeymap.Journeymap) -> list[tuple[str, str, str]]:
    return sorted((r["map_id"], r["element_id"], r["contact_id"]) for r in jm.outbox())


def _unsubscribe_link(jm: journeymap.Journeymap, contact: str) -> dict[str, list[str]]:
    (message,) = jm.outbox(contact)
    (row,) = jm.store.query("email_due", {"ids": [message["message_id"]]})
    return {"url": [row["unsubscribe_url"]], **parse_qs(urlsplit(row["unsubscribe_url"]).query)}


def _mail_after_wait(jm: journeymap.Journeymap, duration: str, subject: str) -> None:
    """Form -> wait -> send-email -> end."""
    elements = [
        trigger("t"),
        wait("w", duration=duration),
        action("mail", "send_email", message={"subject": subject}),
        end("e"),
    ]
    add(jm, "m", elements, [("c1", "t", "w"), ("c2", "w", "mail"), ("c3", "mail", "e")])


def test_track_queues_the_rendered_message_sent_only_once_the_server_takes_it(
    jm: journeymap.Journeymap,
) -> None:
    jm.configure_tracking(public_url="https://mail.shop.example/", secret="k")  # noqa: S106
    jm.add_map(parse_map(welcome_map()))
    jm.track(Event("contact_created", "ann", T0, fields={"email": "ann@x.org", "name": "Ann"}))
    assert _sent(jm) == []  # `sent` is recorded when an SMTP server accepts the message
    assert _queued(jm) == [("welcome", "hello", "ann")]
    (delivery,) = jm.deliveries().deliveries
    assert (delivery.channel, delivery.action, delivery.state, delivery.status) == (
        "email",
        "send_email",
        "pending",
        "queued",
    )
    (msg,) = jm.outbox()
    assert (msg["to_address"], msg["subject"], msg["status"], msg["attempts"]) == (
        "ann@x.org",
        "Welcome, Ann",
        "queued",
        0,
    )
    link = _unsubscribe_link(jm, "ann")
    assert link["url"][0].startswith("https://mail.shop.example/t/unsubscribe?")
    message_id = msg["message_id"]
    assert link["m"] == [message_id]
    assert Signer("k").verify(link["s"][0], "unsubscribe", message_id, "ann")


def test_tick_queues_the_message_of_a_contact_released_from_a_wait(
    jm: journeymap.Journeymap,
) -> None:
    _mail_after_wait(jm, "PT1H", "Later, {{name}}")
    jm.track(form("bob", T0, fields={"email": "bob@x.org", "name": "Bob"}))
    assert _queued(jm) == []
    assert jm.tick(T0 + timedelta(hours=1)) == 1
    assert _queued(jm) == [("m", "mail", "bob")]
    assert [m["subject"] for m in jm.outbox("bob")] == ["Later, Bob"]


def test_contacts_imported_onto_a_wait_get_their_message_when_it_releases(
    jm: journeymap.Journeymap, tmp_path: Path
) -> None:
    _mail_after_wait(jm, "P1D", "Hello")
    visits = tmp_path / "visits.csv"
    visits.write_text(
        "contact_id,element_id,entered_at,left_at\n"
        "cy,t,2026-01-05T08:00:00Z,2026-01-05T08:00:00Z\n"
        "cy,w,2026-01-05T08:00:00Z,\n",
        encoding="utf-8",
    )
    jm.import_files([visits], map_id="m")
    assert _queued(jm) == []
    assert jm.tick(T0 + timedelta(days=1)) == 1
    assert _queued(jm) == [("m", "mail", "cy")]


def test_messages_queued_by_the_library_are_delivered_by_a_later_worker(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "store.duckdb"
    with journeymap.open(path, clock=clock) as jm:
        jm.add_map(parse_map(welcome_map()))
        jm.track(Event("contact_created", "ann", T0, fields={"email": "ann@x.org", "name": "A"}))
        key = jm.tracking.signer
    with journeymap.open(path, clock=clock) as jm, smtp_server() as (inbox, port):
        courier = EmailCourier(SmtpConfig(port=port, sender="n@shop.example"))
        worker = DeliveryWorker(jm.store, clock, courier)
        assert worker.deliver_due() == {"delivered": 1}
        # the store's key signed the links: a server opened on the same store verifies them
        link = _link_in(inbox.messages[0]["List-Unsubscribe"])
        assert jm.tracking.signer.verify(link["s"][0], "unsubscribe", link["m"][0], "ann")
        assert key.verify(link["s"][0], "unsubscribe", link["m"][0], "ann")
    assert [m["To"] for m in inbox.messages] == ["ann@x.org"]


def _link_in(header: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(header.strip().strip("<>")).query)


def test_the_public_url_given_once_is_kept_for_later_runs(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNEYMAP_PUBLIC_URL", raising=False)
    path = tmp_path / "store.duckdb"
    with journeymap.open(path, clock=clock) as jm:
        assert jm.tracking.base_url == "http://127.0.0.1:8000"
    with journeymap.open(path, clock=clock, public_url="https://t.shop.example/") as jm:
        assert jm.tracking.base_url == "https://t.shop.example"
    with journeymap.open(path, clock=clock) as jm:
        assert jm.tracking.base_url == "https://t.shop.example"
    monkeypatch.setenv("JOURNEYMAP_PUBLIC_URL", "https://env.shop.example")
    with journeymap.open(path, clock=clock) as jm:
        assert jm.tracking.base_url == "https://env.shop.example"


def test_the_tracking_secret_comes_from_the_environment_like_the_servers(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYMAP_TRACKING_SECRET", "from-env")
    with journeymap.open(tmp_path / "s.duckdb", clock=clock) as jm:
        assert jm.tracking.signer.sign("open", "m", "c") == Signer("from-env").sign(
            "open", "m", "c"
        )


SIM_MAP = """\
id: sim
elements:
  - {id: t, kind: trigger, event: {on: contact_created}}
  - {id: hello, kind: action, action: {type: send_email, message: {subject: Hi}}}
  - {id: e, kind: end}
connectors:
  - {id: c1, from: t, to: hello}
  - {id: c2, from: hello, to: e}
"""


def test_the_simulators_messages_go_to_its_inbox_and_never_to_smtp(
    jm: journeymap.Journeymap, clock: ManualClock
) -> None:
    from journeymap.model.loading import parse_yaml

    m = jm.add_map(parse_map(parse_yaml(SIM_MAP)))
    sim = Simulation(jm.engine, clock, [m], contacts=30, days=3, seed=4, start=T0)
    result = sim.run()
    assert result.emails_sent == 30  # every simulated contact signs up and gets the email
    messages = jm.outbox()
    assert len(messages) == 30
    assert {(m["status"], m["attempts"]) for m in messages} == {("simulated", 1)}
    assert _sent(jm) == _queued(jm)
    with smtp_server() as (inbox, port):
        worker = DeliveryWorker(jm.store, clock, EmailCourier(SmtpConfig(port=port)))
        assert worker.deliver_due() == {}
    assert inbox.messages == []
    # the simulator leaves the channel as it found it: later events queue real messages
    jm.track(Event("contact_created", "real", clock.now(), fields={"email": "r@x.org"}))
    assert [m["status"] for m in jm.outbox("real")] == ["queued"]
