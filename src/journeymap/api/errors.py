"""Where domain errors become HTTP statuses: the one table, and the handlers that use it."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from journeymap.api.tokens import TokenInvalid
from journeymap.channels.ledger import DeliveryNotFailed
from journeymap.engine.drafts import DraftInvalid
from journeymap.errors import (
    EventRejected,
    ImportRejected,
    JourneymapError,
    MapInvalid,
    NotFound,
)
from journeymap.reports import ReportInvalid
from journeymap.reports.roi_costs import CostInvalid


class Unauthorized(JourneymapError):
    """No bearer token, or one that is not known."""

    code = "unauthorized"


class Forbidden(JourneymapError):
    """A token whose scope does not allow the call."""

    code = "forbidden"


class Conflict(JourneymapError):
    """The request clashes with what is stored (a map id already taken)."""

    code = "conflict"


class InvalidRequest(JourneymapError):
    """A request the schema accepts but a rule refuses; names the field."""

    code = "invalid_request"

    def __init__(
        self, field: str, message: str, *, index: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        problem = code or self.code
        self.problems = [{"index": index, "field": field, "code": problem, "message": message}]


def bad_body() -> InvalidRequest:
    """The error of a body that cannot be read as JSON."""
    return InvalidRequest(
        "body", "the body is not UTF-8 JSON, or is nested too deeply", code="json_invalid"
    )


class Overloaded(JourneymapError):
    """Intake is too far ahead of the applier; the client should retry after a while."""

    code = "overloaded"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


STATUS: dict[type[JourneymapError], int] = {
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    DeliveryNotFailed: 409,
    MapInvalid: 422,
    EventRejected: 422,
    ImportRejected: 422,
    InvalidRequest: 422,
    ReportInvalid: 422,
    CostInvalid: 422,
    TokenInvalid: 422,
    DraftInvalid: 422,
    Overloaded: 503,
}
"""HTTP status of each domain error; an error not listed (or a subclass of none) is a 400."""


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a message, and for bad input each problem found."""

    code: str
    message: str
    problems: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


_MEANING = {
    401: "No bearer token, or an unknown one.",
    403: "The token's scope does not allow this call.",
    404: "No such map, contact, report or tracking link.",
    409: "The map id is taken, or the client event id was used for another contact.",
    413: "The request body is over the size limit.",
    422: "Bad input; each problem names its field (and event index in a batch).",
    503: "Intake is too far ahead of the applier; retry after the Retry-After seconds.",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses an operation can answer with."""
    json_body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    return {
        s: {"model": ErrorBody, "description": _MEANING[s], "content": json_body} for s in statuses
    }


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}

log = logging.getLogger(__name__)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class SafeJSONResponse(JSONResponse):
    """JSON that always encodes: a lone surrogate echoed from bad input becomes U+FFFD."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def status_for(exc: JourneymapError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(code: str, message: str, problems: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The shape of every error response."""
    body: dict[str, Any] = {"code": code, "message": message}
    if problems:
        body["problems"] = list(problems)
    return {"error": body}


def _problems(exc: JourneymapError) -> list[dict[str, Any]]:
    if isinstance(exc, MapInvalid):
        return [
            {
                "code": p.code,
                "message": p.message,
                "element_id": p.element_id,
                "connector_id": p.connector_id,
            }
            for p in exc.problems
        ]
    if isinstance(exc, InvalidRequest):
        return exc.problems
    if isinstance(exc, ReportInvalid | CostInvalid | TokenInvalid | DraftInvalid):
        return [{"index": None, "field": exc.field, "code": exc.code, "message": exc.message}]
    if isinstance(exc, ImportRejected):
        return [{"index": exc.row, "field": exc.column, "code": exc.code, "message": exc.reason}]
    return []


def validation_problems(errors: Sequence[Any], tags: frozenset[str]) -> list[dict[str, Any]]:
    """Pydantic errors as problems naming the event index (in a batch) and the field."""
    out = []
    for err in errors:
        loc = list(err.get("loc", ()))
        place = loc.pop(0) if loc else "body"
        index: int | None = None
        if place == "body" and len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
            index = loc[1]
            loc = loc[2:]
        if loc and loc[0] in tags:
            loc = loc[1:]  # pydantic names the event kind it tried; the field follows
        field = ".".join(str(p) for p in loc)
        ctx = err.get("ctx") or {}
        if "field" in ctx:
            field = str(ctx["field"])
        elif err.get("type") in ("union_tag_invalid", "union_tag_not_found"):
            field = "kind"
        if err.get("type") == "json_invalid":
            field = "body"
        if place != "body":
            field = field or str(place)
        out.append(
            {"index": index, "field": field or None, "code": err.get("type"), "message": err["msg"]}
        )
    return out


def install(app: FastAPI, event_tags: frozenset[str]) -> None:
    """Register the handlers that turn errors into responses of the one error shape."""

    async def domain(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, JourneymapError)
        status = status_for(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(exc, Overloaded):
            headers = {"Retry-After": str(exc.retry_after)}
        return SafeJSONResponse(
            error_body(exc.code, exc.message, _problems(exc)), status, headers=headers
        )

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = validation_problems(exc.errors(), event_tags)
        return SafeJSONResponse(
            error_body("invalid_request", "the request is invalid", problems), 422
        )

    async def http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # FastAPI could not read the body (not UTF-8 text)
            return await domain(request, bad_body())
        headers = dict(exc.headers or {})
        if exc.status_code == 405 and (allowed := allowed_methods(request)):
            headers["Allow"] = ", ".join(allowed)  # starlette names only the first route's
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return SafeJSONResponse(error_body(code, str(exc.detail)), exc.status_code, headers=headers)

    app.add_exception_handler(JourneymapError, domain)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http)


def allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI schema documents at the request's path (HEAD with each GET)."""
    paths: dict[str, dict[str, Any]] = request.app.openapi()["paths"]
    path = request.url.path
    found = [paths[path]] if path in paths else []  # a fixed path wins over a template
    for template, operations in paths.items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if not found and "{" in template and re.fullmatch(pattern, path):
            found.append(operations)
    methods = {m.upper() for operations in found for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


class ServerErrors:
    """ASGI middleware: an unexpected error is logged and answered as JSON 500.

    The error is not raised on to the server, so the connection stays open for the next request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            if started:
                raise  # the answer is half sent: only closing the connection ends it
            body = error_body("internal_error", "the server failed; the error is in its log")
            response = SafeJSONResponse(body, 500)
            await response(scope, receive, send)
