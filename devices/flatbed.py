"""A SANE flatbed scanner behind the camera interface: URI scheme ``sane:``.

``sane:`` (the first scanner SANE finds) or ``sane:epson2:libusb:001:004?resolution=300&mode=Color``.
Options: ``resolution`` (dpi, default 300), ``mode`` (Color | Gray, default Color), ``a4=1`` (scan
210 × 297 mm, default on; ``a4=0`` scans the whole bed), ``timeout`` (s, default 120).

A scanner is not a video stream: :meth:`FlatbedScanner.start` asks for one scan, run with
``scanimage`` on the camera's worker thread; the page is then the "latest frame" until
:meth:`FlatbedScanner.rescan` asks for the next sheet. ``frame_is_page`` tells the document
pipeline that the image *is* the page (no page search on a desk).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from typing import Any

import cv2
import numpy as np

from devices.camera import Camera, CameraError, register_scheme

log = logging.getLogger(__name__)


class FlatbedScanner(Camera):
    """``scanimage`` one sheet at a time; each scan is published like a camera frame."""

    frame_is_page = True

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
        image = cv2.imdecode(np.frombuffer(proc.stdout, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            self.error = "scanner sent no image"
        return image

    def _read(self) -> np.ndarray | None:
        if self._want_scan or self._page is None:
            self._want_scan = False
            page = self._scan()
            if page is None:
                log.warning("flatbed %s: %s", self.uri, self.error)
                return None
            self._page = page
            self.scans += 1
        return self._page

    def _close(self) -> None:
        self._page = None


def _sane(uri: str, rest: str, query: dict[str, str], **kw: Any) -> Camera:
    return FlatbedScanner(
        uri,
        device=rest,
        resolution=int(query.get("resolution", 300)),
        mode=query.get("mode", "Color"),
        a4=query.get("a4", "1") not in {"0", "false", "no"},
        timeout_s=float(query.get("timeout", 120)),
        **kw,
    )


register_scheme("sane", _sane)
