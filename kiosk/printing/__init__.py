"""Printed slips: Vietnamese drawn with the bundled font as a 1-bit raster, and the printer they go to.

- :mod:`~kiosk.printing.slip`: :class:`Slip` (text, big number, QR, rules) → a thresholded 1-bit image;
- :mod:`~kiosk.printing.printer`: the configured printer, :func:`print_slip` (never raises), the test page.
"""

from kiosk.printing.printer import (
    PrintOutcome,
    make_printer,
    print_slip,
    printer_uri,
    render_test_page,
)
from kiosk.printing.slip import PAPER_WIDTHS, Slip, qr_image, to_1bit, wrap_text

__all__ = [
    "PAPER_WIDTHS", "PrintOutcome", "Slip", "make_printer", "print_slip", "printer_uri", "qr_image",
    "render_test_page", "to_1bit", "wrap_text",
]
