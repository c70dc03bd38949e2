"""The API's own description — ``/openapi.json`` and the ``/docs`` page — for logged-in officers only.

FastAPI serves both publicly by default; here they sit behind :func:`server.officers.current_officer`
(any role), since the schema maps every endpoint an attacker might try.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from server.officers import Officer, current_officer

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
def openapi(request: Request, _: Officer = Depends(current_officer())) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def docs(request: Request, _: Officer = Depends(current_officer())) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{request.app.title} — docs")
