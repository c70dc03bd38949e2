"""``cups://QUEUE`` — a CUPS raw queue, through python-escpos' ``LP`` (``lp -d QUEUE -o raw``).

``LP`` needs only the ``lp``/``lpstat`` commands; python-escpos' ``CupsPrinter`` would need pycups
built from source. ``LP`` waits for ``lp`` without a limit and ignores its exit code, so the kiosk
bounds that wait (``lp`` is killed after the timeout) and reads the exit code of the ``lp`` process
it started. CUPS does not report paper or cover: the status is "unknown".
"""

from __future__ import annotations

import shutil
import threading
from typing import Any

from devices.escpos_job import escpos_printers, paper_profile
from devices.printer import PrinterError
from devices.printer_base import EscposPrinter


class CupsPrinter(EscposPrinter):
    def __init__(self, uri: str, queue: str, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.queue = queue

    def connect(self) -> Any:
        if not (shutil.which("lp") and shutil.which("lpstat")):
            raise PrinterError("offline", "CUPS is not installed (no `lp` command)")
        p = escpos_printers().LP(self.queue, profile=paper_profile(self.paper_width_px))
        p.open(job_name="motcua-kiosk")  # DeviceNotFoundError when CUPS has no such queue
        return p

    def finish(self, p: Any) -> None:
        lp = p.device  # the `lp` process this job was written to
        killer = threading.Timer(self.timeout_s, lp.kill)
        killer.start()
        try:
            p.close()  # ends lp's input and waits for it
        finally:
            killer.cancel()
        if lp.returncode == 0:
            return
        if lp.returncode is not None and lp.returncode < 0:
            raise PrinterError("timeout", f"CUPS queue {self.queue} did not accept the job in time")
        raise PrinterError("offline", f"CUPS queue {self.queue} refused the job (lp exit {lp.returncode})")
