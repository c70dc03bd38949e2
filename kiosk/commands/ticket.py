"""Queue-ticket commands: ticket, print-test (issue 3 builds them)."""

from __future__ import annotations

import argparse

from kiosk.cli import not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ticket", help="issue and print a queue ticket")
    p.add_argument("--service", required=True, metavar="CODE")
    p.add_argument("--priority", metavar="CATEGORY")
    p.add_argument("--printer", metavar="URI")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=not_built("ticket"))
    p = sub.add_parser("print-test", help="print a test ticket")
    p.add_argument("--printer", metavar="URI")
    p.set_defaults(func=not_built("print-test"))
