"""The ``kiosk`` command for technicians, scripts and tests — the same code paths as the screens.

:func:`main` is the console script; one module per command group (``run``, ``ops``,
``ticket``, ``read_id``, ``ocr``, ``outbox``, ``declare``), sharing :mod:`kiosk.cli.common`.
"""

from kiosk.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
