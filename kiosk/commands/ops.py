"""Technician commands: doctor, usb, set-pin (issue 8 builds them)."""

from __future__ import annotations

import argparse

from kiosk.cli import not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check config, camera, printer, backend, tesseract, zbar; exit 1 if broken")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=not_built("doctor"))
    p = sub.add_parser("usb", help="list USB devices, printers first")
    p.set_defaults(func=not_built("usb"))
    p = sub.add_parser("set-pin", help="set the technician PIN")
    p.set_defaults(func=not_built("set-pin"))
