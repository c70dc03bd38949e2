"""``kiosk ticket`` and ``kiosk print-test``: the screen's code path, from a terminal.

``kiosk ticket --service A --priority elderly --json`` issues a ticket exactly as
the touchscreen does (backend first, this kiosk's block offline), prints it, and
reports whether it really printed. Exit 0 when printed, 1 when issued but not
printed (the number is still shown), 2 for bad input.
"""

from __future__ import annotations

import argparse
import json

from kiosk.cli.common import EXIT_FAIL, EXIT_OK, UsageError, config_from_args, eprint


def _services(args: argparse.Namespace):
    from kiosk.services import build_services

    return build_services(config_from_args(args))


def cmd_ticket(args: argparse.Namespace) -> int:
    from devices.printer import PrinterError
    from kiosk.printing.printer import make_printer, printer_uri
    from kiosk.queue.slips import print_ticket
    from kiosk.queue.tickets import QueueError

    services = _services(args)
    try:
        config = services.config
        codes = [s.code for s in config.services]
        if args.service not in codes:
            raise UsageError(f"unknown service {args.service!r} (configured: {', '.join(codes)})")
        if args.priority and args.priority not in services.queue.priority_codes():
            raise UsageError(f"unknown priority {args.priority!r} (configured: {', '.join(services.queue.priority_codes())})")
        try:
            printer = services.printer if not args.printer else make_printer(config, args.printer)
        except PrinterError as e:
            raise UsageError(e.message) from None
        try:
            ticket = services.queue.issue(args.service, args.priority or None)
        except QueueError as e:
            eprint(f"kiosk ticket: {e}")
            return EXIT_FAIL
        outcome = print_ticket(ticket, config, printer, services.queue)
        uri = printer_uri(config, args.printer)
        if args.json:
            print(json.dumps({
                "number": ticket.number, "service": ticket.service, "priority": ticket.priority,
                "people_ahead": ticket.people_ahead, "printed": outcome.printed, "printer": uri,
                "offline": ticket.offline, "wait_minutes": ticket.wait_minutes,
                "error": outcome.error_kind,
            }, ensure_ascii=False))
        else:
            print(ticket.number)
            eprint(f"{ticket.service} · {ticket.people_ahead} ahead · ~{ticket.wait_minutes} min"
                   + (" · issued offline" if ticket.offline else ""))
        if not outcome.printed:
            eprint(f"kiosk ticket: NOT printed on {uri}: {outcome.error_kind}: {outcome.error}")
            return EXIT_FAIL
        return EXIT_OK
    finally:
        services.close()


def cmd_print_test(args: argparse.Namespace) -> int:
    from devices.printer import PrinterError
    from kiosk.printing.printer import make_printer, printer_uri, render_test_page

    config = config_from_args(args)
    uri = printer_uri(config, args.printer)
    try:
        printer = make_printer(config, args.printer)
    except PrinterError as e:
        raise UsageError(e.message) from None
    try:
        status = printer.status()
        eprint(f"printer {uri}: status {status.state}" + (f" ({status.detail})" if status.detail else ""))
        sent = printer.print_image(render_test_page(config, uri), cut=config.printer.cut)
    except PrinterError as e:
        eprint(f"kiosk print-test: {e.kind}: {e.message}")
        return EXIT_FAIL
    finally:
        printer.close()
    eprint(f"test page sent: {sent} bytes")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ticket", help="issue and print a queue ticket (same path as the screen)")
    p.add_argument("--service", required=True, metavar="CODE", help="service letter, e.g. A")
    p.add_argument("--priority", metavar="CATEGORY", help="elderly | disabled | pregnant | child | merit (as configured)")
    p.add_argument("--printer", metavar="URI", help="print here instead of [printer] uri")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.set_defaults(func=cmd_ticket)
    p = sub.add_parser("print-test", help="print a test page (Vietnamese alphabet, QR, cut)")
    p.add_argument("--printer", metavar="URI", help="print here instead of [printer] uri")
    p.set_defaults(func=cmd_print_test)
