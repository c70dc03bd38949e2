"""The ticket journey: service → priority → the number, issued and printed — or not, and printed again.

One tap on a priority issues the ticket (a second tap takes no second ticket). The ticket is issued
(backend, or this kiosk's block) and printed as blocking work; a print that fails keeps the number
on screen and offers a reprint of the *same* ticket. A ticket is never counted as printed unless
the printer took it (``kiosk.queue.print_ticket`` records the outcome).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.base.config_schema import KioskConfig
from kiosk.journeys.base import Journey
from kiosk.journeys.visit import TicketPart

if TYPE_CHECKING:
    from kiosk.identity import CitizenIdentity
    from kiosk.journeys.visit import Visit
    from kiosk.printing import PrintOutcome
    from kiosk.queue import Ticket

log = logging.getLogger(__name__)


class TicketIssuer(Protocol):
    """What the journey needs of the queue (``kiosk.queue.QueueService``)."""

    def issue(self, service: str, priority: str | None = None) -> Ticket: ...

    def suggested_priority(self, identity: Any) -> str | None: ...

    def is_open(self, service: str) -> bool: ...

    def record_print(self, ticket: Ticket, printed: bool, error: str | None) -> None: ...


class Chime(Protocol):
    def chime(self) -> Any: ...


class TicketServices(Protocol):
    """The services the ticket journey reads (``kiosk.services.Services`` has them all)."""

    @property
    def config(self) -> KioskConfig: ...

    @property
    def visit(self) -> Visit: ...

    @property
    def queue(self) -> TicketIssuer | None: ...

    @property
    def printer(self) -> Any: ...  # a devices.printer.Printer, or None: the ticket is then shown only

    @property
    def voice(self) -> Chime | None: ...


class TicketJourney(Journey[TicketPart]):
    name = "ticket"
    services: TicketServices

    # ------------------------------------------------------------ reading

    @property
    def busy(self) -> bool:
        return self.part.state in ("issuing", "printing")

    def is_open(self) -> bool:
        """Whether the chosen service is within its hours (a ticket is still possible when closed)."""
        queue, code = self.services.queue, self.part.service_code
        return queue is None or not code or queue.is_open(code)

    # ------------------------------------------------------------ transitions

    def start(self) -> None:
        self._restart("service")

    def choose_service(self, code: str) -> None:
        """The citizen tapped a service tile; the ID card read earlier may suggest a priority."""
        self.services.config.service(code)  # KeyError for a service this kiosk does not offer
        part = self.part
        if part.ticket is not None and part.ticket.service != code:  # back, and another service: a new ticket
            part.ticket, part.outcome = None, None
        part.service_code = code
        queue = self.services.queue
        identity: CitizenIdentity | None = self.visit.identity
        part.suggestion = queue.suggested_priority(identity) if queue is not None else None
        if part.ticket is None:
            part.state = "choosing"
        self._go("priority")

    def choose_priority(self, priority: str | None) -> None:
        """One tap issues and prints: the citizen made their last choice. ``None`` = no priority."""
        part = self.part
        if self.busy:
            return  # a second tap must not take a second ticket
        if part.ticket is not None and part.ticket.service == part.service_code:
            self._go("issued")  # back on this step after the ticket was issued: the same ticket again
            return
        part.priority = priority
        if not part.service_code or self.services.queue is None:
            part.state = "issue_failed"
            self._go("issued")
            return
        part.state = "issuing"
        self._go("issued")
        queue, service = self.services.queue, part.service_code
        self._work(lambda: queue.issue(service, priority), self._issued, self._issue_failed)

    def reprint(self) -> None:
        """"In lại": the same ticket again, only after a failed print."""
        if self.part.ticket is not None and self.part.state == "print_failed":
            self._print()

    # ------------------------------------------------------------ outcomes

    def _issued(self, ticket: Ticket) -> None:
        self.part.ticket = ticket
        self._print()

    def _issue_failed(self, error: BaseException) -> None:
        log.warning("no ticket issued: %s", error)
        self.part.state = "issue_failed"
        self.changed()

    def _print(self) -> None:
        from kiosk.printing import PrintOutcome
        from kiosk.queue import print_ticket

        part = self.part
        part.state = "printing"
        self.changed()
        s, ticket = self.services, part.ticket
        self._work(
            lambda: print_ticket(ticket, s.config, s.printer, s.queue),
            self._printed,
            lambda e: self._printed(PrintOutcome(False, error_kind="io", error=str(e))),
        )

    def _printed(self, outcome: PrintOutcome) -> None:
        part = self.part
        part.outcome = outcome
        part.state = "printed" if outcome.printed else "print_failed"
        self.changed()
        voice = self.services.voice
        if outcome.printed and voice is not None:
            try:
                voice.chime()
            except Exception:
                log.exception("chime failed")
