"""The department's on-time report for supervisors: ``GET /desk/report`` (JSON), ``/desk/report.csv``, and the
page ``/desk/report`` (linked to the satisfaction page). Figures: :mod:`server.dossier_report`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

import kiosk.api as api
from server import dossier_report as report
from server import errors
from server.models import Department, Dossier
from server.officers import Officer, authenticate, current_officer

router = APIRouter(tags=["dossier desk"])
page_router = APIRouter(include_in_schema=False)
MAX_DAYS = 3 * 366
From = Query(None, alias="from", description="first day received (default: 1 January of this year)")
To = Query(None, alias="to", description="last day received (default: today)")


def build(request: Request, officer: Officer, start: date | None, end: date | None) -> dict:
    cfg = request.app.state.settings
    tz, now = cfg.tz, cfg.now()
    today = now.astimezone(tz).date()
    end = end or today
    start = start or date(end.year, 1, 1)
    if not all(api.MIN_YEAR <= d.year <= api.MAX_YEAR for d in (start, end)):
        raise HTTPException(422, f"Ngày phải trong khoảng năm {api.MIN_YEAR}–{api.MAX_YEAR}.")
    if start > end:
        raise HTTPException(422, "Ngày bắt đầu không được sau ngày kết thúc.")
    if (end - start).days >= MAX_DAYS:
        raise HTTPException(422, f"Tối đa {MAX_DAYS} ngày một lần.")
    q = select(Dossier.procedure_code, Dossier.procedure_name, Dossier.status, Dossier.received_at,
               Dossier.appointment_at, Dossier.result_at, Dossier.kiosk_id).where(
        Dossier.received_at >= datetime.combine(start, time.min, tz),
        Dossier.received_at < datetime.combine(end + timedelta(days=1), time.min, tz))
    name = ""
    with request.app.state.db.read() as s:
        if officer.department_id is not None:
            q = q.where(Dossier.department_id == officer.department_id)
            dept = s.get(Department, officer.department_id)
            name = dept.name if dept else ""
        rows = [report.ReportRow(c, n, st, rec, app, res, "kiosk" if kiosk else "counter")
                for c, n, st, rec, app, res, kiosk in s.execute(q).all()]
    out = report.summarise(rows, now, tz)
    out.update({"from": start.isoformat(), "to": end.isoformat(), "department": name})
    return out


@router.get("/desk/report", responses=errors.problems(401, 403))
def report_json(request: Request, start: date | None = From, end: date | None = To,
                officer: Officer = Depends(current_officer("supervisor"))) -> dict:
    """Received, early, on time, late, overdue…, on-time rate, kiosk share: in total, by procedure, by month."""
    return build(request, officer, start, end)


@router.get("/desk/report.csv", responses={200: {"content": {"text/csv": {}}}, **errors.problems(401, 403)})
def report_csv(request: Request, start: date | None = From, end: date | None = To,
               officer: Officer = Depends(current_officer("supervisor"))) -> Response:
    out = build(request, officer, start, end)
    return Response(report.to_csv(out), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="bao-cao-dung-han-{out["from"]}-{out["to"]}.csv"'})


@page_router.get("/desk/report", response_class=HTMLResponse)
def report_page(request: Request, start: str = Query("", alias="from", max_length=10),
                end: str = Query("", alias="to", max_length=10)):
    from server.routes_desk_pages import _day, _login
    from server.routes_pages import NO_STORE, templates

    try:
        officer = authenticate(request, None, None)
    except HTTPException:
        return _login(request, "Báo cáo")
    if not officer.at_least("supervisor"):
        return HTMLResponse("<p>Trang này dành cho trưởng bộ phận (supervisor). <a href=\"/desk/dossiers\">"
                            "Về danh sách hồ sơ</a></p>", status_code=403)
    try:
        out = build(request, officer, _day(start), _day(end))
    except HTTPException as e:
        return HTMLResponse(f"<p>{e.detail} <a href=\"/desk/report\">Xem mặc định</a></p>", status_code=422)
    query = f"?from={out['from']}&to={out['to']}"
    return templates.TemplateResponse(request, "report.html", {"r": out, "query": query, "officer": officer},
                                      headers=NO_STORE)
