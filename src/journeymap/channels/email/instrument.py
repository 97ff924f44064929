"""Make a rendered message trackable: links go through the click URL, an open pixel is added."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from journeymap.channels.email.signing import TrackingUrls

_ANCHOR_HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Instrumented:
    """The HTML to send and the original URLs its click links lead to, by index."""

    html: str
    links: list[str]


def instrument(body: str, urls: TrackingUrls, message_id: str, contact_id: str) -> Instrumented:
    """Rewrite every http(s) link to a signed click URL and add the open pixel."""
    links: list[str] = []

    def rewrite(match: re.Match[str]) -> str:
        target = html.unescape(match.group(3)).strip()
        if not target.lower().startswith(("http://", "https://")) or urls.is_tracking(target):
            return match.group(0)
        if target in links:
            index = links.index(target)
        else:
            index = len(links)
            links.append(target)
        click = html.escape(urls.click(message_id, contact_id, index), quote=True)
        return f"{match.group(1)}{match.group(2)}{click}{match.group(2)}"

    rewritten = _ANCHOR_HREF.sub(rewrite, body)
    pixel_src = html.escape(urls.open(message_id, contact_id), quote=True)
    pixel = f'<img src="{pixel_src}" width="1" height="1" alt="" style="display:none">'
    ends = list(_BODY_END.finditer(rewritten))
    if ends:
        cut = ends[-1].start()
        rewritten = rewritten[:cut] + pixel + rewritten[cut:]
    else:
        rewritten += pixel
    return Instrumented(rewritten, links)
