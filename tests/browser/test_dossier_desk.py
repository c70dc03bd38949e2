"""The officer's dossier desk in real chromium: a dossier sent by the kiosk's outbox in the same test is found,
its PDF opened, accepted and moved to result ready; the kiosk's lookup follows every step."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kiosk import api
from kiosk.backend.client import BackendClient
from kiosk.backend.outbox import Outbox
from server.apology_pdf import FONTS
from server.testing import DEFAULT_UNIT, TEST_PASSWORD

from .conftest import KIOSK_TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT = 15  # an upper bound for conditions polled by WebDriverWait, never a sleep
OCR_LINE = "Tờ khai đăng ký khai sinh — Nguyễn Văn An"


def _wait(driver, condition, timeout: float = WAIT):
    """Poll ``condition``; an element of the page being left (a form's answer loading) is polled again."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
        lambda d: condition(d))


def searchable_pdf() -> bytes:
    """A PDF with a text layer, like the kiosk's scans (whose text is tesseract's)."""
    pdf = FPDF()
    pdf.add_font("Noto", "", str(FONTS / "NotoSans-Regular.ttf"))
    pdf.add_page()
    pdf.set_font("Noto", "", 14)
    pdf.cell(0, 10, OCR_LINE)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _meta(name: str) -> api.DossierIn:
    return api.DossierIn(
        receiving_unit_id=DEFAULT_UNIT, kiosk_id="KIOSK-01", procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        applicant=api.Applicant(full_name="Nguyễn Văn An", address="Xóm 2, Hải Vân"),
        form={"nyc_ho_ten": "Nguyễn Văn An", "ks_ho_ten": "Nguyễn Thị Hoa"}, field_sources={"nyc_ho_ten": "card"},
        rule=api.ProcessingRule(working_days=3),
        documents=[api.DocumentIn(key="to_khai", name="Tờ khai đăng ký khai sinh", files=[name])])


def _act(driver, to: str, note: str = "") -> None:
    if note:
        driver.find_element(By.ID, f"note-{to}").send_keys(note)
    driver.find_element(By.ID, f"act-{to}").click()
    _wait(driver, lambda d: d.find_element(By.ID, "dossier").get_attribute("data-status") == to)


def test_an_officer_accepts_a_kiosk_dossier_and_moves_it_to_result_ready(office, browsers, tmp_path):
    office.add_officer("can-bo-1", full_name="Trần Thị Bình")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(searchable_pdf())
    with BackendClient(office.url, KIOSK_TOKEN, "KIOSK-01", timeout_s=5, retries=0) as client:
        box = Outbox(tmp_path / "outbox" / "outbox.db", client)
        sent = box.submit_dossier(_meta(scan.name), [scan], wait_s=10)
        assert sent.status == "acknowledged"
        receipt = sent.receipt
        base = office.url.removesuffix("/api/v1")
        d = browsers(1280, 1000)
        d.get(f"{base}/desk/dossiers")
        d.find_element(By.ID, "username").send_keys("can-bo-1")
        d.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
        d.find_element(By.ID, "login-btn").click()
        _wait(d, lambda x: x.find_elements(By.ID, "list"))
        d.find_element(By.ID, "q").send_keys("nguyen van an")  # without accents, as officers type
        d.find_element(By.ID, "btn-filter").click()
        # the answer page, not the one the search was typed in (both list the dossier): the server wrote the value
        _wait(d, lambda x: x.find_element(By.ID, "q").get_dom_attribute("value") == "nguyen van an")
        d.find_element(By.CSS_SELECTOR, f'tr[data-code="{receipt.code}"] a.code').click()
        _wait(d, lambda x: x.find_elements(By.ID, "dossier"))
        assert d.find_element(By.ID, "applicant").text == "Nguyễn Văn An"
        assert "Nguyễn Thị Hoa" in d.find_element(By.ID, "fields").text
        assert "Tờ khai đăng ký khai sinh" in d.find_element(By.ID, "documents").text
        assert OCR_LINE in d.find_element(By.ID, "ocr-1").get_attribute("textContent")
        assert d.find_elements(By.CSS_SELECTOR, "#file-1 iframe.pdf")
        page = d.current_url
        d.get(d.find_element(By.ID, "view-1").get_attribute("href"))  # the PDF itself, in the browser
        assert d.execute_script("return document.contentType") == "application/pdf"
        d.get(page)
        assert client.dossier_status(receipt.code, receipt.secret).status == "received"
        for to, note, citizen_sees in (("accepted", "Đủ giấy tờ", "Đã tiếp nhận, chờ giải quyết"),
                                       ("processing", "", "Đang giải quyết"),
                                       ("releasing", "Đã ký giấy khai sinh", "Đã có kết quả, mời đến nhận")):
            _act(d, to, note)
            assert d.find_element(By.ID, "msg").text.startswith("Đã chuyển sang")
            seen = client.dossier_status(receipt.code, receipt.secret)
            assert (seen.status, seen.status_vi, seen.history[-1].note) == (to, citizen_sees, note)
            assert seen.due_at == receipt.appointment_at
        history = d.find_element(By.ID, "history").text
        assert "Đang giải quyết → Có kết quả, chờ trả" in history and history.count("Trần Thị Bình") == 3


def test_a_refused_change_is_explained_on_the_page(office, browsers, tmp_path):
    office.add_officer("can-bo-1")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(searchable_pdf())
    with BackendClient(office.url, KIOSK_TOKEN, "KIOSK-01", timeout_s=5, retries=0) as client:
        receipt = client.submit_dossier(_meta(scan.name), [scan], "desk-refused-0001")
    cookie = office.officer_cookie("can-bo-1")
    base = office.url.removesuffix("/api/v1")
    d = browsers(1280, 900)
    d.get(f"{base}/desk/dossiers")
    d.add_cookie({"name": "motcua_session", "value": cookie.header.split("=", 1)[1], "path": "/"})
    d.add_cookie({"name": "motcua_csrf", "value": cookie.csrf, "path": "/"})
    d.get(f"{base}/desk/dossiers/{receipt.code}")
    # the page offered "accepted"; meanwhile another officer refused the dossier
    import httpx

    httpx.post(f"{office.url}/desk/dossiers/{receipt.code}/status", json={"status": "denied", "note": "Sai thẩm quyền"},
               headers={"Cookie": cookie.header, "X-CSRF-Token": cookie.csrf}, timeout=10).raise_for_status()
    d.find_element(By.ID, "act-accepted").click()
    _wait(d, lambda x: x.find_elements(By.ID, "msg"))
    assert d.find_element(By.ID, "msg").text.startswith("Không thể chuyển hồ sơ từ «Đã từ chối» sang «Đã tiếp nhận»")
    assert d.find_element(By.ID, "status").text == "Đã từ chối"
