"""Rendering a message for a contact, and making it trackable."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from journeymap.channels.email.instrument import instrument
from journeymap.channels.email.render import render
from journeymap.channels.email.signing import Signer, TrackingUrls
from journeymap.engine.state import Profile
from journeymap.model.elements import EmailMessage

URLS = TrackingUrls("https://t.example/", Signer("k"))
ANN = Profile(
    "ann", datetime(2026, 1, 5, tzinfo=UTC), fields={"name": 'Ann "A" <b>', "city": "Oslo"}
)


def test_placeholders_fill_from_fields_escaped_in_html_and_unknown_ones_are_empty() -> None:
    message = EmailMessage(
        subject="Hello {{ name }}\r\nBcc: x@evil.example {{nope}}",
        html="<p>{{name}} in {{city}} ({{contact_id}}) {{nope}}</p>",
        text="{{name}} / {{unsubscribe_url}}",
    )
    out = render(message, ANN, {"unsubscribe_url": "https://t.example/u"})
    assert out.subject == 'Hello Ann "A" <b> Bcc: x@evil.example'
    assert out.html == "<p>Ann &quot;A&quot; &lt;b&gt; in Oslo (ann) </p>"
    assert out.text == 'Ann "A" <b> / https://t.example/u'


def test_links_become_signed_clicks_once_each_and_the_pixel_goes_before_body_end() -> None:
    body = (
        "<html><body>"
        "<a href='https://a.example/?q=1&amp;r=2'>A</a>"
        '<A HREF="https://b.example/">B</A>'
        '<a href="https://a.example/?q=1&amp;r=2">A again</a>'
        '<a href="mailto:help@shop.example">mail</a>'
        '<a href="https://t.example/t/unsubscribe?m=1">unsubscribe</a>'
        "</body></html>"
    )
    out = instrument(body, URLS, "m1", "ann")
    assert out.links == ["https://a.example/?q=1&r=2", "https://b.example/"]
    sig0 = Signer("k").sign("click", "m1", "ann", "0")
    sig1 = Signer("k").sign("click", "m1", "ann", "1")
    sig_open = Signer("k").sign("open", "m1", "ann")
    assert out.html == (
        "<html><body>"
        f"<a href='https://t.example/t/click?m=m1&amp;c=ann&amp;l=0&amp;s={sig0}'>A</a>"
        f'<A HREF="https://t.example/t/click?m=m1&amp;c=ann&amp;l=1&amp;s={sig1}">B</A>'
        f'<a href="https://t.example/t/click?m=m1&amp;c=ann&amp;l=0&amp;s={sig0}">A again</a>'
        '<a href="mailto:help@shop.example">mail</a>'
        '<a href="https://t.example/t/unsubscribe?m=1">unsubscribe</a>'
        f'<img src="https://t.example/t/open?m=m1&amp;c=ann&amp;s={sig_open}" width="1" '
        'height="1" alt="" style="display:none">'
        "</body></html>"
    )


def test_a_fragment_without_body_gets_the_pixel_at_the_end() -> None:
    out = instrument("<p>hi</p>", URLS, "m1", "ann")
    assert out.links == []
    assert out.html.startswith('<p>hi</p><img src="https://t.example/t/open?m=m1&amp;c=ann')


def test_signatures_cover_every_part() -> None:
    signer = Signer("k")
    sig = signer.sign("click", "m1", "ann", "0")
    assert len(sig) == 22
    assert signer.verify(sig, "click", "m1", "ann", "0")
    assert not signer.verify(sig, "click", "m1", "ann", "1")
    assert not signer.verify(sig, "click", "m1", "bob", "0")
    assert not signer.verify(sig, "open", "m1", "ann", "0")
    assert not Signer("other").verify(sig, "click", "m1", "ann", "0")
    assert not signer.verify(None, "click", "m1", "ann", "0")
    assert not signer.verify("\x80é", "click", "m1", "ann", "0")  # found by schemathesis
    assert signer.sign("click", "m1a", "nn") != signer.sign("click", "m1", "ann")


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12), st.integers(0, 99))
def test_tracking_urls_are_what_the_standard_library_signs_and_encodes(
    message_id: str, contact_id: str, link: int
) -> None:
    key, base = b"k", "https://t.example"

    def sig(*parts: str) -> str:
        digest = hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    m, c = message_id, contact_id
    assert URLS.open(m, c) == f"{base}/t/open?" + urlencode(
        {"m": m, "c": c, "s": sig("open", m, c)}
    )
    assert URLS.click(m, c, link) == f"{base}/t/click?" + urlencode(
        {"m": m, "c": c, "l": str(link), "s": sig("click", m, c, str(link))}
    )
    assert URLS.unsubscribe(m, c) == f"{base}/t/unsubscribe?" + urlencode(
        {"m": m, "c": c, "s": sig("unsubscribe", m, c)}
    )
