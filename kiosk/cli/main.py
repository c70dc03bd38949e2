"""The ``kiosk`` command: one entry point, one module per command group.

Each command module exposes ``register(subparsers)`` and adds its sub-commands with
``set_defaults(func=handler)``; a handler takes the parsed arguments and returns the
exit code (:mod:`kiosk.cli.common`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.base.config import ConfigError
from kiosk.base.privacy import private_umask
from kiosk.cli import declare, ocr, ops, outbox, read_chip, read_id, run, ticket
from kiosk.cli.common import EXIT_USAGE, UsageError, eprint

COMMAND_GROUPS = (run, ops, ticket, read_id, read_chip, ocr, outbox, declare)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="motcua-kiosk — self-service kiosk for One-Door departments (Bộ phận Một cửa).",
    )
    parser.add_argument("--version", action="version", version=f"motcua-kiosk {__version__}")
    parser.add_argument("--config", metavar="FILE", help="site config file (default: /etc/motcua-kiosk/kiosk.toml if present)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.expanduser("~/.cache/motcua-kiosk/escpos"))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        with private_umask():  # everything the kiosk writes is for its own user (0600 / 0700)
            return int(args.func(args) or 0)
    except ConfigError as e:
        eprint(f"kiosk: {e}")
        return EXIT_USAGE
    except UsageError as e:
        eprint(f"kiosk {args.command}: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
