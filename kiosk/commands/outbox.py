"""``kiosk outbox``: what is waiting to be sent (issue 4 builds it)."""

from __future__ import annotations

import argparse

from kiosk.cli import not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("outbox", help="list, flush or retry what is waiting to be sent")
    p.add_argument("action", nargs="?", default="list", choices=["list", "flush", "retry"])
    p.add_argument("item", nargs="?", metavar="ID")
    p.set_defaults(func=not_built("outbox"))
