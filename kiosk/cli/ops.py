"""Technician commands: ``kiosk doctor``, ``kiosk usb``, ``kiosk set-pin`` (same code as the dashboard)."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys

from kiosk.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    config_from_args,
    eprint,
)

STATE_MARK = {"green": "OK  ", "amber": "WARN", "red": "FAIL"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check config, camera, printer, backend, tesseract, zbar; exit 1 if not all green")
    p.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    p.add_argument("--only", metavar="NAMES", help="comma-separated checks (config,printer,camera,…)")
    p.set_defaults(func=cmd_doctor)
    p = sub.add_parser("usb", help="list USB devices, printers first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_usb)
    p = sub.add_parser("set-pin",
                       help="set the technician PIN (6–12 digits; stored only as a scrypt hash; clears a lockout)")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin (scripts)")
    p.set_defaults(func=cmd_set_pin)


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.ops.doctor import CHECKS, run_checks

    config = config_from_args(args)
    logging.getLogger("devices").setLevel(logging.ERROR)  # the report says it once, in one line
    only = [n.strip() for n in args.only.split(",")] if args.only else None
    if only:
        unknown = sorted(set(only) - set(CHECKS))
        if unknown:
            raise UsageError(f"unknown check(s): {', '.join(unknown)} (known: {', '.join(CHECKS)})")
    report = run_checks(config, only=only)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        width = max(len(c.name) for c in report.checks)
        for c in report.checks:
            print(f"{STATE_MARK[c.state]}  {c.name:<{width}}  {c.reason}")
        print(f"overall: {report.overall}")
    return EXIT_OK if report.ok else EXIT_FAIL


def cmd_usb(args: argparse.Namespace) -> int:
    from devices.usb import UsbUnavailable, list_devices, permission_problem

    try:
        devices = list_devices()
    except UsbUnavailable as e:
        if args.json:
            print(json.dumps({"devices": [], "error": e.kind, "message": e.message}))
        eprint(f"kiosk usb: {e.message}")
        return EXIT_FAIL
    problem = permission_problem(devices)
    if args.json:
        print(json.dumps({"devices": [d.as_dict() for d in devices], "warning": problem or None}, ensure_ascii=False, indent=2))
    else:
        if not devices:
            eprint("no USB devices found (is the printer plugged in and switched on?)")
        for d in devices:
            kind = f"PRINTER ({d.printer_reason})" if d.printer else "        "
            eps = f"  out_ep=0x{d.out_ep:02x}" if d.out_ep is not None else ""
            eps += f" in_ep=0x{d.in_ep:02x}" if d.in_ep is not None else ""
            print(f"{d.id}  {kind:<28} {d.class_name:<16} {d.label}{eps}")
        if problem:
            eprint(problem)
    return EXIT_OK


def _read_pin(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for the PIN; use --pin-stdin")
    pin = getpass.getpass("New technician PIN (6–12 digits): ")
    if getpass.getpass("Again: ") != pin:
        raise UsageError("the two PINs differ; nothing changed")
    return pin


def cmd_set_pin(args: argparse.Namespace) -> int:
    from kiosk.ops.settings import set_pin, target_file
    from kiosk.ops.technician import PinError

    config = config_from_args(args)
    pin = _read_pin(args)
    try:
        set_pin(config, pin, args.config)
    except PinError as e:
        eprint(f"kiosk set-pin: {e}; nothing changed")
        return EXIT_USAGE
    eprint(f"technician PIN saved (as a scrypt hash) in {target_file(args.config)}")
    return EXIT_OK
