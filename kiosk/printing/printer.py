"""The kiosk's printer from its config, one way to print a slip that never raises, and the test page.

Every slip (queue ticket, receipt, test page) goes through :func:`print_slip`, so a failed
print is always an outcome the caller records and shows — never an exception at the citizen
and never a slip counted as handed over when it was not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from devices.factory import open_printer
from devices.printer import Printer, PrinterError
from kiosk.base.blocking import blocking
from kiosk.base.config_schema import KioskConfig
from kiosk.base.i18n import Translator
from kiosk.printing.slip import Slip

log = logging.getLogger(__name__)


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


@blocking
def print_slip(printer: Printer | None, image: Any, cut: bool, what: str = "slip") -> PrintOutcome:
    """Print one rendered slip; ``printer`` None counts as a failure. Never raises (worker threads, CLI)."""
    try:
        if printer is None:
            raise PrinterError("config", "no printer configured")
        return PrintOutcome(True, printer.print_image(image, cut=cut))
    except PrinterError as e:
        log.warning("%s not printed: %s", what, e)
        return PrintOutcome(False, error_kind=e.kind, error=e.message)
    except Exception as e:  # a rendering or transport bug must not leave the citizen without paper silently
        log.exception("%s: printing failed unexpectedly", what)
        return PrintOutcome(False, error_kind="io", error=f"{type(e).__name__}: {e}")


def printer_uri(config: KioskConfig, override: str | None = None) -> str:
    """The configured (or given) URI with a relative ``file:`` path resolved against the project root."""
    uri = override or config.printer.uri
    if uri.startswith("file:") and not uri.startswith("file://"):
        path = uri[len("file:"):]
        if not path.startswith("/"):
            uri = f"file:{config.path(path)}"
    return uri


def make_printer(config: KioskConfig, override: str | None = None) -> Printer:
    """A printer for the config (or ``override`` URI); the device opens on first print."""
    p = config.printer
    return open_printer(
        printer_uri(config, override), timeout_s=p.timeout_s, paper_width_px=p.paper_width_px,
        usb_interface=p.usb_interface, usb_in_ep=p.usb_in_ep, usb_out_ep=p.usb_out_ep,
    )


def render_test_page(config: KioskConfig, uri: str, width: int | None = None) -> Any:
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
