"""The rate journey without a window: a level → a reason when unsatisfied → sent through the real outbox to
the reference server; the visit's ticket is what a rating from the ticket journey is about."""

from __future__ import annotations

from journeys_support import Deferred, closed_port, journeys_over, make_services, printer, server  # noqa: F401


def _ratings(server) -> list:  # noqa: F811
    from server.models import Rating

    with server.app.state.sessions() as s:
        return list(s.query(Rating).all())


def test_unsatisfied_needs_a_reason_then_reaches_the_server(make_services, server):  # noqa: F811
    services = make_services(server.url)
    journeys, shown = journeys_over(services)
    rate = journeys.rate
    journeys.start("rate")
    assert shown == ["rate"] and rate.part.ref is None
    rate.set_ref("A0x7")
    assert rate.part.error == "bad_ref" and rate.part.ref is None
    rate.set_ref("A007")
    assert rate.part.ref.ticket_number == "A007"
    rate.choose("unsatisfied")
    assert shown == ["rate", "rate_reason"]
    rate.send()
    assert rate.part.error == "reason_required" and rate.part.state == "choosing"
    rate.toggle_reason("wait")
    rate.toggle_reason("unclear")
    rate.toggle_reason("unclear")
    rate.set_comment("Chờ hơn một tiếng mới đến lượt.")
    assert rate.part.error == ""
    rate.send()
    assert rate.part.state == "sent"
    assert services.outbox.flush().remaining == 0
    [stored] = _ratings(server)
    assert stored.level == "unsatisfied" and stored.reasons == ["wait"] and stored.ticket_number == "A007"
    assert rate.back() and shown[-1] == "rate"


def test_rating_after_a_ticket_is_about_that_ticket(make_services, printer, server):  # noqa: F811
    services = make_services(server.url, printer.uri)
    journeys, shown = journeys_over(services)
    journeys.start("ticket")
    journeys.ticket.choose_service("B")
    journeys.ticket.choose_priority(None)
    number = services.visit.ticket.ticket.number
    journeys.start("rate")
    assert services.visit.rate.ref.ticket_number == number and services.visit.journey == "rate"
    journeys.rate.choose("satisfied")  # no reason needed: sent at once
    assert journeys.rate.part.state == "sent" and shown[-1] == "rate"


def test_an_outbox_that_cannot_take_it_says_so(make_services):  # noqa: F811
    services = make_services(f"http://127.0.0.1:{closed_port()}/api/v1")
    services.rating.outbox = None
    journeys, _ = journeys_over(services)
    journeys.start("rate")
    journeys.rate.choose("very_satisfied")
    assert journeys.rate.part.state == "choosing" and journeys.rate.part.error == "unavailable"


def test_a_rating_queued_while_the_visit_ends_is_still_sent_once(make_services):  # noqa: F811
    services = make_services(f"http://127.0.0.1:{closed_port()}/api/v1")
    later = Deferred()
    journeys, _ = journeys_over(services, run=later)
    journeys.start("rate")
    journeys.rate.choose("satisfied")
    assert journeys.rate.busy
    services.visit.wipe()
    later.run_all()
    assert services.visit.is_empty() and services.outbox.count_pending() == 1
