"""A seeded set of dossiers with known on-time outcomes around Tết 2026, for the department's report tests.

The province's calendar adds Fri 13/02/2026 off (before the national Tết days 16–20/02) and makes Sat
28/02/2026 a working day. Times are local (Asia/Ho_Chi_Minh). Each case: (procedure, received, working
days, steps as (local time, status, note)), and the outcome it must be counted as.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR_TOML = 'extra_days_off = ["2026-02-13"]\nmake_up_days = ["2026-02-28"]\n'
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)
P1, P2 = ("1.001193", "Đăng ký khai sinh"), ("1.004222", "Đăng ký thường trú")
RESULT = ("accepted", "processing", "releasing")


def t(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def _to_result(when: datetime) -> list[tuple[datetime, str, str]]:
    return [(when, s, "") for s in RESULT]


# name: (procedure, received, working days, steps, expected outcome, due date the server must compute)
CASES = {
    # 3 working days from Thu 12/02: Fri 13 off, weekend, Tết 16–20, weekend → Mon 23, Tue 24, Wed 25
    "A": (P1, t(2, 12, 9), 3, _to_result(t(2, 25, 8, 30)), "on_time", t(2, 25, 9)),
    # 2 working days from Thu 26/02: Fri 27, Sat 28 (make-up day) → due Sat 28; a result on Mon 02/03 is late
    "B": (P1, t(2, 26, 10), 2, _to_result(t(3, 2, 9)), "late", t(2, 28, 10)),
    "F": (P1, t(2, 12, 11), 3, [(t(2, 12, 14), "denied", "Không thuộc thẩm quyền")], "refused", t(2, 25, 11)),
    "C": (P2, t(3, 2, 10), 3, _to_result(t(3, 4, 15)), "early", t(3, 5, 10)),
    "I": (P2, t(3, 2, 10, 30), 3, _to_result(t(3, 5, 10, 29)), "on_time", t(3, 5, 10, 30)),
    "D": (P2, t(3, 3, 10), 1, [(t(3, 3, 11), "accepted", ""), (t(3, 3, 12), "processing", "")], "overdue", t(3, 4, 10)),
    "G": (P1, t(3, 5, 9), 3, [(t(3, 5, 10), "waiting", "Thiếu tờ khai")], "waiting", t(3, 10, 9)),
    "H": (P2, t(3, 6, 9), 1, [*_to_result(t(3, 9, 16)), (t(3, 9, 17), "done", "")], "late", t(3, 9, 9)),
    "E": (P2, t(3, 9, 10), 5, [(t(3, 9, 11), "accepted", "")], "pending", t(3, 16, 10)),
}
TOTAL = {"received": 9, "early": 1, "on_time": 2, "late": 2, "overdue": 1, "pending": 1, "waiting": 1, "refused": 1,
         "resolved": 5, "on_time_rate_pct": 60.0}
BY_PROCEDURE = {P1[0]: {"received": 4, "on_time": 1, "late": 1, "refused": 1, "waiting": 1, "on_time_rate_pct": 50.0},
                P2[0]: {"received": 5, "early": 1, "on_time": 1, "late": 1, "overdue": 1, "pending": 1,
                        "on_time_rate_pct": 66.7}}
BY_MONTH = {"2026-02": {"received": 3, "on_time": 1, "late": 1, "refused": 1, "on_time_rate_pct": 50.0},
            "2026-03": {"received": 6, "early": 1, "on_time": 1, "late": 1, "overdue": 1, "pending": 1, "waiting": 1,
                        "on_time_rate_pct": 66.7}}
