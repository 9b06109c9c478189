"""Errors as JSON: `{"error": {"status", "message", "field"}}`, one shape for every failure.

`message` says what went wrong and what to do; `field` names the input at fault (a body field,
a query parameter, a header) or is null. A refusal whose sentence has a code adds `code` and
`args` (`chaincut.services.phrases`), for a client that says it in its reader's language. Store errors map to HTTP statuses here, once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from chaincut.services.errors import ServiceError, invalid_input
from chaincut.store.errors import (
    AlreadyExists,
    AuthenticationFailed,
    IllegalTransition,
    NotFound,
    StoreBusy,
)

log = logging.getLogger(__name__)

__all__ = ["ApiError", "ServiceError", "body", "install", "invalid_input"]


#: the API's name for a use case's refusal
ApiError = ServiceError


def body(status: int, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"status": status, "message": message, "field": field, **extra}}


def _field(loc: Sequence[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or (str(loc[-1]) if loc else None)


def _readable(error: Any) -> Any:
    """A malformed JSON body as the client can act on it: FastAPI reports it at `loc`
    ("body", offset) with "JSON decode error", which read as a field named "0"."""
    if not isinstance(error, dict) or error.get("type") != "json_invalid":
        return error
    loc = error.get("loc", ())
    at = loc[-1] if loc and isinstance(loc[-1], int) else None
    why = (error.get("ctx") or {}).get("error", "")
    where = f" at character {at}" if at is not None else ""
    return {"loc": ("body",), "msg": f"not valid JSON{where}: {why}".rstrip(": ")}


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the JSON shape above."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        coded = {"code": exc.phrase.code, "args": exc.phrase.args} if exc.phrase else {}
        return JSONResponse(
            body(exc.status, exc.message, exc.field, **coded), exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_readable(e) for e in exc.errors()]
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = _field(first.get("loc", ()))
        message = f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
        details = [{"field": _field(e.get("loc", ())), "message": e.get("msg")} for e in errors]
        return JSONResponse(body(422, message, field, details=details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            body(exc.status_code, str(exc.detail)), exc.status_code, headers=exc.headers
        )

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(body(404, str(exc)), 404)

    @app.exception_handler(AlreadyExists)
    async def _exists(_: Request, exc: AlreadyExists) -> JSONResponse:
        return JSONResponse(body(409, f"{exc}; choose another id"), 409)

    @app.exception_handler(IllegalTransition)
    async def _transition(_: Request, exc: IllegalTransition) -> JSONResponse:
        return JSONResponse(body(409, str(exc)), 409)

    @app.exception_handler(StoreBusy)
    async def _busy(_: Request, exc: StoreBusy) -> JSONResponse:
        return JSONResponse(body(503, str(exc)), 503, headers={"Retry-After": "1"})

    @app.exception_handler(AuthenticationFailed)
    async def _auth(_: Request, exc: AuthenticationFailed) -> JSONResponse:
        return JSONResponse(
            body(401, f"{exc}; ask an administrator for a token", "Authorization"),
            401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(IntegrityError)
    async def _conflict(_: Request, exc: IntegrityError) -> JSONResponse:
        # a unique or check constraint the use case did not foresee: the input conflicts
        # with a record, it is not a bug of the server
        log.info("constraint refused a write: %s", exc.orig)
        return JSONResponse(body(409, "conflicts with an existing record"), 409)

    @app.exception_handler(DataError)
    async def _out_of_range(_: Request, exc: DataError) -> JSONResponse:
        log.info("database refused a value: %s", exc.orig)
        return JSONResponse(body(400, "a value is out of range for the store"), 400)

    # anything else is answered by `chaincut.service.guard` (a 500 in this shape that keeps
    # the connection open)
