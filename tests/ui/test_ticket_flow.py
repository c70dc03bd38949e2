"""The ticket journey in the real window: home → service → priority → number, printed on a loopback
TCP printer whose bytes are decoded back; a printer that dies mid-print; reprint; elderly suggestion."""

from __future__ import annotations

import pytest
from helpers.cards import ELDER as ELDER_QR

from devices.loopback_printer import LoopbackPrinter

pytestmark = pytest.mark.ui


@pytest.fixture
def ticket_driver(make_driver, kiosk_config, printer):
    kiosk_config.printer.uri = printer.uri
    kiosk_config.printer.timeout_s = 2
    return make_driver(config=kiosk_config)  # the backend is down (kiosk_config's default)


def _to_priority(driver, service: str = "A") -> None:
    driver.tap("btn_ticket")
    driver.wait_screen("ticket_service")
    driver.tap(f"btn_service_{service}")
    driver.wait_screen("ticket_priority")


def _issued(driver):
    driver.wait_screen("ticket_issued")
    screen = driver.app.sm.current_screen
    driver.wait_for(lambda: screen.state in ("printed", "print_failed", "issue_failed"), timeout=20, what="print outcome")
    driver.settle()  # the outcome's banner and lines are laid out before the test reads sizes or taps
    return screen


def test_home_service_priority_ticket_printed_on_the_loopback_printer(ticket_driver, printer, artifacts):
    driver = ticket_driver
    _to_priority(driver, "A")
    driver.screenshot(artifacts / "priority.png")
    driver.tap("btn_priority_none")
    screen = _issued(driver)
    assert screen.state == "printed", screen.status_text
    ticket = screen.ticket
    texts = driver.texts()
    assert ticket.number in texts
    assert driver.app.tr["ticket.issued.printed"] in texts
    assert ticket.offline and driver.app.tr["ticket.issued.offline"] in texts  # the backend is down
    ahead = driver.app.tr("ticket.issued.ahead", n=ticket.people_ahead) if ticket.people_ahead else driver.app.tr["ticket.issued.next"]
    assert ahead in texts
    assert driver.app.services.queue.store.ticket(ticket.ticket_id)["printed"] == 1
    assert driver.app.services.visit.ticket.ticket is ticket
    driver.screenshot(artifacts / "issued.png")
    decoded = printer.decoded()
    assert decoded.cuts == 1 and decoded.pages[0].image().width == 576
    driver.tap("btn_done")
    driver.wait_screen("home")
    assert driver.app.services.visit.is_empty()


def test_printer_gone_mid_print_shows_the_number_and_offers_reprint(ticket_driver, printer, artifacts):
    driver = ticket_driver
    printer.set_close_after(2000)
    _to_priority(driver, "B")
    driver.tap("btn_priority_pregnant")
    screen = _issued(driver)
    assert screen.state == "print_failed"
    ticket = screen.ticket
    texts = driver.texts()
    assert ticket.number in texts
    assert driver.app.tr["ticket.issued.print_failed"] in texts
    assert driver.find("img_qr").texture is not None
    store = driver.app.services.queue.store
    assert store.ticket(ticket.ticket_id)["printed"] == 0  # never silently counted as handed out
    driver.screenshot(artifacts / "print-failed.png")
    # The kiosk keeps working: the printer is back, the citizen presses "In lại".
    printer.set_normal()
    driver.tap("btn_reprint")
    driver.wait_for(lambda: screen.state == "printed", timeout=20, what="reprint")
    assert store.ticket(ticket.ticket_id)["printed"] == 1
    assert screen.ticket.number == ticket.number  # the same ticket, not a new number


def test_elderly_is_suggested_from_the_id_card_and_priority_turns_large_text_on(ticket_driver, artifacts):
    from kiosk.identity.payload import parse_payload

    driver = ticket_driver
    driver.app.services.visit.identity = parse_payload(ELDER_QR)
    _to_priority(driver, "A")
    assert driver.find("btn_priority_elderly").selected
    assert not driver.find("btn_priority_disabled").selected
    assert driver.app.tr("ticket.priority.suggest_elderly", age=60) in driver.texts()
    assert not driver.app.large_text
    driver.tap("btn_priority_elderly")
    screen = _issued(driver)
    assert screen.ticket.priority == "elderly"
    assert driver.app.large_text  # [accessibility] large_text_for_priority
    driver.screenshot(artifacts / "elderly.png")


def test_no_suggestion_without_an_id_card_and_a_second_tap_takes_no_second_ticket(ticket_driver):
    driver = ticket_driver
    _to_priority(driver, "C")
    assert not any(driver.find(f"btn_priority_{c}").selected for c in ("elderly", "disabled", "pregnant", "child", "merit"))
    screen = driver.app.screen("ticket_priority")
    screen.choose(None)
    screen.choose(None)  # a double tap
    issued = _issued(driver)
    driver.pump(0.5)
    store = driver.app.services.queue.store
    assert len(store.issued(issued.ticket.day, "C")) == 1


def test_portrait_ticket_screen(make_driver, kiosk_config, printer, artifacts):
    kiosk_config.printer.uri = printer.uri
    driver = make_driver(orientation="portrait", config=kiosk_config)
    _to_priority(driver, "D")
    driver.tap("btn_priority_pregnant")  # the fullest card: with the priority banner
    screen = _issued(driver)
    assert screen.state == "printed"
    assert driver.find("card").width > driver.find("card").height  # stacked above the details
    title, header = driver.find("lbl_your_number"), driver.find("header")
    assert title.to_window(title.x, title.top)[1] <= header.to_window(header.x, header.y)[1]  # not over the toolbar
    driver.screenshot(artifacts / "issued-portrait.png")


def test_paper_out_is_explained_and_the_number_stays_on_screen(make_driver, kiosk_config):
    from devices.loopback_printer import STATUS_PAPER_OUT

    with LoopbackPrinter(answer_status=STATUS_PAPER_OUT) as lp:
        kiosk_config.printer.uri = lp.uri
        driver = make_driver(config=kiosk_config)
        _to_priority(driver, "E")
        driver.tap("btn_priority_none")
        screen = _issued(driver)
        assert screen.state == "print_failed" and screen.outcome.error_kind == "paper_out"
        texts = driver.texts()
        assert driver.app.tr["ticket.issued.paper_out"] in texts and screen.ticket.number in texts
        assert b"\x1dv0" not in lp.received()  # nothing sent to an empty roll
        # The citizen switches to English: every line follows.
        driver.tap("btn_language")
        texts = driver.texts()
        assert driver.app.lang == "en"
        assert driver.app.tr["ticket.issued.paper_out"] in texts
        assert driver.app.tr["ticket.issued.title"] in texts
