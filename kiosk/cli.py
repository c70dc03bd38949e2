"""The ``kiosk`` command: one entry point, one module per command group.

Each module in :data:`COMMAND_MODULES` exposes ``register(subparsers)`` and adds
its sub-commands with ``set_defaults(func=handler)``; a handler takes the parsed
arguments and returns the exit code. Conventions (DESIGN.md): JSON to stdout,
messages to stderr, exit 0 success, 1 failure, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig, load_config

COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.commands.run",
    "kiosk.commands.ops",
    "kiosk.commands.ticket",
    "kiosk.commands.read_id",
    "kiosk.commands.ocr",
    "kiosk.commands.outbox",
    "kiosk.commands.declare",
)

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user of the CLI → exit 2 with the message."""


def eprint(*args: object) -> None:
    print(*args, file=sys.stderr)


def config_from_args(args: argparse.Namespace) -> KioskConfig:
    """Load the layered config using ``--config`` if given (ConfigError on any problem)."""
    return load_config(getattr(args, "config", None))


def not_built(name: str):
    """Handler for a command whose feature has not landed yet."""

    def handler(args: argparse.Namespace) -> int:
        eprint(f"kiosk {name}: not built yet")
        return EXIT_USAGE

    return handler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="motcua-kiosk — self-service kiosk for One-Door departments (Bộ phận Một cửa).",
    )
    parser.add_argument("--version", action="version", version=f"motcua-kiosk {__version__}")
    parser.add_argument("--config", metavar="FILE", help="site config file (default: /etc/motcua-kiosk/kiosk.toml if present)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.expanduser("~/.cache/motcua-kiosk/escpos"))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except ConfigError as e:
        eprint(f"kiosk: {e}")
        return EXIT_USAGE
    except UsageError as e:
        eprint(f"kiosk {args.command}: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
