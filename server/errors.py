"""One error body for every 4xx/5xx: ``{"detail": …, "errors": [{"field": …, "message": …}]}`` (api.Problem).

Validation errors name the field the way a client wrote it (``meta.applicant.full_name``,
``files[2]``, ``header.Idempotency-Key``), so an integrator sees at once what to fix.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.api import Problem
from server.db import DatabaseBusy
from server.filestore import StoreBusy
from server.limits import TrackedSend, send_problem

log = logging.getLogger(__name__)


WHY = {
    400: "malformed request (bad Content-Length, unreadable body)",
    401: "missing or unknown token",
    403: "not this kiosk's or department's to do",
    404: "not found (for dossiers: unknown code or wrong secret, told apart by nothing)",
    409: "conflicts with what the server holds",
    413: "body or file larger than the server's caps",
    415: "a file that is not a readable PDF, PNG or JPEG",
    422: "a field outside its schema, named in `errors`",
    429: "too many failed attempts (lookups, logins): wait `Retry-After` seconds",
    503: "busy (database lock, file store), storage full or numbers exhausted: retry later (`Retry-After`)",
}
COMMON = (400, 413, 422, 503)  # any route: the request-limits middleware, validation, a busy database


def problems(*codes: int, html: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` of these error codes (and the common ones), each with the Problem body.

    ``html``: for a route that answers HTML, whose errors are still JSON (FastAPI would file the
    model under the route's own media type).
    """
    wanted = sorted(set(codes) | set(COMMON))
    if html:
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        return {c: {"description": WHY[c], "content": ref} for c in wanted}
    return {c: {"model": Problem, "description": WHY[c]} for c in wanted}


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


class CatchAll:
    """The innermost safety net (pure ASGI): an exception no handler took becomes one 500 Problem.

    Its traceback is logged the first time per (exception type, place), later ones as one line:
    a client repeating a request that trips a bug cannot fill the disk with tracebacks, and
    uvicorn never sees the exception (it would log a traceback of its own every time).
    """

    MAX_KINDS = 200

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: dict[str, int] = {}

    def _log(self, scope: dict, exc: BaseException) -> None:
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}" if tb else "?"
        kind = f"{type(exc).__name__} at {where}"
        n = self.seen.get(kind, 0) + 1
        if len(self.seen) < self.MAX_KINDS or kind in self.seen:
            self.seen[kind] = n
        route = f"{scope.get('method', '')} {scope.get('path', '')}"
        if n == 1:
            log.error("unhandled %s in %s", kind, route, exc_info=exc)
        else:
            log.error("unhandled %s in %s (%d times; traceback logged the first time)", kind, route, n)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:  # noqa: BLE001 — the net under every route
            self._log(scope, exc)
            if tracked.started:
                raise
            await send_problem(send, 500, "internal error", close=False)


def storage_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is "no space left" or "quota exceeded"."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _storage_full() -> JSONResponse:
    log.warning("storage full: a dossier was refused with 503")
    return JSONResponse({"detail": "storage full, retry later", "errors": []}, status_code=503,
                        headers={"Retry-After": "30"})


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "errors": exc.errors}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": "validation error", "errors": field_errors(exc.errors())}, status_code=422)

    @app.exception_handler(DatabaseBusy)
    @app.exception_handler(StoreBusy)
    @app.exception_handler(OperationalError)
    @app.exception_handler(SQLAlchemyTimeoutError)
    async def _busy(_: Request, exc: Exception) -> JSONResponse:
        """The database is locked, gone or out of connections: the kiosk keeps its work and retries."""
        log.warning("database unavailable: %s", type(exc).__name__)
        return JSONResponse({"detail": "database busy, retry later", "errors": []}, status_code=503,
                            headers={"Retry-After": "2"})

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        """The database refused a value (a safety net under the wire models' bounds)."""
        log.warning("database refused a value: %s", type(exc.orig).__name__)
        return JSONResponse({"detail": "a value the database cannot store", "errors": []}, status_code=422)

    @app.exception_handler(OSError)
    async def _os(_: Request, exc: OSError) -> JSONResponse:
        """A full disk is the server's trouble, not the request's: 503, and the kiosk keeps the dossier."""
        if not storage_full(exc):
            raise exc
        return _storage_full()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and storage_full(exc.__cause__):  # FastAPI's "error parsing the body"
            return _storage_full()
        return JSONResponse({"detail": str(exc.detail), "errors": []}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))
