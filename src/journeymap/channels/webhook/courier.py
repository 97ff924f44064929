"""The webhook courier: one signed POST to a checked address; the answer says what comes next."""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urljoin, urlsplit

from journeymap.channels.outcomes import Attempt, reason
from journeymap.channels.webhook import http as webhook_http
from journeymap.channels.webhook.address import AddressPolicy, Resolve, resolve
from journeymap.channels.webhook.signature import HEADER, WebhookKeys, signature_header
from journeymap.clock import Clock, as_utc
from journeymap.model.urls import url_problem

DELIVERY_HEADER = "Journeymap-Delivery"

Post = Callable[..., webhook_http.Response]


def _user_agent() -> str:
    try:
        return f"journeymap-webhook/{version('journeymap')}"
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "journeymap-webhook"


@dataclass(frozen=True)
class WebhookConfig:
    """How webhooks are sent: timeouts, and the hosts and networks allowed besides public ones."""

    connect_timeout_seconds: float = 5.0
    read_timeout_seconds: float = 10.0
    attempt_timeout_seconds: float = 30.0
    """Longest one attempt may take, connecting, sending and reading the whole answer."""
    allowed: str = ""
    """Host names and networks (comma-separated) a webhook may reach though not public."""
    ca_file: str | None = None
    """PEM file of the CAs receivers' certificates are checked against; None: the system's."""
    max_redirects: int = 0
    """307 and 308 redirects followed (each hop's address checked as the first); 0: none."""


FOLLOWED = (307, 308)
"""The redirects that keep the POST and its body, the only ones a webhook can follow."""


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date), or None."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (as_utc(when) - now).total_seconds())


def _answer(response: webhook_http.Response, now: datetime, max_redirects: int) -> Attempt:
    """2xx delivered; 408, 429 and 5xx tried again (after Retry-After, if longer); else refused."""
    if 200 <= response.status < 300:
        return Attempt("delivered")
    excerpt = " ".join(response.body[:200].decode("utf-8", "replace").split())
    error = f"HTTP {response.status} {response.reason}" + (f": {excerpt}" if excerpt else "")
    if response.status in (408, 429) or response.status >= 500:
        wait = retry_after(response.headers.get("Retry-After"), now)
        return Attempt("deferred", reason(error), retry_after=wait)
    if 300 <= response.status < 400:
        where = response.headers.get("Location") or "nowhere"
        if max_redirects == 0:
            why = "redirects are not followed"
        elif response.status in FOLLOWED:
            why = f"more than {max_redirects} in a row"
        else:
            why = "only 307 and 308 are followed, as they keep the POST and its body"
        error = f"{error} (a redirect to {where}; {why})"
    return Attempt("refused", reason(error))


class WebhookCourier:
    """Posts each webhook's body, signed, to its URL's host at an address the policy allows."""

    channel = "webhook"
    query = "webhook_due"

    def __init__(
        self,
        config: WebhookConfig,
        keys: WebhookKeys,
        clock: Clock,
        *,
        resolver: Resolve = resolve,
        post: Post = webhook_http.post,
    ) -> None:
        self.config = config
        self.keys = keys
        self.clock = clock
        self.policy = AddressPolicy.parse(config.allowed)
        self.resolve = resolver
        self.post = post
        self.tls = ssl.create_default_context(cafile=config.ca_file)
        self.user_agent = _user_agent()

    def attempt(self, row: dict[str, Any]) -> Attempt:
        """One POST, following allowed redirects; whatever goes wrong with it is its status."""
        url = row["url"]
        problem = url_problem(url)
        if problem is not None:
            return Attempt("invalid", reason(f"the url {url!r} {problem}"))
        body = row["body"].encode("utf-8")
        now = self.clock.now()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            DELIVERY_HEADER: row["delivery_id"],
            HEADER: signature_header(self.keys.signing(now), int(now.timestamp()), body),
        }
        hops = self.config.max_redirects
        came_from: str | None = None
        for hop in range(hops + 1):
            answer = self._post_once(url, body, headers)
            if isinstance(answer, Attempt):
                if came_from is not None and answer.error is not None:
                    note = f"{answer.error} (redirected to {url} from {came_from})"
                    return Attempt(answer.status, reason(note))
                return answer
            location = answer.headers.get("Location")
            if answer.status not in FOLLOWED or not location or hop == hops:
                return _answer(answer, self.clock.now(), hops)
            target = urljoin(url, location.strip())
            why = url_problem(target)
            if why is None and urlsplit(url).scheme == "https" != urlsplit(target).scheme:
                why = "leaves https for http"
            if why is not None:
                return Attempt("refused", reason(f"a redirect to {target!r}, which {why}"))
            came_from, url = url, target
        raise AssertionError("unreachable: the last hop returns")

    def _post_once(
        self, url: str, body: bytes, headers: dict[str, str]
    ) -> Attempt | webhook_http.Response:
        """The receiver's answer to one POST to an allowed address, or why there is none."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            addresses = self.resolve(host, port)
        except OSError as exc:  # an unknown name may be known later
            return Attempt("deferred", reason(f"cannot resolve {host}: {exc}"))
        if not addresses:
            return Attempt("deferred", reason(f"cannot resolve {host}: no address"))
        for address in addresses:
            refusal = self.policy.refusal(host, address)
            if refusal is not None:
                return Attempt("blocked", reason(refusal))
        failure: Exception | None = None
        for address in addresses:
            try:
                return self.post(
                    url,
                    body,
                    headers,
                    address=address,
                    connect_timeout=self.config.connect_timeout_seconds,
                    read_timeout=self.config.read_timeout_seconds,
                    tls=self.tls,
                    attempt_timeout=self.config.attempt_timeout_seconds,
                )
            except (OSError, http.client.HTTPException) as exc:  # timeouts, refusals, TLS
                failure = exc
        return Attempt("deferred", reason(f"{type(failure).__name__}: {failure}"))
