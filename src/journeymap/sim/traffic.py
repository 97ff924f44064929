"""Where simulated contacts come from and what they do on the site: UTM mix, pages, products."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

SITE = "https://www.example.com"


@dataclass(frozen=True, slots=True)
class Source:
    """One acquisition channel: its UTM fields (empty for direct traffic) and its share."""

    share: float
    utm: dict[str, str]


UTM_MIX: tuple[Source, ...] = (
    Source(0.20, {"source": "google", "medium": "cpc", "campaign": "brand-search"}),
    Source(0.08, {"source": "google", "medium": "cpc", "campaign": "generic-search"}),
    Source(0.14, {"source": "google", "medium": "organic"}),
    Source(
        0.12,
        {"source": "facebook", "medium": "paid_social", "campaign": "spring-sale", "content": "v1"},
    ),
    Source(
        0.05,
        {"source": "facebook", "medium": "paid_social", "campaign": "spring-sale", "content": "v2"},
    ),
    Source(0.06, {"source": "linkedin", "medium": "paid_social", "campaign": "b2b-webinar"}),
    Source(0.08, {"source": "newsletter", "medium": "email", "campaign": "monthly-digest"}),
    Source(0.05, {"source": "partner-blog", "medium": "referral"}),
    Source(0.04, {"source": "bing", "medium": "cpc", "campaign": "brand-search", "term": "crm"}),
    Source(0.18, {}),
)
"""First-touch channels and their shares (the last one is direct traffic with no UTM)."""

PAGES: tuple[str, ...] = (
    "/",
    "/pricing",
    "/features",
    "/blog/automation-101",
    "/blog/email-that-converts",
    "/docs/getting-started",
    "/about",
    "/checkout",
)

_URLS = tuple(SITE + page for page in PAGES)
WELCOME_URL = SITE + "/welcome"
"""Where a new contact lands right after signing up."""

_WORDS = ("welcome", "guide", "offer", "spring", "pro", "start", "tour", "news")


@dataclass(frozen=True, slots=True)
class Product:
    """Something contacts buy, with its list price."""

    name: str
    price: float
    share: float


PRODUCTS: tuple[Product, ...] = (
    Product("ebook", 19.0, 0.30),
    Product("starter-plan", 29.0, 0.30),
    Product("pro-plan", 99.0, 0.22),
    Product("course", 249.0, 0.13),
    Product("consulting", 900.0, 0.05),
)

_UTM_CUM = tuple(math.fsum(s.share for s in UTM_MIX[: i + 1]) for i in range(len(UTM_MIX)))
_PRODUCT_CUM = tuple(math.fsum(p.share for p in PRODUCTS[: i + 1]) for i in range(len(PRODUCTS)))


def pick_utm(rng: random.Random) -> dict[str, str]:
    """A channel from the mix; the dict is shared, never mutate it."""
    return rng.choices(UTM_MIX, cum_weights=_UTM_CUM)[0].utm


def pick_product(rng: random.Random) -> Product:
    return rng.choices(PRODUCTS, cum_weights=_PRODUCT_CUM)[0]


def price_of(name: str) -> float:
    """The list price of a named product; unknown products are priced like a mid-range item."""
    for p in PRODUCTS:
        if p.name == name:
            return p.price
    return 79.0


def amount(rng: random.Random, price: float) -> Decimal:
    """A paid amount around the list price: discounts, taxes and bundles spread it lognormally."""
    paid = price * rng.lognormvariate(0.0, 0.25)
    return Decimal(f"{max(paid, 1.0):.2f}")


def page_url(rng: random.Random) -> str:
    """A URL of an ordinary page of the site (shared strings: plans of many contacts hold them)."""
    return rng.choice(_URLS)


def url_matching(pattern: str, rng: random.Random) -> str:
    """A URL that the glob `pattern` matches: `*` becomes a site prefix or a word."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if i == 0:
                out.append(SITE)
            elif i < len(pattern) - 1:
                out.append(rng.choice(_WORDS))
        elif ch == "?":
            out.append(rng.choice("abcdefgh"))
        elif ch == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(ch)
            else:
                out.append(_class_char(pattern[i + 1 : end]))
                i = end
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _class_char(body: str) -> str:
    """A character a glob class `[body]` accepts."""
    if body.startswith("!"):
        banned = body[1:]
        return next(c for c in "xyzqjkw0123456789-_~XYZ" if not _in_range(c, banned))
    return body[0]


def _in_range(c: str, body: str) -> bool:
    return any(
        body[k + 1] == "-" and body[k] <= c <= body[k + 2] for k in range(len(body) - 2)
    ) or (c in body)
