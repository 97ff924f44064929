"""Read commands through a running server: `--api URL --token T` asks its HTTP API instead of
opening the store, which the server holds (DuckDB lets one process open a store file)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any

import typer

from journeymap.errors import JourneymapError
from journeymap.model.loading import parse_map
from journeymap.model.map import AutomationMap
from journeymap.reports import ConnectorStats, ElementStats, ReportResult

ApiOption = Annotated[
    str | None,
    typer.Option(
        "--api",
        envvar="JOURNEYMAP_API",
        help="Ask the server running at this URL (e.g. http://127.0.0.1:8000) instead of --db.",
        show_default=False,
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="JOURNEYMAP_TOKEN",
        help="API token for --api (journeymap token create).",
        show_default=False,
    ),
]

Params = Mapping[str, str | int | bool | Sequence[str] | None]

TIMEOUT_S = 120.0
"""How long to wait for the server's answer (a large CSV export takes a while)."""


class ServerError(JourneymapError):
    """The server answered with an error, or could not be reached; its code and message."""


class Remote:
    """A running journeymap server, asked with a token."""

    def __init__(self, base: str, token: str | None) -> None:
        if not token:
            raise typer.BadParameter("--api needs --token (or JOURNEYMAP_TOKEN)")
        if not base.startswith(("http://", "https://")):
            raise typer.BadParameter(f"--api {base!r} is not an http:// or https:// URL")
        self.base = base.rstrip("/")
        self.token = token

    def json(self, method: str, path: str, params: Params | None = None) -> Any:
        """The JSON answer of a call."""
        return json.loads(self.text(method, path, params))

    def text(self, method: str, path: str, params: Params | None = None) -> str:
        """The text answer of a call; an error answer raises it with the server's code."""
        url = f"{self.base}{path}"
        query = _query(params or {})
        if query:
            url += "?" + query
        # the URL is the user's own server and was checked to be http(s) in __init__
        request = urllib.request.Request(  # noqa: S310
            url, method=method, headers={"Authorization": f"Bearer {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # noqa: S310
                body: bytes = answer.read()
        except urllib.error.HTTPError as exc:
            raise _server_error(exc) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServerError(
                f"no journeymap server answers at {self.base}: {reason}", code="server_unreachable"
            ) from None
        return body.decode("utf-8")


def _query(params: Params) -> str:
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None or value is False:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(name, "true" if v is True else str(v)) for v in values]
    return urllib.parse.urlencode(pairs)


def _server_error(exc: urllib.error.HTTPError) -> ServerError:
    try:
        error = json.loads(exc.read())["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "server_error", f"the server answered {exc.code} {exc.reason}"
    return ServerError(message, code=code)


def remote_map(remote: Remote, map_id: str, version: int | None = None) -> AutomationMap:
    """A stored map (its latest version, or the one asked for) from the server."""
    path = f"/api/maps/{urllib.parse.quote(map_id, safe='')}"
    return parse_map(remote.json("GET", path, {"version": version}), source=map_id)


def remote_maps(remote: Remote) -> list[dict[str, Any]]:
    """Every map's summary, as `Journeymap.maps()` gives it."""
    return [
        {**s, "created_at": datetime.fromisoformat(s["created_at"])}
        for s in remote.json("GET", "/api/maps")
    ]


_REPORT_KEYS = frozenset(
    {"map_id", "report", "goal", "filters", "options", "cohort_size", "computed_at"}
    | {"elements", "connectors"}
)


def remote_report(data: dict[str, Any]) -> ReportResult:
    """A report as the server's JSON gives it, typed as the library gives it."""
    return ReportResult(
        map_id=data["map_id"],
        report=data["report"],
        goal=data["goal"],
        filters=data["filters"],
        options=data["options"],
        cohort_size=data["cohort_size"],
        computed_at=datetime.fromisoformat(data["computed_at"]),
        totals={k: v for k, v in data.items() if k not in _REPORT_KEYS},
        elements=[ElementStats(**e) for e in data["elements"]],
        connectors=[
            ConnectorStats(from_=c["from"], **{k: v for k, v in c.items() if k != "from"})
            for c in data["connectors"]
        ],
    )
