"""The department's on-time report (pure: rows in, figures out), after Decision 468/QĐ-TTg's indicators.

Each dossier received in the window is counted once, in the month it was received and under its procedure:

* resolved (a result was ready — ``releasing`` or ``done``) **early** when the result came on a day before
  the appointment's day, **on time** when it came on the appointment's day no later than its time,
  **late** when after; the appointment is the one computed from the legal time in working days (Tết,
  the province's extra days off and make-up days included; a supplement request restarts it) — an
  apology's new date does not turn a late dossier into an on-time one;
* not resolved: **overdue** when the appointment has passed (not while it waits for papers), else **pending**;
  **refused** and **waiting** (for papers) are counted apart.

The on-time rate is (early + on time) / resolved, in per cent (None with nothing resolved); the kiosk
share is the dossiers received at a kiosk over all received.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server import dossier_flow as flow

COUNTS = ("received", "early", "on_time", "late", "overdue", "pending", "waiting", "refused", "kiosk")
CSV_FIELDS = ("group", "key", "name", *COUNTS, "resolved", "on_time_rate_pct", "kiosk_share_pct")
CSV_HEAD_VI = {"group": "nhóm", "key": "mã", "name": "tên", "received": "tiếp nhận", "early": "trước hạn",
               "on_time": "đúng hạn", "late": "quá hạn (đã có kết quả)", "overdue": "quá hạn (chưa có kết quả)",
               "pending": "đang giải quyết trong hạn", "waiting": "chờ bổ sung", "refused": "từ chối",
               "kiosk": "nhận tại ki-ốt", "resolved": "đã có kết quả", "on_time_rate_pct": "tỉ lệ đúng hạn (%)",
               "kiosk_share_pct": "tỉ lệ nhận tại ki-ốt (%)"}


@dataclass(frozen=True)
class ReportRow:
    procedure_code: str
    procedure_name: str
    status: str
    received_at: datetime  # aware
    appointment_at: datetime
    result_at: datetime | None
    channel: str  # "kiosk" for every dossier a kiosk sent


def outcome(r: ReportRow, now: datetime, tz) -> str:
    """One of early, on_time, late, overdue, pending, waiting, refused."""
    if r.status == flow.DENIED:
        return "refused"
    if r.result_at is not None and r.status in (flow.RELEASING, flow.DONE):
        if r.result_at > r.appointment_at:
            return "late"
        return "early" if r.result_at.astimezone(tz).date() < r.appointment_at.astimezone(tz).date() else "on_time"
    if r.status == flow.WAITING:
        return "waiting"
    return "overdue" if r.appointment_at < now else "pending"


def _empty() -> dict[str, Any]:
    return dict.fromkeys(COUNTS, 0)


def _finish(c: dict[str, Any]) -> dict[str, Any]:
    resolved = c["early"] + c["on_time"] + c["late"]
    c["resolved"] = resolved
    c["on_time_rate_pct"] = round(100 * (c["early"] + c["on_time"]) / resolved, 1) if resolved else None
    c["kiosk_share_pct"] = round(100 * c["kiosk"] / c["received"], 1) if c["received"] else None
    return c


def summarise(rows: Iterable[ReportRow], now: datetime, tz) -> dict[str, Any]:
    """Totals, by procedure (code order) and by month received (``YYYY-MM``)."""
    total = _empty()
    by_proc: dict[str, dict[str, Any]] = {}
    by_month: dict[str, dict[str, Any]] = {}
    for r in rows:
        kind = outcome(r, now, tz)
        month = r.received_at.astimezone(tz).strftime("%Y-%m")
        p = by_proc.setdefault(r.procedure_code, {"code": r.procedure_code, "name": r.procedure_name, **_empty()})
        m = by_month.setdefault(month, {"month": month, **_empty()})
        for c in (total, p, m):
            c["received"] += 1
            c[kind] += 1
            c["kiosk"] += r.channel == "kiosk"
    return {"total": _finish(total), "by_procedure": [_finish(by_proc[k]) for k in sorted(by_proc)],
            "by_month": [_finish(by_month[k]) for k in sorted(by_month)]}


def to_csv(report: dict[str, Any]) -> str:
    """One table: the total, a row per procedure, a row per month; Vietnamese headings, UTF-8 with a BOM (Excel)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([CSV_HEAD_VI[f] for f in CSV_FIELDS])

    def row(group: str, key: str, name: str, c: dict[str, Any]) -> None:
        w.writerow([group, key, name, *[c[k] for k in COUNTS], c["resolved"],
                    "" if c["on_time_rate_pct"] is None else c["on_time_rate_pct"],
                    "" if c["kiosk_share_pct"] is None else c["kiosk_share_pct"]])

    row("tổng", "", "Tất cả thủ tục", report["total"])
    for p in report["by_procedure"]:
        row("thủ tục", p["code"], p["name"], p)
    for m in report["by_month"]:
        row("tháng", m["month"], "", m)
    return buf.getvalue()
