"""The ``kiosk`` command for technicians, scripts and tests — the same code paths as the screens.

:func:`main` is the console script; one module per command group (``run``, ``ops``,
``ticket``, ``read_id``, ``ocr``, ``outbox``, ``declare``), sharing :mod:`kiosk.cli.common`.
This face imports the commands only when called: ``kiosk run`` first keeps the libraries the app
never uses out of its process (:mod:`kiosk.base.unused_libraries`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _command(args: Sequence[str]) -> str | None:
    """The sub-command of a command line (after the global ``--config FILE``)."""
    rest = list(args)
    while rest and rest[0].startswith("-"):
        opt = rest.pop(0)
        if opt == "--config" and rest:
            rest.pop(0)
    return rest[0] if rest else None


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and _command(sys.argv[1:]) == "run":  # the app's own process, not a caller's
        from kiosk.base.unused_libraries import keep_out_unused_libraries

        keep_out_unused_libraries()
    from kiosk.cli.main import main as run_command

    return run_command(argv)


def build_parser() -> argparse.ArgumentParser:
    from kiosk.cli.main import build_parser as build

    return build()


__all__ = ["build_parser", "main"]
