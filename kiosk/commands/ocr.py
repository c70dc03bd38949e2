"""``kiosk ocr``: run the document pipeline (issue 7 builds it)."""

from __future__ import annotations

import argparse

from kiosk.cli import not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ocr", help="find, flatten and OCR document photos; optional searchable PDF")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--pdf", metavar="OUT")
    p.set_defaults(func=not_built("ocr"))
