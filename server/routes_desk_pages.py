"""The dossier desk's pages (Jinja2, bundled fonts, no CDN): ``/desk/dossiers`` (list, filters, search) and
``/desk/dossiers/{code}`` (applicant, declared fields, documents, PDFs inline and for download, OCR text,
history, actions). The actions are plain HTML forms carrying the session's CSRF token; they post to this
router, which calls the same functions as the API (:mod:`server.routes_desk`) and redirects back with
the outcome (a refused change shows its Vietnamese message on the page)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

import kiosk.api as api
from server import desk_view
from server import dossier_desk as desk
from server import dossier_flow as flow
from server.officers import CSRF_COOKIE, Officer, authenticate, current_officer
from server.routes_desk import CodePath, dossier_out, row_out
from server.routes_desk import apologize as do_apologize
from server.routes_desk import change as do_change
from server.routes_pages import NO_STORE, templates

router = APIRouter(include_in_schema=False)


def _officer(request: Request) -> Officer | None:
    try:
        return authenticate(request, None, None)
    except HTTPException:
        return None


def _login(request: Request, title: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "dossiers_login.html", {"title": title}, status_code=401,
                                      headers=NO_STORE)


def _ctx(request: Request, officer: Officer, **more) -> dict:
    return {"officer": officer, "csrf": request.cookies.get(CSRF_COOKIE, ""), "labels": flow.LABEL_VI,
            "actions": flow.ACTION_VI, "statuses": flow.STATUSES, **more}


def _day(text: str) -> date | None:
    """A filter's day as the form sends it ("" when left empty: no filter, never a 422)."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is None or api.MIN_YEAR <= day.year <= api.MAX_YEAR else None


@router.get("/desk/dossiers", response_class=HTMLResponse)
def list_page(request: Request, status: str = Query("", max_length=16),
              start: str = Query("", alias="from", max_length=10), end: str = Query("", alias="to", max_length=10), procedure: str = Query("", max_length=40),
              overdue: bool = False, q: str = Query("", max_length=200)):
    since, until = _day(start), _day(end)
    officer = _officer(request)
    if officer is None:
        return _login(request, "Hồ sơ")
    cfg = request.app.state.settings
    now = cfg.now()
    f = desk.DeskFilter(status or None, since, until, procedure or None, overdue, q)
    with request.app.state.db.read() as s:
        rows = [row_out(d, now, cfg.tz) for d in desk.list_dossiers(s, officer.department_id, f, now, cfg.tz)]
        procs = desk.procedures(s, officer.department_id)
    return templates.TemplateResponse(request, "dossiers.html", _ctx(
        request, officer, rows=rows, procedures=procs, f=f, since=since or "", until=until or ""), headers=NO_STORE)


@router.get("/desk/dossiers/{code}", response_class=HTMLResponse)
def dossier_page(request: Request, code: str = CodePath, ok: str = Query("", max_length=300),
                 err: str = Query("", max_length=300)):
    officer = _officer(request)
    if officer is None:
        return _login(request, "Hồ sơ")
    cfg = request.app.state.settings
    store = request.app.state.files
    with request.app.state.db.read() as s:
        d = desk.find(s, officer.department_id, code)
        if d is None:
            return HTMLResponse("<p>Không tìm thấy hồ sơ này trong bộ phận của bạn. <a href=\"/desk/dossiers\">"
                                "Về danh sách</a></p>", status_code=404)
        out = dossier_out(s, d, cfg.now(), cfg.tz)
        shas = [f.sha256 for f in d.files]
        apology = d.apology_at is not None
    ocr = [desk_view.pdf_text(store.blob_path(sha)) if f.content_type == "application/pdf" else ""
           for sha, f in zip(shas, out.files)]
    fields = desk_view.declared_fields(out.meta, cfg.catalog_dir, out.procedure_code)
    return templates.TemplateResponse(request, "dossier.html", _ctx(
        request, officer, d=out, ocr=ocr, fields=fields, ok=ok, err=err, apology=apology,
        today=cfg.local_now().date().isoformat()), headers=NO_STORE)


def _back(code: str, ok: str = "", err: str = "") -> RedirectResponse:
    q = f"?ok={quote(ok)}" if ok else f"?err={quote(err)}"
    return RedirectResponse(f"/desk/dossiers/{quote(code)}{q}#actions", status_code=303)


@router.post("/desk/dossiers/{code}/status")
def status_form(request: Request, code: str = CodePath, status: str = Form(..., max_length=16),
                note: str = Form("", max_length=2000), officer: Officer = Depends(current_officer())):
    try:
        out = do_change(request, officer, code, status, note)
    except HTTPException as e:
        return _back(code, err=str(e.detail))
    return _back(code, ok=f"Đã chuyển sang «{flow.LABEL_VI[out.status]}».")


@router.post("/desk/dossiers/{code}/apology")
def apology_form(request: Request, code: str = CodePath, reason: str = Form("", max_length=2000),
                 new_date: date = Form(...), officer: Officer = Depends(current_officer())):
    try:
        do_apologize(request, officer, code, reason, new_date)
    except HTTPException as e:
        return _back(code, err=str(e.detail))
    return _back(code, ok="Đã lập phiếu xin lỗi. In phiếu và giao cho người dân.")
