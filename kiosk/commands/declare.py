"""``kiosk declare``: validate and submit a declaration from a JSON file (issue 6 builds it)."""

from __future__ import annotations

import argparse

from kiosk.cli import not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("declare", help="validate and submit a declaration from answers in JSON")
    p.add_argument("--procedure", required=True, metavar="CODE")
    p.add_argument("--answers", required=True, metavar="FILE.json")
    p.add_argument("--identity-text", metavar="PAYLOAD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=not_built("declare"))
