"""Waiting and service statistics for supervisors: ``GET /stats`` (JSON), ``/stats.csv``, and the page ``/stats``
with server-side SVG charts. A supervisor sees their own department; an admin any (``unit``)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from server import errors
from server.models import Department, Ticket
from server.officers import Officer, authenticate, current_officer, department_scope
from server.queue import stats

router = APIRouter(tags=["stats"])
MAX_DAYS = 366


def _window(request: Request, start: date | None, end: date | None) -> tuple[date, date]:
    today = request.app.state.settings.local_now().date()
    end = end or today
    start = start or end - timedelta(days=6)
    if start > end:
        raise HTTPException(422, "from must not be after to")
    if (end - start).days >= MAX_DAYS:
        raise HTTPException(422, f"at most {MAX_DAYS} days at once")
    return start, end


def summary(request: Request, officer: Officer, unit: str | None, start: date | None, end: date | None) -> dict:
    scope = department_scope(officer, unit)
    start, end = _window(request, start, end)
    with request.app.state.db.read() as s:
        q = select(Ticket.day, Ticket.service, Ticket.counter, Ticket.status, Ticket.issued_at, Ticket.called_at,
                   Ticket.serving_at, Ticket.done_at).where(Ticket.day >= start, Ticket.day <= end)
        name = ""
        if scope:
            dept = s.execute(select(Department.id, Department.name).where(Department.unit_id == scope)).first()
            if dept is None:
                raise HTTPException(404, "unknown department")
            q = q.where(Ticket.department_id == dept.id)
            name = dept.name
        rows = [stats.Row(*r) for r in s.execute(q).all()]
    out = stats.summarise(rows)
    out.update({"from": start.isoformat(), "to": end.isoformat(), "unit": scope, "department": name})
    return out


Unit = Query(None, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
From = Query(None, alias="from", description="first day (default: a week before `to`)")
To = Query(None, alias="to", description="last day (default: today)")


@router.get("/stats", responses=errors.problems(401, 403, 404))
def stats_json(request: Request, unit: str | None = Unit, start: date | None = From, end: date | None = To,
               officer: Officer = Depends(current_officer("supervisor"))) -> dict:
    return summary(request, officer, unit, start, end)


@router.get("/stats.csv", responses={200: {"content": {"text/csv": {}}}, **errors.problems(401, 403, 404)})
def stats_csv(request: Request, unit: str | None = Unit, start: date | None = From, end: date | None = To,
              officer: Officer = Depends(current_officer("supervisor"))) -> Response:
    out = summary(request, officer, unit, start, end)
    return Response(stats.to_csv(out), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="thong-ke-{out["from"]}-{out["to"]}.csv"'})


page_router = APIRouter(include_in_schema=False)


@page_router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, unit: str | None = Unit, start: date | None = From, end: date | None = To):
    from server.routes_pages import templates

    try:
        officer = authenticate(request, None, None)
    except HTTPException:
        return HTMLResponse('<p>Xin <a href="/desk">đăng nhập</a> bằng tài khoản trưởng bộ phận.</p>', status_code=401)
    if not officer.at_least("supervisor"):
        return HTMLResponse("<p>Trang này dành cho trưởng bộ phận (supervisor).</p>", status_code=403)
    out = summary(request, officer, unit, start, end)
    days = out["days"]
    chart_count = stats.bars_svg([(d["day"][5:], [d["issued"], d["served"], d["no_show"]]) for d in days],
                                 ["Đã cấp số", "Đã phục vụ", "Vắng mặt"], ["#0b4f9c", "#1b7f3b", "#b3261e"],
                                 "Số lượt mỗi ngày", "lượt")
    chart_wait = stats.bars_svg([(d["day"][5:], [d["wait_mean_min"], d["wait_p90_min"]]) for d in days],
                                ["Chờ trung bình", "Chờ P90"], ["#0b4f9c", "#9a6700"],
                                "Thời gian chờ (phút)", "phút", line=stats.TARGET_MIN)
    chart_share = stats.bars_svg([(d["day"][5:], [d["waited_15_min_or_less_pct"]]) for d in days],
                                 ["Chờ không quá 15 phút"], ["#1b7f3b"], "Tỉ lệ chờ ≤ 15 phút (%)", "%")
    query = f"?from={out['from']}&to={out['to']}" + (f"&unit={unit}" if unit else "")
    return templates.TemplateResponse(request, "stats.html", {"s": out, "chart_count": chart_count,
                                                              "chart_wait": chart_wait, "chart_share": chart_share,
                                                              "query": query})
