"""An officer at the counter desk calls the next ticket; the hall display and the ticket's follow page (opened
from the QR printed on the ticket) follow live. Real chromium, real server, real printed bytes."""

from __future__ import annotations

import httpx
import pytest
import zxingcpp
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from devices.factory import open_printer
from helpers.printer import RecordingPrinter
from kiosk.backend.client import BackendClient
from kiosk.queue.service import QueueService
from kiosk.queue.slips import print_ticket
from kiosk.queue.store import TicketStore
from server.testing import TEST_PASSWORD, ServerThread

from .conftest import KIOSK_TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT = 15  # seconds: an upper bound for conditions polled by WebDriverWait, never a sleep


def _wait(driver, condition, timeout: float = WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))


def _text(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def _printed_ticket_url(srv, kiosk_config, tmp_path, service: str = "A") -> tuple[str, str]:
    """Issue a ticket at a kiosk, print it on the loopback printer, read its QR back from the printed raster."""
    kiosk_config.backend.url = srv.url
    with BackendClient(srv.url, KIOSK_TOKEN, "KIOSK-01", timeout_s=5, retries=0) as client, \
            RecordingPrinter() as lp:
        queue = QueueService(kiosk_config, TicketStore(tmp_path / f"q-{service}.sqlite"), backend=client)
        ticket = queue.issue(service)
        assert print_ticket(ticket, kiosk_config, open_printer(lp.uri, timeout_s=3), queue).printed
        page = lp.pages(1)[0]
        queue.close()
    urls = [r.text for r in zxingcpp.read_barcodes(page.image().convert("L"))]
    assert len(urls) == 1 and urls[0].endswith(f"/q/{ticket.day:%Y%m%d}/{ticket.number}")
    return ticket.number, urls[0]


def _login(desk, base: str, user: str, counter: int) -> None:
    desk.get(f"{base}/desk?counter={counter}")
    desk.find_element(By.ID, "username").send_keys(user)
    desk.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
    desk.find_element(By.ID, "login-btn").click()
    _wait(desk, lambda d: d.execute_script("return window.deskState && window.deskState.loads > 0"))


def _key(desk, key: str) -> None:
    desk.find_element(By.TAG_NAME, "body").send_keys(key)


def _setup(srv) -> None:
    sup = srv.add_officer("truong-bo-phan", "supervisor")
    srv.add_officer("can-bo-2", "officer", full_name="Cán bộ quầy 2")
    for n, services in ((2, ["A"]), (3, ["B"])):
        r = httpx.put(f"{srv.url}/counters/{n}/services", json={"services": services},
                      headers={"Authorization": f"Bearer {sup}"}, timeout=10)
        assert r.status_code == 200


def test_call_recall_no_show_transfer_seen_on_the_display_and_the_follow_page(office, browsers, kiosk_config,
                                                                             tmp_path):
    _setup(office)
    base = office.url.removesuffix("/api/v1")
    number, url = _printed_ticket_url(office, kiosk_config, tmp_path)
    display = browsers(1920, 1080)
    display.get(f"{base}/display")
    _wait(display, lambda d: d.execute_script("return window.displayState.connected"))
    phone = browsers(390, 844, mobile=True)
    phone.get(url)
    assert "Đang chờ" in _text(phone, "status")
    _wait(phone, lambda d: d.execute_script("return window.followState !== undefined"))
    desk = browsers(1280, 900)
    _login(desk, base, "can-bo-2", 2)

    # Gọi số tiếp theo (the N key): the display shows it within 1 s and asks for the announcement
    _key(desk, "n")
    _wait(desk, lambda d: _text(d, "current") == number)
    _wait(display, lambda d: _text(d, "now-number") == number, timeout=1.0)
    assert _text(display, "now-counter") == "Quầy 2"
    audio = f"/audio/call/{number}/2.wav"
    _wait(display, lambda d: audio in d.execute_script("return window.displayState.audioRequested"))
    assert "Mời số " + number + " đến quầy số 2" in _text(display, "say")
    _wait(phone, lambda d: _text(d, "status").lower() == "đã gọi, quầy 2")
    assert len(httpx.get(base + audio, timeout=30).content) > 10_000  # a real WAV, made offline

    # Gọi lại: announced again
    _key(desk, "r")
    _wait(display, lambda d: d.execute_script("return window.displayState.audioRequested.length") == 2)
    _wait(desk, lambda d: "gọi lại 1 lần" in _text(d, "current-status"))

    # Vắng mặt: to the end of the line (waiting again), then dropped the second time
    _key(desk, "v")
    _wait(phone, lambda d: _text(d, "status") == "Đang chờ")
    _key(desk, "n")
    _wait(phone, lambda d: _text(d, "status").lower() == "đã gọi, quầy 2")
    _key(desk, "r")
    _wait(desk, lambda d: "gọi lại 1 lần" in _text(d, "current-status"))
    _key(desk, "v")
    _wait(phone, lambda d: _text(d, "status") == "Vắng mặt")

    # Chuyển: a second ticket goes from counter 2 to service B, and counter 3 calls it
    second, url2 = _printed_ticket_url(office, kiosk_config, tmp_path, "A")
    phone.get(url2)
    _key(desk, "n")
    _wait(desk, lambda d: _text(d, "current") == second)
    _key(desk, "c")
    _wait(desk, lambda d: d.find_element(By.ID, "transfer").is_displayed())
    _wait(desk, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#transfer-service option[value='B']")) == 1)
    desk.find_element(By.CSS_SELECTOR, "#transfer-service option[value='B']").click()
    desk.find_element(By.ID, "transfer-ok").click()
    _wait(phone, lambda d: _text(d, "status") == "Đang chờ")
    _wait(desk, lambda d: _text(d, "current") == "—")
    other = browsers(1280, 900)
    _login(other, base, "can-bo-2", 3)
    _wait(other, lambda d: second in _text(d, "lines"))
    other.find_element(By.ID, "btn-call").click()
    _wait(phone, lambda d: _text(d, "status").lower() == "đã gọi, quầy 3")
    _wait(display, lambda d: _text(d, "now-number") == second and _text(d, "now-counter") == "Quầy 3")


def test_the_display_reconnects_after_a_server_restart_and_shows_the_right_state(tmp_path, browsers):
    from helpers.browser import unavailable_reason

    if unavailable_reason():
        pytest.skip(unavailable_reason())
    kiosks = [("KIOSK-01", KIOSK_TOKEN, "000.00.01.H22")]
    kiosk = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    srv = ServerThread(tmp_path, kiosks=kiosks)
    with srv:
        officer = srv.add_officer("can-bo-1")
        for _ in range(2):
            httpx.post(f"{srv.url}/tickets", json={"service": "A"}, headers=kiosk, timeout=10)
        httpx.post(f"{srv.url}/counters/1/next", json={"services": ["A"]},
                   headers={"Authorization": f"Bearer {officer}"}, timeout=10)
        display = browsers(1920, 1080)
        display.get(srv.url.removesuffix("/api/v1") + "/display")
        _wait(display, lambda d: _text(d, "now-number") == "A001")
        port = srv.port
    _wait(display, lambda d: not d.execute_script("return window.displayState.connected"))
    with ServerThread(tmp_path, kiosks=kiosks, port=port) as again:  # the same database, a new process' state
        officer = again.add_officer("can-bo-9")
        r = httpx.post(f"{again.url}/counters/4/next", json={"services": ["A"]},
                       headers={"Authorization": f"Bearer {officer}"}, timeout=10)
        assert r.json()["number"] == "A002"
        _wait(display, lambda d: _text(d, "now-number") == "A002" and _text(d, "now-counter") == "Quầy 4")
        assert display.execute_script("return window.displayState.resyncs") >= 2
        assert "Dịch vụ A: 0 người" in _text(display, "waiting")
