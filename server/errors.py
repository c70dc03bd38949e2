"""One error body for every 4xx/5xx: ``{"detail": …, "errors": [{"field": …, "message": …}]}`` (api.Problem).

Validation errors name the field the way a client wrote it (``meta.applicant.full_name``,
``files[2]``, ``header.Idempotency-Key``), so an integrator sees at once what to fix.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.db import DatabaseBusy

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


def unprocessable(errors: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, "validation error", errors)


def _field(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


def field_errors(errors: Sequence[dict[str, Any]], prefix: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return [{"field": _field(prefix + tuple(e.get("loc", ()))), "message": e.get("msg", "invalid"),
             "type": e.get("type", "")} for e in errors]


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "errors": exc.errors}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": "validation error", "errors": field_errors(exc.errors())}, status_code=422)

    @app.exception_handler(DatabaseBusy)
    @app.exception_handler(OperationalError)
    @app.exception_handler(SQLAlchemyTimeoutError)
    async def _busy(_: Request, exc: Exception) -> JSONResponse:
        """The database is locked, gone or out of connections: the kiosk keeps its work and retries."""
        log.warning("database unavailable: %s", type(exc).__name__)
        return JSONResponse({"detail": "database busy, retry later", "errors": []}, status_code=503,
                            headers={"Retry-After": "2"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail), "errors": []}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))
