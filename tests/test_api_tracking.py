"""Tracking links: opens, clicks and unsubscribes come back signed; anything else is 404."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

import journeymap
from journeymap.api.routes.tracking import PIXEL
from journeymap.channels.email import EmailCourier, Signer, SmtpConfig
from test_api_support import BASE, SECRET, Api, email_events, open_api, welcome_map
from test_email_support import smtp_server

HREF = re.compile(r'href="([^"]+)"')
SRC = re.compile(r'<img src="([^"]+)"')


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    """ann and bob each got the welcome email."""
    with open_api(jm) as a:
        a.client.post("/api/maps", json=welcome_map(), headers=a.write)
        for name in ("ann", "bob"):
            body = {"fields": {"email": f"{name}@x.org", "name": name.title()}}
            a.client.put(f"/api/contacts/{name}", json=body, headers=a.write)
        with smtp_server() as (inbox, port):
            a.live.outbox.workers["email"].courier = EmailCourier(SmtpConfig(port=port))
            assert a.live.outbox.deliver_due() == {"delivered": 2}
        assert sorted(m["To"] for m in inbox.messages) == ["ann@x.org", "bob@x.org"]
        yield a


def _message(api: Api, contact: str) -> dict[str, str]:
    ids = [m["message_id"] for m in api.jm.outbox(contact)]
    rows = api.jm.store.query("email_due", {"ids": ids})
    assert len(rows) == 1
    return rows[0]


def _links(api: Api, contact: str) -> list[str]:
    return [html.unescape(u) for u in HREF.findall(_message(api, contact)["html"])]


def _pixel(api: Api, contact: str) -> str:
    return html.unescape(SRC.findall(_message(api, contact)["html"])[0])


def _path(url: str, **change: str | None) -> str:
    """The URL's path and query, relative to the test server, with some parameters changed."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for k, v in change.items():
        if v is None:
            query.pop(k, None)
        else:
            query[k] = v
    return f"{parts.path}?{urlencode(query)}"


def _sent_only(api: Api) -> None:
    assert sorted(email_events(api.jm)) == [
        ("sent", "welcome", "hello", "ann"),
        ("sent", "welcome", "hello", "bob"),
    ]


def test_the_message_links_go_through_signed_click_urls_and_carry_a_pixel(api: Api) -> None:
    links = _links(api, "ann")
    assert [urlsplit(u).path for u in links] == ["/t/click", "/t/click", "/t/unsubscribe"]
    assert [parse_qs(urlsplit(u).query)["l"] for u in links[:2]] == [["0"], ["1"]]
    assert urlsplit(_pixel(api, "ann")).path == "/t/open"
    assert _message(api, "ann")["text"] == "Hi Ann, see https://shop.example/offer"


def test_open_records_an_open_and_returns_the_pixel(api: Api) -> None:
    r = api.client.get(_path(_pixel(api, "ann")))
    assert (r.status_code, r.headers["content-type"], r.content) == (200, "image/gif", PIXEL)
    assert r.headers["cache-control"] == "no-store"
    api.settle()  # the open is logged at once and applied right after
    assert sorted(email_events(api.jm))[0] == ("opened", "welcome", "hello", "ann")
    assert len(email_events(api.jm)) == 3


def test_click_redirects_to_the_link_in_that_email_and_records_it(api: Api) -> None:
    r = api.client.get(_path(_links(api, "ann")[0]), follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (302, "https://shop.example/offer?x=1&y=2")
    r = api.client.get(_path(_links(api, "ann")[1]), follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (302, "https://shop.example/about")
    api.settle()
    assert sorted(email_events(api.jm))[:3] == [
        ("clicked", "welcome", "hello", "ann"),
        ("clicked", "welcome", "hello", "ann"),
        ("sent", "welcome", "hello", "ann"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"s": None},  # unsigned
        {"s": "AAAAAAAAAAAAAAAAAAAAAA"},  # a forged signature
        {"l": "1"},  # signed for link 0, asks for link 1
        {"c": "bob"},  # ann's link replayed for bob
        {"m": "0" * 32},  # another message id
    ],
)
def test_a_tampered_or_unsigned_click_is_404_and_records_nothing(
    api: Api, change: dict[str, str | None]
) -> None:
    r = api.client.get(_path(_links(api, "ann")[0], **change), follow_redirects=False)
    assert (r.status_code, r.json()) == (
        404,
        {"error": {"code": "not_found", "message": "no such tracking link"}},
    )
    if "l" not in change:  # the pixel has no link index
        r = api.client.get(_path(_pixel(api, "ann"), **change))
        assert r.status_code == 404
    _sent_only(api)


def test_a_valid_signature_for_another_contacts_message_is_404(api: Api) -> None:
    bob_message = parse_qs(urlsplit(_links(api, "bob")[0]).query)["m"][0]
    forged = Signer(SECRET).sign("click", bob_message, "ann", "0")
    r = api.client.get(
        "/t/click?" + urlencode({"m": bob_message, "c": "ann", "l": "0", "s": forged}),
        follow_redirects=False,
    )
    assert r.status_code == 404
    beyond = Signer(SECRET).sign("click", bob_message, "bob", "7")
    r = api.client.get(
        "/t/click?" + urlencode({"m": bob_message, "c": "bob", "l": "7", "s": beyond}),
        follow_redirects=False,
    )
    assert r.status_code == 404
    _sent_only(api)


def test_open_redirect_attempts_never_leave_the_emails_links(api: Api) -> None:
    path = _path(_links(api, "ann")[0]) + "&url=https://evil.example/&next=//evil.example"
    r = api.client.get(path, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (302, "https://shop.example/offer?x=1&y=2")
    r = api.client.get("/t/click?url=https://evil.example/", follow_redirects=False)
    assert r.status_code == 422


def test_unsubscribe_asks_then_stops_further_email(api: Api) -> None:
    url = _path(_links(api, "ann")[2])
    page = api.client.get(url)
    assert page.status_code == 200
    assert '<form method="post"' in page.text
    _sent_only(api)
    done = api.client.post(url)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.text
    assert api.client.post(url).status_code == 200  # a second confirmation records nothing more
    unsubscribed = [e for e in email_events(api.jm) if e[0] == "unsubscribed"]
    assert unsubscribed == [("unsubscribed", "welcome", "hello", "ann")]
    fields = api.client.get("/api/contacts/ann", headers=api.read).json()["fields"]
    assert fields["email_status"] == "unsubscribed"
    again = welcome_map("second")
    again["elements"][0]["event"] = {"on": "tag_added", "tag": "promo"}  # type: ignore[index]
    api.client.post("/api/maps", json=again, headers=api.write)
    for name in ("ann", "bob"):
        event = {"kind": "tag_added", "contact_id": name, "tag": "promo"}
        api.client.post("/api/events", json=event, headers=api.write)
    api.settle()
    outbox = [(r["map_id"], r["contact_id"], r["status"]) for r in api.jm.outbox()]
    assert sorted(outbox) == [
        ("second", "bob", "queued"),  # nothing is queued for ann
        ("welcome", "ann", "delivered"),
        ("welcome", "bob", "delivered"),
    ]
    with smtp_server() as (inbox, port):
        api.live.outbox.workers["email"].courier = EmailCourier(SmtpConfig(port=port))
        assert api.live.outbox.deliver_due() == {"delivered": 1}
    assert [m["To"] for m in inbox.messages] == ["bob@x.org"]
    sent = [e for e in email_events(api.jm) if e[0] == "sent" and e[1] == "second"]
    assert sent == [("sent", "second", "hello", "bob")]
