"""The queue ticket as a printed slip.

:func:`render_ticket` lays a :class:`~kiosk.queue.tickets.Ticket` out on a 1-bit image
576 px wide (80 mm; 384 for 58 mm) with the bundled font — Vietnamese first, one
English line. :func:`print_ticket` is the one code path from "ticket issued" to
"ticket printed or not": the screen, ``kiosk ticket`` and ``kiosk print-test``
all go through it, and it records the outcome on the ticket so a failed print
is never counted as handed to the citizen.
"""

from __future__ import annotations

import logging
from typing import Any

from kiosk.base.blocking import blocking
from kiosk.base.i18n import Translator
from kiosk.printing.printer import PrintOutcome, print_slip
from kiosk.printing.slip import Slip

log = logging.getLogger(__name__)

NUMBER_SIZE = 136  # px; the number is the only thing a citizen must read from across the hall


def qr_payload(ticket: Any, base_url: str) -> str:
    """What the ticket's QR says: a link to follow this ticket in the queue."""
    base = base_url.rstrip("/")
    if base.endswith("/api/v1"):
        base = base[: -len("/api/v1")]
    return f"{base}/q/{ticket.day:%Y%m%d}/{ticket.number}"


def priority_name(config: Any, code: str | None, lang: str = "vi") -> str:
    """The configured name of a priority category (the code itself if unknown)."""
    if not code:
        return ""
    for cat in config.queue.priority_categories:
        if cat.code == code:
            return cat.name_vi if lang == "vi" else cat.name_en
    return code


def render_ticket(ticket: Any, config: Any, width: int | None = None) -> Any:
    """The ticket slip as a PIL mode "1" image exactly ``width`` px wide (config paper width by default)."""
    width = width or config.printer.paper_width_px
    vi, en = Translator("vi"), Translator("en")
    svc = config.service(ticket.service)
    small = 20 if width < 500 else 22
    slip = Slip(width, margin=10)
    slip.text(config.kiosk.department.upper(), size=small + 2, bold=True, align="center", space_after=2)
    slip.text(f"{vi['ticket.slip.heading']} · {en['ticket.slip.heading']}", size=small, align="center", space_after=4)
    slip.big(ticket.number, NUMBER_SIZE if width >= 500 else 110, space_after=6)
    if ticket.priority:
        slip.text(vi("ticket.slip.priority", category=priority_name(config, ticket.priority)),
                  size=small + 4, bold=True, invert=True, align="center", space_after=6)
    slip.text(svc.name_vi, size=small + 10, bold=True, align="center", space_after=2)
    if svc.where_vi:
        slip.text(svc.where_vi, size=small + 2, align="center", space_after=6)
    slip.rule(thickness=2, dashed=True, space_after=6)
    issued = ticket.issued_at.strftime("%H:%M  %d/%m/%Y")
    lines = [(vi("ticket.slip.issued_at", time=issued), small, False)]
    if ticket.people_ahead:
        lines += [(vi("ticket.slip.ahead", n=ticket.people_ahead), small, True),
                  (vi("ticket.slip.wait", minutes=ticket.wait_minutes), small, False)]
    else:
        lines.append((vi["ticket.slip.next"], small, True))
    lines.append((vi["ticket.slip.scan"], small - 2, False))
    from kiosk.printing.slip import qr_image

    follow_url = qr_payload(ticket, config.backend.public_url or config.backend.url)  # [backend] public_url
    slip.beside(qr_image(follow_url, box=4 if width >= 500 else 3, border=1), lines, space_after=6)
    if ticket.offline:
        slip.text(vi["ticket.slip.offline"], size=small - 2, bold=True, align="center", space_after=2)
    slip.text(
        en("ticket.slip.english", number=ticket.number, service=svc.name_en, ahead=ticket.people_ahead),
        size=small - 2, align="center", space_after=0,
    )
    return slip.render(bottom_margin=4)


@blocking
def print_ticket(ticket: Any, config: Any, printer: Any, queue: Any = None) -> PrintOutcome:
    """Render and print ``ticket``; record the outcome on it (and in the queue's store). Never raises.

    Runs on a worker thread (the screen) or in the CLI. ``printer`` None counts as a failure.
    """
    outcome = print_slip(printer, render_ticket(ticket, config), config.printer.cut, f"ticket {ticket.number}")
    ticket.printed = outcome.printed
    ticket.print_error = outcome.error_kind
    if queue is not None:
        try:
            queue.record_print(ticket, outcome.printed, outcome.error_kind)
        except Exception:
            log.exception("could not record the print outcome of ticket %s", ticket.number)
    return outcome
