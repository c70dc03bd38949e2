"""What every ``kiosk`` sub-command shares: exit codes, the usage error, stderr printing, the config.

Conventions (DESIGN.md): JSON to stdout, messages to stderr, exit 0 success, 1 failure,
2 bad usage or input.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.base.config import load_config
from kiosk.base.config_schema import KioskConfig

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
