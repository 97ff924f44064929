"""Webhook URLs: what a map may name (http or https, a host, no credentials)."""

from __future__ import annotations

from urllib.parse import urlsplit


def url_problem(url: str) -> str | None:
    """Why a webhook URL is refused, or None when a map may name it."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "must not hold spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"is not a URL: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return "must start with http:// or https://"
    if "@" in parts.netloc:
        return "must not hold credentials (user:password@); sign requests with the webhook secret"
    if not parts.hostname:
        return "has no host"
    if port == 0:
        return "has port 0"
    return None
