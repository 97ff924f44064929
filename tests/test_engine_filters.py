"""Narrowing settings of triggers and goals: a purchase's product, a page's URL pattern and the
link pattern of an email click, each checked through the engine with hand-made events."""

from __future__ import annotations

import journeymap
from journeymap.engine import Event
from test_engine_support import (
    achievements,
    action,
    add,
    at,
    buy,
    end,
    form,
    goal,
    moves,
    positions,
    trigger,
)


def _entered(jm: journeymap.Journeymap, map_id: str) -> list[tuple[str, str | None]]:
    return [(m[0], m[2]) for m in moves(jm, map_id) if m[4] == "enter"]


def test_a_purchase_trigger_with_a_product_fires_only_on_that_product(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "m",
        [trigger("t", on="purchase", product="ebook"), end("e")],
        [("c1", "t", "e")],
    )
    jm.track(buy("a", at(0), product="course"))
    jm.track(buy("b", at(1), product="ebook"))
    jm.track(buy("c", at(2)))  # no product at all
    jm.track(buy("d", at(3), amount="-19", product="ebook"))  # a refund never fires
    jm.track(buy("e", at(4), product="Ebook"))  # names compare exactly
    assert _entered(jm, "m") == [("b", "t")]


def test_a_purchase_goal_with_a_product_is_achieved_only_by_that_product(
    jm: journeymap.Journeymap,
) -> None:
    add(
        jm,
        "m",
        [trigger("t"), goal("g", product="course"), end("e")],
        [("c1", "t", "g"), ("c2", "g", "e")],
    )
    jm.track(form("a", at(0)))
    jm.track(buy("a", at(5), product="ebook"))
    assert positions(jm, "a", "m") == {"g"}  # still waiting at the goal
    jm.track(buy("a", at(9), product="course"))
    assert positions(jm, "a", "m") == {"e"}
    assert achievements(jm) == [("a", "g", "t", at(9))]
    # a contact not on the map buying the product enters at the goal
    jm.track(buy("z", at(10), product="course"))
    assert _entered(jm, "m")[-1] == ("z", "g")


def _visit(contact: str, minute: int, url: str) -> Event:
    return Event("page_visited", contact, at(minute), url=url, visitor_id=f"v-{contact}")


def test_a_page_trigger_fires_on_urls_its_glob_matches(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [
            trigger("t", on="page_visited", reentry="always", url_pattern="*/pricing*"),
            end("e"),
        ],
        [("c1", "t", "e")],
    )
    add(
        jm,
        "n",
        [
            trigger("u", on="page_visited", reentry="always", url_pattern="*/p?/[a-c]*"),
            end("f"),
        ],
        [("d1", "u", "f")],
    )
    urls = {
        "https://shop.example/pricing": ("m",),
        "https://shop.example/pricing?plan=pro": ("m",),
        "https://shop.example/en/pricing-table": ("m",),
        "https://shop.example/Pricing": (),  # patterns are case-sensitive
        "https://shop.example/price": (),
        "https://shop.example/pr/books": ("n",),
        "https://shop.example/px/cat": ("n",),
        "https://shop.example/pr/dogs": (),
        "https://shop.example/pro/books": (),
    }
    for i, url in enumerate(urls):
        jm.track(_visit(f"c{i}", i, url))
    entered = {m: {c for c, _e in _entered(jm, m)} for m in ("m", "n")}
    fired = {
        url: tuple(m for m in ("m", "n") if f"c{i}" in entered[m]) for i, url in enumerate(urls)
    }
    assert fired == urls


def test_an_email_click_goal_with_a_link_pattern(jm: journeymap.Journeymap) -> None:
    add(
        jm,
        "m",
        [
            trigger("t"),
            action("mail", "send_email", message={"subject": "Offer"}),
            goal("g", on="email_clicked", email="mail", url_pattern="*/offer*"),
            end("e"),
        ],
        [("c1", "t", "mail"), ("c2", "mail", "g"), ("c3", "g", "e")],
    )
    jm.track(form("a", at(0)))

    def click(minute: int, url: str, element: str = "mail", map_id: str = "m") -> None:
        jm.track(
            Event("email_clicked", "a", at(minute), url=url, map_id=map_id, element_id=element)
        )

    click(1, "https://shop.example/about")  # another link of the same email
    click(2, "https://shop.example/offer", element="other")  # another email
    click(3, "https://shop.example/offer", map_id="elsewhere")  # an email of another map
    assert positions(jm, "a", "m") == {"g"}
    click(4, "https://shop.example/offer?x=1")
    assert positions(jm, "a", "m") == {"e"}
    assert achievements(jm) == [("a", "g", "mail", at(4))]
    # every click is recorded as it came, whichever email it was
    recorded = [
        (r["event"], r["map_id"], r["element_id"]) for r in jm.store.query("email_events_log")
    ]
    assert recorded == [
        ("clicked", "m", "mail"),
        ("clicked", "m", "other"),
        ("clicked", "elsewhere", "mail"),
        ("clicked", "m", "mail"),
    ]
