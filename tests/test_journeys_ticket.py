"""The ticket journey without a window: service → priority → issued → printed, a failed print and its reprint.

Real services: the queue's SQLite store, a loopback TCP printer whose bytes are decoded back, the
backend down (the kiosk numbers from its own block).
"""

from __future__ import annotations

from journeys_support import ELDER_PAYLOAD, Deferred, journeys_over, make_services, printer  # noqa: F401

from devices.escpos_decode import decode
from kiosk.identity import parse_payload


def test_service_priority_issued_printed(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    journeys, shown = journeys_over(services)
    ticket = journeys.ticket

    journeys.start("ticket")
    assert shown == ["ticket_service"] and services.visit.journey == "ticket"
    ticket.choose_service("A")
    assert shown[-1] == "ticket_priority" and ticket.part.suggestion is None  # no ID card: nothing suggested
    ticket.choose_priority(None)
    part = services.visit.ticket
    assert shown == ["ticket_service", "ticket_priority", "ticket_issued"]
    assert part.state == "printed" and part.outcome.printed
    assert part.ticket.service == "A" and part.ticket.offline  # the backend is down
    assert services.queue.store.ticket(part.ticket.ticket_id)["printed"] == 1
    printer.wait_closed(1)
    decoded = decode(printer.received())
    assert decoded.cuts == 1 and decoded.pages[0].image().width == 576

    ticket.choose_priority(None)  # a second tap takes no second ticket
    assert len(services.queue.store.issued(part.ticket.day, "A")) == 1
    assert ticket.back() and shown[-1] == "ticket_priority"
    ticket.choose_priority("elderly")  # back, and tapped again: the same ticket is shown
    assert shown[-1] == "ticket_issued" and len(services.queue.store.issued(part.ticket.day, "A")) == 1
    ticket.back()
    ticket.back()
    ticket.choose_service("B")  # another service: a ticket of its own
    ticket.choose_priority(None)
    assert part.ticket.service == "B" and part.state == "printed"


def test_print_failed_then_reprint_gives_the_same_ticket(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    journeys, shown = journeys_over(services)
    printer.set_close_after(2000)
    journeys.start("ticket")
    journeys.ticket.choose_service("B")
    journeys.ticket.choose_priority("pregnant")
    part = services.visit.ticket
    assert part.state == "print_failed" and part.outcome.error_kind
    number = part.ticket.number
    assert services.queue.store.ticket(part.ticket.ticket_id)["printed"] == 0  # never counted as handed out
    printer.set_normal()
    journeys.ticket.reprint()
    assert part.state == "printed" and part.ticket.number == number
    assert services.queue.store.ticket(part.ticket.ticket_id)["printed"] == 1
    assert shown.count("ticket_issued") == 1  # the reprint stays on the same step


def test_elderly_suggested_from_the_card_and_back_returns_to_the_service(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    journeys, shown = journeys_over(services)
    services.visit.identity = parse_payload(ELDER_PAYLOAD)
    journeys.start("ticket")
    journeys.ticket.choose_service("A")
    assert journeys.ticket.part.suggestion == "elderly"
    assert journeys.back() and shown[-1] == "ticket_service"
    assert not journeys.back()  # the first step: the app goes home


def test_a_result_arriving_after_the_wipe_is_dropped(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    later = Deferred()
    journeys, shown = journeys_over(services, run=later)
    journeys.start("ticket")
    journeys.ticket.choose_service("C")
    journeys.ticket.choose_priority(None)
    assert services.visit.ticket.state == "issuing"
    services.visit.wipe()  # the citizen walked away
    assert later.run_all() == 1  # the ticket is issued by the worker, but nobody is shown it
    assert services.visit.is_empty() and services.visit.ticket.ticket is None
    assert shown[-1] == "ticket_issued" and printer.received() == b""


def test_no_queue_service_means_not_issued(make_services, printer):  # noqa: F811
    services = make_services(printer_uri=printer.uri)
    services.queue.close()
    services.queue = None
    journeys, _ = journeys_over(services)
    journeys.start("ticket")
    journeys.ticket.choose_service("A")
    journeys.ticket.choose_priority(None)
    assert services.visit.ticket.state == "issue_failed"
