"""The one place where errors become HTTP answers: RFC 9457 problem details.

Every error answer is ``application/problem+json``::

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "no incident 'HIGH-999'", "code": "not_found", "instance": "/api/v1/incidents/…"}

``code`` names the :mod:`knownfix.errors` class (snake case), so clients can branch on it. A
store that is down answers 503 with ``Retry-After``, so well-behaved clients retry; a request
that failed validation lists what was wrong under ``errors``; anything unexpected is logged
with its traceback and answered 500 without internals.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from knownfix.errors import AuthError, KnownfixError, StoreError

log = logging.getLogger("knownfix.web")

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5
"""What a 503 asks clients to wait before retrying (the store restarting, a full queue)."""


class Problem(BaseModel):
    """An RFC 9457 problem details object (the body of every error answer)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    code: str | None = None
    instance: str | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error statuses a route can answer."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def _code(error: KnownfixError) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def problem(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem details answer."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    if instance:
        body["instance"] = instance
    body.update(extra)
    all_headers = dict(headers or {})
    if status == 503:
        all_headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    return JSONResponse(body, status_code=status, headers=all_headers, media_type=PROBLEM_JSON)


def error_response(error: KnownfixError, instance: str | None = None) -> JSONResponse:
    """The answer for one of knownfix's own errors."""
    headers = {"WWW-Authenticate": "Bearer"} if type(error) is AuthError else None
    if error.status >= 500:
        log.warning("%s: %s", type(error).__name__, error.message)
    return problem(error.status, error.message, code=_code(error), instance=instance,
                   headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error of the app through :func:`problem`."""

    async def knownfix_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, KnownfixError)
        return error_response(error, request.url.path)

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        return problem(error.status_code, str(error.detail) if error.detail else None,
                       instance=request.url.path, headers=dict(error.headers or {}))

    async def validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [
            {"loc": [str(part) for part in item.get("loc", ())], "msg": str(item.get("msg", "")),
             "type": str(item.get("type", ""))}
            for item in error.errors()
        ]
        return problem(422, "the request is not valid: see errors", code="validation_error",
                       instance=request.url.path, errors=errors)

    async def database_error(request: Request, error: Exception) -> JSONResponse:
        # A DBAPIError that escaped the store's own wrapping: the database went away.
        log.warning("database error on %s: %s", request.url.path, str(error).splitlines()[0])
        return error_response(StoreError("the store is unavailable, retry shortly"),
                              request.url.path)

    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path,
                  exc_info=(type(error), error, error.__traceback__))
        return problem(500, "internal error: the server log has the details",
                       code="internal_error", instance=request.url.path)

    app.add_exception_handler(KnownfixError, knownfix_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(Exception, unexpected)
