"""The queue ticket as a printed slip, and the printer the kiosk prints it on.

:func:`render_ticket` lays a :class:`~kiosk.queue.Ticket` out on a 1-bit image
576 px wide (80 mm; 384 for 58 mm) with the bundled font — Vietnamese first, one
English line. :func:`print_ticket` is the one code path from "ticket issued" to
"ticket printed or not": the screen, ``kiosk ticket`` and ``kiosk print-test``
all go through it, and it records the outcome on the ticket so a failed print
is never counted as handed to the citizen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from devices.printer import PrinterError, open_printer
from kiosk.i18n import Translator
from kiosk.render import Slip

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
    from kiosk.render import qr_image

    slip.beside(qr_image(qr_payload(ticket, config.backend.url), box=4 if width >= 500 else 3, border=1), lines, space_after=6)
    if ticket.offline:
        slip.text(vi["ticket.slip.offline"], size=small - 2, bold=True, align="center", space_after=2)
    slip.text(
        en("ticket.slip.english", number=ticket.number, service=svc.name_en, ahead=ticket.people_ahead),
        size=small - 2, align="center", space_after=0,
    )
    return slip.render(bottom_margin=4)


def render_test_page(config: Any, uri: str, width: int | None = None) -> Any:
    """The technician's test print: title, the full Vietnamese alphabet check, the printer URI and time."""
    width = width or config.printer.paper_width_px
    vi = Translator("vi")
    slip = Slip(width, margin=10)
    slip.text(config.kiosk.department.upper(), size=22, bold=True, align="center")
    slip.big(vi["ticket.slip.test_title"], 90)
    slip.text(vi["ticket.slip.test_body"], size=24, align="center")
    slip.rule()
    now = datetime.now(ZoneInfo(config.kiosk.timezone))
    slip.text(f"{config.kiosk.id} · {uri}", size=20, align="center")
    slip.text(now.strftime("%H:%M:%S  %d/%m/%Y"), size=20, align="center")
    slip.qr(f"TEST|{config.kiosk.id}|{now:%Y%m%d%H%M%S}", box=4)
    return slip.render()


@dataclass
class PrintOutcome:
    """What happened to one print: ``printed`` False means the citizen has no paper."""

    printed: bool
    bytes_sent: int = 0
    error_kind: str | None = None
    error: str | None = None

    def message_key(self) -> str | None:
        """The locale key of what to tell the citizen, or None when it printed."""
        if self.printed:
            return None
        return "ticket.issued.paper_out" if self.error_kind == "paper_out" else "ticket.issued.print_failed"


def print_ticket(ticket: Any, config: Any, printer: Any, queue: Any = None) -> PrintOutcome:
    """Render and print ``ticket``; record the outcome on it (and in the queue's store). Never raises.

    Runs on a worker thread (the screen) or in the CLI. ``printer`` None counts as a failure.
    """
    try:
        if printer is None:
            raise PrinterError("config", "no printer configured")
        img = render_ticket(ticket, config)
        sent = printer.print_image(img, cut=config.printer.cut)
        outcome = PrintOutcome(True, sent)
    except PrinterError as e:
        log.warning("ticket %s not printed: %s", ticket.number, e)
        outcome = PrintOutcome(False, error_kind=e.kind, error=e.message)
    except Exception as e:  # a rendering bug must not leave the citizen without their number
        log.exception("ticket %s: printing failed unexpectedly", ticket.number)
        outcome = PrintOutcome(False, error_kind="io", error=f"{type(e).__name__}: {e}")
    ticket.printed = outcome.printed
    ticket.print_error = outcome.error_kind
    if queue is not None:
        try:
            queue.record_print(ticket, outcome.printed, outcome.error_kind)
        except Exception:
            log.exception("could not record the print outcome of ticket %s", ticket.number)
    return outcome


# ------------------------------------------------------------------ the printer service


def printer_uri(config: Any, override: str | None = None) -> str:
    """The configured (or given) URI with a relative ``file:`` path resolved against the project root."""
    uri = override or config.printer.uri
    if uri.startswith("file:") and not uri.startswith("file://"):
        path = uri[len("file:"):]
        if not path.startswith("/"):
            uri = f"file:{config.path(path)}"
    return uri


def make_printer(config: Any, override: str | None = None) -> Any:
    """A printer for the config (or ``override`` URI); the device opens on first print."""
    p = config.printer
    return open_printer(
        printer_uri(config, override), timeout_s=p.timeout_s,
        usb_interface=p.usb_interface, usb_in_ep=p.usb_in_ep, usb_out_ep=p.usb_out_ep,
    )


def build_printer(services: Any) -> None:
    """SERVICE_BUILDERS entry: ``services.printer`` from ``[printer]`` (None if the URI is unusable)."""
    try:
        services.printer = make_printer(services.config)
    except PrinterError as e:
        log.error("printer not available: %s", e)
        services.printer = None
        return
    services.on_close(services.printer.close)
