"""Satisfaction in real time (Decision 468/QĐ-TTg: ≥ 95 %): ratings aggregated per day, service and counter.

``GET /satisfaction`` answers JSON; ``GET /satisfaction.html`` is a small page for the
department's screen — an SVG bar chart per day with the target line, and tables per
service and per counter — that reloads itself every minute. Both carry only counts
(no dossier codes, no comments; reasons only as the configured tags) and need a supervisor's login,
unless the server's ``public_satisfaction`` setting makes them public (a screen in the hall). "Satisfied" means
"Rất hài lòng" or "Hài lòng" out of all answers. A rating made with a ticket number
but no counter is credited to the counter that called that ticket, when the server knows it.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

import kiosk.api as api
from server import deps, errors
from server.db import Database
from server.models import Department, Rating, Ticket
from server.officers import Officer, department_scope, satisfaction_viewer
from server.settings import ServerSettings

router = APIRouter(tags=["satisfaction"])

SATISFIED = frozenset({"very_satisfied", "satisfied"})
LEVELS = ("very_satisfied", "satisfied", "neutral", "unsatisfied")
LEVEL_VI = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "neutral": "Bình thường",
            "unsatisfied": "Không hài lòng"}
DEFAULT_TARGET = 95.0
MAX_DAYS = 366


@dataclass(frozen=True)
class RatingRow:
    """One rating reduced to what the aggregation needs."""

    day: date
    level: str
    service: str | None = None
    counter: int | None = None
    reasons: tuple[str, ...] = ()


class Group(BaseModel):
    key: str
    total: int
    satisfied: int
    percent: float | None
    levels: dict[str, int]
    meets_target: bool | None


class SatisfactionOut(BaseModel):
    target_percent: float
    date_from: date
    date_to: date
    overall: Group
    by_day: list[Group]
    by_service: list[Group]
    by_counter: list[Group]
    unsatisfied_reasons: dict[str, int]


@dataclass
class _Acc:
    levels: Counter[str] = field(default_factory=Counter)

    def group(self, key: str, target: float) -> Group:
        total = sum(self.levels.values())
        sat = sum(n for lvl, n in self.levels.items() if lvl in SATISFIED)
        pct = round(100.0 * sat / total, 1) if total else None
        return Group(key=key, total=total, satisfied=sat, percent=pct,
                     levels={lvl: self.levels.get(lvl, 0) for lvl in LEVELS},
                     meets_target=None if pct is None else pct >= target)


def aggregate(rows: Iterable[RatingRow], date_from: date, date_to: date, target: float = DEFAULT_TARGET) -> SatisfactionOut:
    """Counts and satisfaction percentages overall, per day (every day of the range), service and counter."""
    overall = _Acc()
    days: dict[date, _Acc] = {date_from + timedelta(n): _Acc() for n in range((date_to - date_from).days + 1)}
    services: dict[str, _Acc] = defaultdict(_Acc)
    counters: dict[str, _Acc] = defaultdict(_Acc)
    reasons: Counter[str] = Counter()
    for r in rows:
        if not date_from <= r.day <= date_to:
            continue
        overall.levels[r.level] += 1
        days[r.day].levels[r.level] += 1
        services[r.service or "-"].levels[r.level] += 1
        counters[str(r.counter) if r.counter is not None else "-"].levels[r.level] += 1
        if r.level == "unsatisfied":
            reasons.update(r.reasons)

    def order(key: str) -> tuple[int, Any]:
        return (1, key) if key == "-" else (0, int(key) if key.isdigit() else key)

    return SatisfactionOut(
        target_percent=target,
        date_from=date_from,
        date_to=date_to,
        overall=overall.group("all", target),
        by_day=[acc.group(d.isoformat(), target) for d, acc in sorted(days.items())],
        by_service=[services[k].group(k, target) for k in sorted(services, key=order)],
        by_counter=[counters[k].group(k, target) for k in sorted(counters, key=order)],
        unsatisfied_reasons=dict(reasons.most_common()),
    )


# ------------------------------------------------------------------ database


def load_rows(s: Session, cfg: ServerSettings, date_from: date, date_to: date, unit: str | None) -> list[RatingRow]:
    """Ratings of the range (local days), with the counter filled in from the ticket when missing."""
    tz = cfg.tz
    start = datetime.combine(date_from, time.min, tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tz)
    q = select(Rating).where(Rating.at >= start, Rating.at < end)
    dept_id: int | None = None
    if unit:
        dept_id = s.execute(select(Department.id).where(Department.unit_id == unit)).scalar_one_or_none()
        if dept_id is None:
            raise HTTPException(404, "unknown unit")
        q = q.where(Rating.department_id == dept_id)
    ratings = s.execute(q).scalars().all()
    wanted = {(r.department_id, r.ticket_number, r.at.astimezone(tz).date()) for r in ratings
              if r.counter is None and r.ticket_number}
    called: dict[tuple[int, str, date], int] = {}
    if wanted:
        tq = select(Ticket.department_id, Ticket.number, Ticket.day, Ticket.counter).where(
            Ticket.number.in_({w[1] for w in wanted}), Ticket.counter.is_not(None),
            Ticket.day >= date_from, Ticket.day <= date_to)
        for dep, number, day, counter in s.execute(tq):
            called[(dep, number, day)] = counter
    rows = []
    for r in ratings:
        day = r.at.astimezone(tz).date()
        counter = r.counter
        if counter is None and r.ticket_number:
            counter = called.get((r.department_id, r.ticket_number, day))
        service = r.service or (r.ticket_number[0] if r.ticket_number and r.ticket_number[0].isalpha() else None)
        rows.append(RatingRow(day=day, level=r.level, service=service, counter=counter,
                              reasons=tuple(x if x in cfg.rating_reasons else "other" for x in (r.reasons or []))))
    return rows


def _range(cfg: ServerSettings, date_from: date | None, date_to: date | None, days: int) -> tuple[date, date]:
    today = cfg.local_now().date()
    date_to = date_to or today
    date_from = date_from or (date_to - timedelta(days=days - 1))
    if date_from > date_to:
        raise HTTPException(422, "from is after to")
    if (date_to - date_from).days >= MAX_DAYS:
        raise HTTPException(422, f"at most {MAX_DAYS} days")
    return date_from, date_to


@dataclass(frozen=True)
class Shown:
    """One report as the JSON and the page both show it, with the unit it is scoped to ("" = every unit)."""

    report: SatisfactionOut
    unit: str


def shown_report(
    date_from: api.Day | None = Query(None, alias="from"),
    date_to: api.Day | None = Query(None, alias="to"),
    days: int = Query(14, ge=1, le=MAX_DAYS),
    unit: str | None = Query(None, max_length=40),
    target: float = Query(DEFAULT_TARGET, gt=0, le=100),
    viewer: Officer | None = Depends(satisfaction_viewer),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
) -> Shown:
    """The query both routes take: the window, the unit (an officer sees only their department's), the target."""
    unit = department_scope(viewer, unit) if viewer else unit
    start, end = _range(cfg, date_from, date_to, days)
    with db.read() as s:
        rows = load_rows(s, cfg, start, end, unit)
    return Shown(aggregate(rows, start, end, target), unit or "")


@router.get("/satisfaction", response_model=SatisfactionOut, responses=errors.problems(401, 403, 404))
def satisfaction(shown: Shown = Depends(shown_report)) -> SatisfactionOut:
    return shown.report


@router.get("/satisfaction.html", response_class=HTMLResponse, responses=errors.problems(401, 403, 404, html=True))
def satisfaction_page(shown: Shown = Depends(shown_report)) -> HTMLResponse:
    return HTMLResponse(render_page(shown.report, shown.unit))


# ------------------------------------------------------------------ HTML


def _pct(g: Group) -> str:
    return "–" if g.percent is None else f"{g.percent:.1f} %"


def bar_chart(groups: list[Group], target: float, width: int = 900, height: int = 320) -> str:
    """An SVG bar per day (satisfaction %), green at or above target, red below, and the target line."""
    left, right, top, bottom = 48, 12, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(groups))
    slot = plot_w / n
    bar = max(4.0, slot * 0.7)

    def y(p: float) -> float:
        return top + plot_h * (1 - p / 100.0)

    parts = [f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="Tỷ lệ hài lòng theo ngày">']
    for p in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(p):.1f}" y2="{y(p):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(p) + 4:.1f}" text-anchor="end" font-size="12">{p}</text>')
    for i, g in enumerate(groups):
        x = left + i * slot + (slot - bar) / 2
        label = g.key[8:10] + "/" + g.key[5:7] if len(g.key) == 10 else html.escape(g.key)
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'font-size="12">{label}</text>')
        if g.percent is None:
            continue
        colour = "#1E7B34" if g.meets_target else "#B3261E"
        parts.append(f'<rect class="bar" data-day="{g.key}" data-percent="{g.percent}" x="{x:.1f}" '
                     f'y="{y(g.percent):.1f}" width="{bar:.1f}" height="{plot_h * g.percent / 100:.1f}" '
                     f'fill="{colour}"><title>{g.key}: {g.percent:.1f} % ({g.total})</title></rect>')
    ty = y(target)
    parts.append(f'<line id="target-line" data-target="{target:g}" x1="{left}" x2="{width - right}" '
                 f'y1="{ty:.1f}" y2="{ty:.1f}" stroke="#F2B705" stroke-width="3" stroke-dasharray="8 5"/>'
                 f'<text x="{width - right}" y="{ty - 6:.1f}" text-anchor="end" font-size="13" '
                 f'font-weight="bold">Mục tiêu {target:g} %</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(table_id: str, title: str, head: str, groups: list[Group]) -> str:
    rows = "".join(
        f'<tr class="{"ok" if g.meets_target else ("low" if g.meets_target is False else "")}">'
        f"<td>{html.escape(g.key if g.key != '-' else 'Không rõ')}</td><td>{g.total}</td>"
        + "".join(f"<td>{g.levels[lvl]}</td>" for lvl in LEVELS)
        + f'<td class="pct">{_pct(g)}</td></tr>'
        for g in groups if g.total
    )
    cols = "".join(f"<th>{LEVEL_VI[lvl]}</th>" for lvl in LEVELS)
    return (f'<h2>{title}</h2><table id="{table_id}"><thead><tr><th>{head}</th><th>Lượt</th>{cols}'
            f"<th>Hài lòng</th></tr></thead><tbody>{rows or '<tr><td colspan=7>Chưa có đánh giá</td></tr>'}"
            "</tbody></table>")


def render_page(report: SatisfactionOut, unit: str = "") -> str:
    """The whole page: headline figure against the target, the chart, tables, reasons."""
    o = report.overall
    status = ("Chưa có đánh giá" if o.percent is None else
              ("Đạt mục tiêu" if o.meets_target else "Chưa đạt mục tiêu"))
    reasons = "".join(f"<li>{html.escape(k)}: {v}</li>" for k, v in report.unsatisfied_reasons.items())
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">
<title>Mức độ hài lòng – {html.escape(unit) or "Bộ phận Một cửa"}</title>
<style>
body{{font-family:"Noto Sans",Arial,sans-serif;margin:24px;color:#1b1b1b;background:#F4F1EA}}
h1{{color:#A4161A;margin:0 0 8px}} .big{{font-size:48px;font-weight:bold}}
.ok{{color:#1E7B34}} .low{{color:#B3261E}} table{{border-collapse:collapse;margin:8px 0 24px;background:#fff}}
td,th{{border:1px solid #8A8577;padding:6px 10px;text-align:right}} td:first-child,th:first-child{{text-align:left}}
svg{{max-width:100%;background:#fff;border:1px solid #8A8577}}
</style></head><body>
<h1>Mức độ hài lòng của người dân</h1>
<p>Từ {report.date_from:%d/%m/%Y} đến {report.date_to:%d/%m/%Y} · mục tiêu ≥ {report.target_percent:g} %
(Quyết định 468/QĐ-TTg) · tự cập nhật mỗi phút</p>
<p id="overall" class="{"ok" if o.meets_target else "low"}"><span class="big">{_pct(o)}</span>
hài lòng trên {o.total} lượt đánh giá — <strong id="status">{status}</strong></p>
{bar_chart(report.by_day, report.target_percent)}
{_table("by-service", "Theo lĩnh vực", "Lĩnh vực", report.by_service)}
{_table("by-counter", "Theo quầy", "Quầy", report.by_counter)}
<h2>Lý do chưa hài lòng</h2><ul id="reasons">{reasons or "<li>Không có</li>"}</ul>
</body></html>"""
