"""Screenshots of the dossier desk (list, a dossier's page, the supervisor's report) for docs/screenshots,
against a server seeded through the kiosk's client and the officer endpoints over a few past weeks.
Called by ``tests/browser/shots.py``; invented applicants only."""

from __future__ import annotations

import io
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from fpdf import FPDF
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers.browser import chrome, size
from kiosk import api
from kiosk.backend.client import BackendClient
from server.apology_pdf import FONTS
from server.testing import TEST_PASSWORD, MovableClock, ServerThread

UNIT = "000.00.01.H22"
TOKEN = "token-kiosk-01-desk-shots"
CATALOG = Path(__file__).resolve().parents[2] / "config" / "procedures"
NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường", "Phạm Thu Dung", "Hoàng Minh Đức", "Võ Thị Hạnh",
         "Đặng Quốc Huy", "Bùi Ngọc Lan", "Đỗ Văn Minh", "Ngô Thị Nga", "Dương Văn Phúc", "Lý Thị Quyên"]
PROCS = [("1.001193", "Đăng ký khai sinh", 3), ("2.000815", "Chứng thực bản sao từ bản chính", 0),
         ("1.000894", "Đăng ký kết hôn", 5), ("2.000720", "Đăng ký thành lập hộ kinh doanh", 3)]


def _scan(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("Noto", "", str(FONTS / "NotoSans-Regular.ttf"))
    pdf.add_page()
    pdf.set_font("Noto", "", 13)
    pdf.multi_cell(0, 8, text)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _seed(srv: ServerThread, clock: MovableClock, tmp: Path) -> str:
    with srv.app.state.db.write() as s:
        from server.models import Department

        s.query(Department).filter(Department.unit_id == UNIT).update({"name": "Bộ phận Một cửa UBND phường Hải Vân"})
    srv.add_officer("can-bo-1", full_name="Nguyễn Văn Bình")
    today = datetime.now(srv.settings.tz).replace(hour=8, minute=10, second=0, microsecond=0)
    days_back = [today - timedelta(days=n) for n in range(45, 0, -1)]
    workdays = [d for d in days_back if d.weekday() < 5][-26:]
    steps = [["accepted", "processing", "releasing", "done"], ["accepted", "processing", "releasing"],
             ["waiting"], ["accepted", "processing", "releasing", "done"], ["accepted"], [], ["denied"]]
    featured = ""
    with BackendClient(srv.url, TOKEN, "KIOSK-01", timeout_s=5, retries=0) as client:
        for i, day in enumerate(workdays):
            clock.set((day + timedelta(hours=i % 6, minutes=7 * i % 50)).astimezone(timezone.utc))
            code, name, days = PROCS[i % len(PROCS)]
            who = NAMES[i % len(NAMES)]
            scan = tmp / f"to-khai-{i}.pdf"
            scan.write_bytes(_scan(f"TỜ KHAI {name.upper()}\nHọ và tên người yêu cầu: {who}\n"
                                   "Nơi cư trú: Xóm 2, phường Hải Vân\nKính gửi: UBND phường Hải Vân"))
            form = {"nyc_ho_ten": who, "nyc_noi_cu_tru": "Xóm 2, phường Hải Vân", "nyc_quan_he": "Cha",
                    "tre_ho_ten": "Nguyễn Minh Khang", "tre_gioi_tinh": "Nam", "tre_noi_sinh": "Bệnh viện Đa khoa tỉnh",
                    "tre_dan_toc": "Kinh", "tre_quoc_tich": "Việt Nam", "me_ho_ten": "Trần Thị Thảo"} \
                if code == "1.001193" else {}
            meta = api.DossierIn(
                receiving_unit_id=UNIT, kiosk_id="KIOSK-01", procedure_code=code, procedure_name=name,
                applicant=api.Applicant(full_name=who, address="Xóm 2, phường Hải Vân", phone="0912 345 678"),
                form=form, field_sources={k: "card" if k.startswith("nyc") else "typed" for k in form},
                rule=api.ProcessingRule(working_days=days),
                documents=[api.DocumentIn(key="to_khai", name="Tờ khai", files=[scan.name])])
            receipt = client.submit_dossier(meta, [scan], uuid.uuid4().hex)
            plan = steps[i % len(steps)] if i < 21 else (["accepted", "processing"] if i in (21, 24) else [])
            if i == 20:  # the featured one: a birth registration that ran late and got its apology
                plan, featured = ["accepted", "processing"], receipt.code
            late = i in (3, 10)
            for to in plan:
                clock.shift(hours=(24 * (days + 2) if late and to == "releasing" else 2))
                note = {"waiting": "Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ",
                        "denied": "Không thuộc thẩm quyền của phường", "accepted": "Đủ giấy tờ",
                        "processing": "Chuyển công chức Tư pháp - Hộ tịch"}.get(to, "")
                h = {"Authorization": f"Bearer {srv.officer_bearer('can-bo-1')}"}
                httpx.post(f"{srv.url}/desk/dossiers/{receipt.code}/status", json={"status": to, "note": note},
                           headers=h, timeout=10)
    clock.set(today.astimezone(timezone.utc) + timedelta(hours=2))
    h = {"Authorization": f"Bearer {srv.officer_bearer('can-bo-1')}"}
    from kiosk.declarations.workdays import DEFAULT_CALENDAR

    day = DEFAULT_CALENDAR.next_working_day(DEFAULT_CALENDAR.next_working_day(today.date()))
    httpx.post(f"{srv.url}/desk/dossiers/{featured}/apology", headers=h,
               json={"reason": "Cần xác minh thông tin với UBND xã nơi cư trú trước", "new_date": day.isoformat()})
    srv.add_officer("truong-bo-phan", "supervisor", full_name="Trần Thị Mai")
    return featured


def _login(d, base: str, path: str, user: str) -> None:
    d.get(f"{base}{path}")
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
    d.find_element(By.ID, "login-btn").click()
    WebDriverWait(d, 15).until(lambda x: not x.find_elements(By.ID, "login"))


def main(outdir: Path) -> None:
    clock = MovableClock()
    with tempfile.TemporaryDirectory() as tmp, \
            ServerThread(Path(tmp), kiosks=[("KIOSK-01", TOKEN, UNIT)], clock=clock, catalog_dir=CATALOG) as srv:
        featured = _seed(srv, clock, Path(tmp))
        base = srv.url.removesuffix("/api/v1")
        d = chrome(1280, 900)
        try:
            _login(d, base, "/desk/dossiers", "can-bo-1")
            d.save_screenshot(str(outdir / "office-dossiers-1280x900.png"))
            d.get(f"{base}/desk/dossiers/{featured}")
            d.execute_script("document.getElementById('ocr-1').open = true; window.scrollTo(0, 0);")
            size(d, 1280, 2000)
            time.sleep(2)  # the PDF viewer draws the embedded scan after the page has loaded
            d.save_screenshot(str(outdir / "office-dossier-1280x2000.png"))
            size(d, 1280, 900)
            d.delete_all_cookies()
            _login(d, base, "/desk/report", "truong-bo-phan")
            size(d, 1400, 1000)
            d.save_screenshot(str(outdir / "office-report-1400x1000.png"))
        finally:
            d.quit()
