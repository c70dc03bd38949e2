"""The department's view of its kiosks: last heartbeat and health of each (JSON and a small HTML page).

``GET /kiosks`` answers JSON; ``GET /kiosks.html`` is a page for the department's operations
screen that reloads itself every minute. A kiosk whose last heartbeat is older than
:data:`STALE_AFTER_S` is shown "offline" whatever it last said. Both need a supervisor's login
and show that supervisor's department (an admin sees all, ``?unit=`` narrows to one).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import deps, errors
from server.db import Database
from server.models import Department, Kiosk
from server.officers import Officer, current_officer, department_scope
from server.settings import ServerSettings

router = APIRouter(tags=["kiosks"])

STALE_AFTER_S = 180.0  # three missed beats at the default 60 s
STATE_VI = {"green": "Tốt", "amber": "Cần chú ý", "red": "Lỗi", "offline": "Mất liên lạc", "never": "Chưa kết nối"}
STATE_COLOUR = {"green": "#1E7B34", "amber": "#9A5B00", "red": "#B3261E", "offline": "#555", "never": "#555"}


class KioskState(BaseModel):
    id: str
    name: str
    department: str
    unit_id: str
    state: str  # green | amber | red | offline | never
    last_heartbeat_at: datetime | None
    seconds_since: float | None
    version: str | None = None
    checks: dict[str, Any] = {}


class KiosksOut(BaseModel):
    time: datetime
    kiosks: list[KioskState]


def _state(row: Kiosk, now: datetime) -> tuple[str, float | None]:
    if row.last_heartbeat_at is None:
        return "never", None
    age = (now - row.last_heartbeat_at).total_seconds()
    if age > STALE_AFTER_S:
        return "offline", age
    overall = (row.last_status or {}).get("overall")
    return (overall if overall in ("green", "amber", "red") else "amber"), age


def list_kiosks(s: Session, now: datetime, unit: str | None = None) -> list[KioskState]:
    q = select(Kiosk).join(Department, Department.id == Kiosk.department_id).order_by(Department.unit_id, Kiosk.id)
    if unit:
        q = q.where(Department.unit_id == unit)
    out = []
    for row in s.execute(q).scalars():
        state, age = _state(row, now)
        status = row.last_status or {}
        out.append(KioskState(
            id=row.id, name=row.name or row.id, department=row.department.name, unit_id=row.department.unit_id,
            state=state, last_heartbeat_at=row.last_heartbeat_at, seconds_since=round(age, 1) if age is not None else None,
            version=status.get("version"), checks=status.get("checks") or {},
        ))
    return out


@router.get("/kiosks", response_model=KiosksOut, responses=errors.problems(401, 403))
def kiosks_json(
    unit: str | None = Query(None, max_length=40),
    viewer: Officer = Depends(current_officer("supervisor")),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
) -> KiosksOut:
    unit = department_scope(viewer, unit)
    now = cfg.now()
    with db.read() as s:
        return KiosksOut(time=now, kiosks=list_kiosks(s, now, unit))


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = int(seconds)
    if s < 120:
        return f"{s} giây trước"
    if s < 7200:
        return f"{s // 60} phút trước"
    return f"{s // 3600} giờ trước"


def render_page(kiosks: list[KioskState], now: datetime, tz: Any) -> str:
    rows = []
    for k in kiosks:
        problems = "; ".join(
            f"{html.escape(name)}: {html.escape(str(c.get('reason', '')))}"
            for name, c in k.checks.items() if isinstance(c, dict) and c.get("state") in ("amber", "red")
        )
        rows.append(
            f"<tr><td>{html.escape(k.id)}</td><td>{html.escape(k.name)}</td><td>{html.escape(k.department)}</td>"
            f"<td><span class='st' style='background:{STATE_COLOUR[k.state]}'>{STATE_VI[k.state]}</span></td>"
            f"<td>{_ago(k.seconds_since)}</td><td>{html.escape(k.version or '')}</td><td>{problems or '—'}</td></tr>"
        )
    body = "\n".join(rows) or "<tr><td colspan='7'>Chưa có ki-ốt nào.</td></tr>"
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">
<title>Tình trạng ki-ốt</title>
<style>body{{font-family:sans-serif;margin:2em;color:#1b1b1b}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.5em;text-align:left;vertical-align:top}}th{{background:#A4161A;color:#fff}}
.st{{color:#fff;padding:.2em .6em;border-radius:.4em;font-weight:bold;white-space:nowrap}}</style></head>
<body><h1>Tình trạng ki-ốt (Kiosk status)</h1>
<p>Cập nhật lúc {now.astimezone(tz).strftime('%H:%M:%S %d/%m/%Y')} — tự tải lại mỗi phút.</p>
<table><tr><th>Mã</th><th>Tên</th><th>Bộ phận</th><th>Trạng thái</th><th>Tín hiệu cuối</th><th>Phiên bản</th><th>Vấn đề</th></tr>
{body}
</table></body></html>"""


@router.get("/kiosks.html", response_class=HTMLResponse, responses=errors.problems(401, 403, html=True))
def kiosks_page(
    unit: str | None = Query(None, max_length=40),
    viewer: Officer = Depends(current_officer("supervisor")),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
) -> HTMLResponse:
    unit = department_scope(viewer, unit)
    now = cfg.now()
    with db.read() as s:
        kiosks = list_kiosks(s, now, unit)
    return HTMLResponse(render_page(kiosks, now, cfg.tz))
