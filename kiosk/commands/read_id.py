"""``kiosk read-id``: decode the ID-card QR in images (issue 5 builds it)."""

from __future__ import annotations

import argparse

from kiosk.cli import not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read-id", help="decode the ID card QR in images → identity JSON")
    p.add_argument("images", nargs="*", metavar="IMAGE")
    p.add_argument("--text", metavar="PAYLOAD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=not_built("read-id"))
