"""``file:PATH`` / ``file:///dev/usb/lp0`` — a file or a character device, through python-escpos' ``File``.

A plain file holds one job (the last one is kept): handy for tests and a kiosk without paper.
A device node such as the kernel's ``usblp`` blocks a writer for as long as the printer does not
take data, and python-escpos' ``File`` writes blocking, without a limit. So ``File`` opens the
device and the job — composed by python-escpos (``devices.escpos_job.job_bytes``) — is written to
that open file's descriptor non-blocking, with a deadline: a stuck printer fails the job in time.
"""

from __future__ import annotations

import os
import select
import time
from pathlib import Path
from typing import Any

from devices.escpos_job import escpos_printers, job_bytes, paper_profile
from devices.printer_base import EscposPrinter


class FilePrinter(EscposPrinter):
    def __init__(self, uri: str, path: str, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.path = path

    @property
    def is_device(self) -> bool:
        return self.path.startswith("/dev/")

    def connect(self) -> Any:
        if not self.is_device:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "wb"):  # one job per file, whichever way this python-escpos opens it
                pass
        p = escpos_printers().File(self.path, profile=paper_profile(self.paper_width_px))
        p.open()
        return p

    def send(self, p: Any, img: Any, cut: bool) -> int:
        data = b"".join(job_bytes(img, cut, self.band_height, self.paper_width_px))
        write_with_deadline(p.device.fileno(), data, self.timeout_s, self.path)
        return len(data)


def write_with_deadline(fd: int, data: bytes, timeout_s: float, name: str) -> None:
    """Write all of ``data`` to ``fd`` or raise :class:`TimeoutError` when ``timeout_s`` has passed."""
    os.set_blocking(fd, False)
    deadline = time.monotonic() + timeout_s
    view = memoryview(data)
    while view:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"write to {name} timed out")
        _, ready, _ = select.select([], [fd], [], left)
        if not ready:
            continue
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            continue
        view = view[n:]
