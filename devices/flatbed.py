"""A SANE flatbed scanner behind the camera interface: URI scheme ``sane:``.

``sane:`` (the first scanner SANE finds) or ``sane:epson2:libusb:001:004?resolution=300&mode=Color``.
Options: ``resolution`` (dpi, default 300), ``mode`` (Color | Gray, default Color), ``a4=1`` (scan
210 × 297 mm, default on; ``a4=0`` scans the whole bed), ``timeout`` (s, default 120).

A scanner is not a video stream: :meth:`FlatbedScanner.start` asks for one scan, run with
``scanimage`` on the camera's worker thread; the page is then the "latest frame" until
:meth:`FlatbedScanner.rescan` asks for the next sheet, or :meth:`FlatbedScanner.capture_still`
scans one and waits for it. It answers ``frame_is_page`` (the image *is* the page: no page
search on a desk) and ``scans_pages`` (pictures come on request); it has no focus or exposure.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from typing import TYPE_CHECKING, Any

from devices.camera import CameraError
from devices.camera_thread import ThreadedCamera

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


class FlatbedScanner(ThreadedCamera):
    """``scanimage`` one sheet at a time; each scan is published like a camera frame."""

    def __init__(
        self,
        uri: str,
        device: str = "",
        resolution: int = 300,
        mode: str = "Color",
        a4: bool = True,
        timeout_s: float = 120,
        **kw: Any,
    ) -> None:
        kw["fps"] = min(float(kw.get("fps", 2)), 2.0)  # re-publish the sheet now and then, no faster
        super().__init__(uri, **kw)
        self.device = device
        self.resolution = int(resolution)
        self.mode = mode
        self.a4 = a4
        self.timeout_s = timeout_s
        self.scans = 0  # finished scans (a new one bumps it)
        self.failed_scans = 0
        self._page: np.ndarray | None = None
        self._want_scan = True

    def command(self) -> list[str]:
        cmd = [os.environ.get("SCANIMAGE") or shutil.which("scanimage") or "scanimage"]
        if self.device:
            cmd += ["-d", self.device]
        cmd += ["--format=png", "--resolution", str(self.resolution), "--mode", self.mode]
        if self.a4:
            cmd += ["-x", "210", "-y", "297"]
        return cmd

    @property
    def frame_is_page(self) -> bool:
        return True

    @property
    def scans_pages(self) -> bool:
        return True

    def capture_still(self, timeout: float | None = None) -> np.ndarray | None:
        """Scan the sheet on the glass now and return it (None if the scan failed). Blocks: workers only."""
        end = time.monotonic() + (self.timeout_s + 5 if timeout is None else timeout)
        with self._lock:
            scans, failed = self.scans, self.failed_scans
        self.start()  # asks for a scan
        try:
            with self._lock:
                while self.scans == scans and self.failed_scans == failed and not self._closed:
                    left = end - time.monotonic()
                    if left <= 0:
                        return None
                    self._wake.wait(min(left, 0.2))
                return self._page if self.scans > scans else None
        finally:
            self.stop()

    def rescan(self) -> None:
        """Scan the next sheet (the old page stays the latest frame until the new one is in)."""
        with self._lock:
            self._want_scan = True
            self._wake.notify_all()

    def start(self) -> None:
        self.rescan()
        super().start()

    def _paced(self) -> bool:
        return True

    def _open(self) -> None:
        if not shutil.which(self.command()[0]):
            with self._lock:
                self.failed_scans += 1  # a capture_still() waiting for this scan gives up now
                self._wake.notify_all()
            raise CameraError("scanimage not found (apt-get install sane-utils)")

    def _scan(self) -> np.ndarray | None:
        try:
            proc = subprocess.run(self.command(), capture_output=True, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            self.error = "scanner did not answer"
            return None
        if proc.returncode != 0 or not proc.stdout:
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            self.error = lines[-1] if lines else f"scanimage exit {proc.returncode}"
            return None
        import cv2
        import numpy as np

        image = cv2.imdecode(np.frombuffer(proc.stdout, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            self.error = "scanner sent no image"
        return image

    def _read(self) -> np.ndarray | None:
        if self._want_scan or self._page is None:
            self._want_scan = False
            page = self._scan()
            with self._lock:
                if page is None:
                    self.failed_scans += 1
                else:
                    self._page = page
                    self.scans += 1
                self._wake.notify_all()
            if page is None:
                log.warning("flatbed %s: %s", self.uri, self.error)
                return None
        return self._page

    def _close(self) -> None:
        self._page = None
