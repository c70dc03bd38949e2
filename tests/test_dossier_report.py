"""The department's report figures (server.dossier_report) over the seeded Tết 2026 set, with appointments
computed by the kiosk's working-day rule under the province's calendar."""

from __future__ import annotations

import csv
import io

from kiosk.declarations.workdays import calendar_from_dict, appointment
from report_seed import BY_MONTH, BY_PROCEDURE, CASES, NOW, TOTAL, TZ
from server import dossier_report as report

CAL = calendar_from_dict({"extra_days_off": ["2026-02-13"], "make_up_days": ["2026-02-28"]})


def _rows():
    rows = {}
    for name, ((code, proc), received, days, steps, _outcome, due) in CASES.items():
        computed = appointment(received, days, CAL)
        assert computed == due, name  # the seed's due dates are the working-day rule's
        status, result = "received", None
        for when, s, _note in steps:
            status = s
            result = when if s == "releasing" else result
        channel = "counter" if name == "H" else "kiosk"
        rows[name] = report.ReportRow(code, proc, status, received, computed, result, channel)
    return rows


def _has(got: dict, want: dict) -> None:
    for k in report.COUNTS:
        if k != "kiosk":
            assert got[k] == want.get(k, 0), k
    assert got["on_time_rate_pct"] == want["on_time_rate_pct"]


def test_each_seeded_dossier_has_its_known_outcome():
    for name, row in _rows().items():
        assert report.outcome(row, NOW, TZ) == CASES[name][4], name


def test_totals_by_procedure_and_by_month():
    out = report.summarise(_rows().values(), NOW, TZ)
    _has(out["total"], TOTAL)
    assert out["total"]["kiosk"] == 8 and out["total"]["kiosk_share_pct"] == 88.9
    assert [p["code"] for p in out["by_procedure"]] == sorted(BY_PROCEDURE)
    for p in out["by_procedure"]:
        _has(p, BY_PROCEDURE[p["code"]])
    assert [m["month"] for m in out["by_month"]] == ["2026-02", "2026-03"]
    for m in out["by_month"]:
        _has(m, BY_MONTH[m["month"]])


def test_nothing_resolved_gives_no_rate():
    out = report.summarise([], NOW, TZ)
    assert out["total"]["on_time_rate_pct"] is None and out["total"]["kiosk_share_pct"] is None


def test_csv_has_vietnamese_headings_and_a_row_per_group():
    text = report.to_csv(report.summarise(_rows().values(), NOW, TZ))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["nhóm", "mã", "tên", "tiếp nhận"] and "tỉ lệ đúng hạn (%)" in rows[0]
    assert [r[0] for r in rows[1:]] == ["tổng", "thủ tục", "thủ tục", "tháng", "tháng"]
    assert rows[1][rows[0].index("tỉ lệ đúng hạn (%)")] == "60.0"
