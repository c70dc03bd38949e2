"""The loopback TCP printer of the tests: where to print, the bytes of finished jobs, what they decode to."""

from __future__ import annotations

from devices.escpos_decode import Decoded, Page, decode, decode_pages
from devices.loopback_printer import LoopbackPrinter


class RecordingPrinter(LoopbackPrinter):
    """A :class:`~devices.loopback_printer.LoopbackPrinter` that waits for whole jobs before decoding them.

    A job is finished when the sender closes its connection (what ``tcp://`` printing does after each
    slip), so reading after :meth:`job_bytes` never sees half a slip.
    """

    def job_bytes(self, jobs: int = 1, timeout: float = 20.0) -> bytes:
        """Every byte received, once ``jobs`` print jobs have finished."""
        self.wait_closed(jobs, timeout)
        return self.received()

    def decoded(self, jobs: int = 1, timeout: float = 20.0) -> Decoded:
        return decode(self.job_bytes(jobs, timeout))

    def pages(self, jobs: int = 1, timeout: float = 20.0) -> list[Page]:
        """The printed slips (raster image, QR payloads, text, cut) of the first ``jobs`` jobs."""
        return decode_pages(self.job_bytes(jobs, timeout))
