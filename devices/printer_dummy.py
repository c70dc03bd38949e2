"""``dummy:`` — python-escpos' ``Dummy``: every job kept in memory (:attr:`DummyPrinter.output`), nothing printed."""

from __future__ import annotations

from typing import Any

from devices.escpos_job import escpos_printers, paper_profile
from devices.printer import PrinterStatus
from devices.printer_base import EscposPrinter


class DummyPrinter(EscposPrinter):
    keeps_connection = True

    def __init__(self, uri: str = "dummy:", **kw: Any) -> None:
        super().__init__(uri, **kw)
        self._dummy: Any = None

    def connect(self) -> Any:
        if self._dummy is None:
            self._dummy = escpos_printers().Dummy(profile=paper_profile(self.paper_width_px))
        return self._dummy

    def idle_status(self) -> PrinterStatus:
        return PrinterStatus("ok")

    @property
    def output(self) -> bytes:
        """Everything "printed" so far."""
        return bytes(self._dummy.output) if self._dummy is not None else b""
