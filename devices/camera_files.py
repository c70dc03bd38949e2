"""``files:DIR|IMAGE|VIDEO[?hold=S&loop=0]`` — a simulator that plays images or a video in a loop.

The demo and the tests use it, with real decoding on real pixels. Images of a folder play in
name order; stills are scaled to the camera's size with grey bars, as a sensor would deliver them,
and each is held ``hold`` seconds (3 s by default for a folder, so a demo card stays in view) while
frames are delivered at ``fps``; videos loop (``loop=0``: stop at the end). It has no focus or
exposure to set. Relative paths are resolved by the caller: this package knows nothing of the
kiosk's layout.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.camera import CameraError
from devices.camera_thread import ThreadedCamera

if TYPE_CHECKING:
    import numpy as np

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"}


def _fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale a still to the camera's resolution, keeping its shape (grey bars), like a sensor would."""
    import cv2
    import numpy as np

    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    elif frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    scale = min(width / w, height / h)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    resized = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    out = np.full((height, width, 3), 40, np.uint8)
    y, x = (height - nh) // 2, (width - nw) // 2
    out[y : y + nh, x : x + nw] = resized
    return out


class FilesCamera(ThreadedCamera):
    """``files:`` — images of a folder (or one image, or a video) played in a loop at ``fps``."""

    def __init__(self, uri: str, path: Path, hold_s: float | None = None, loop: bool = True, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.path = Path(path)
        self.loop = loop
        self._stills: list[np.ndarray] = []
        self._video: Any = None
        self._index = 0
        self._shown_since = 0.0
        self.hold_s = hold_s

    def _paced(self) -> bool:
        return True

    def _open(self) -> None:
        import cv2

        if not self.path.exists():
            raise CameraError(f"camera folder not found: {self.path}")
        if self.path.is_dir():
            files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            stills = [cv2.imread(str(p), cv2.IMREAD_COLOR) for p in files]
            self._stills = [_fit(s, self.width, self.height) for s in stills if s is not None]
            if not self._stills:
                raise CameraError(f"no images in {self.path}")
            if self.hold_s is None:
                self.hold_s = 3.0
        elif self.path.suffix.lower() in IMAGE_SUFFIXES:
            still = cv2.imread(str(self.path), cv2.IMREAD_COLOR)
            if still is None:
                raise CameraError(f"not an image: {self.path}")
            self._stills = [_fit(still, self.width, self.height)]
        else:
            cap = cv2.VideoCapture(str(self.path))
            if not cap.isOpened():
                raise CameraError(f"not a video: {self.path}")
            self._video = cap
        self._index = 0
        self._shown_since = time.monotonic()

    def _read(self) -> np.ndarray | None:
        if self._video is not None:
            ok, frame = self._video.read()
            if not ok:
                if not self.loop:
                    return None
                self._video.set(1, 0)  # CAP_PROP_POS_FRAMES
                ok, frame = self._video.read()
                if not ok:
                    return None
            return _fit(frame, self.width, self.height)
        hold = self.hold_s or 0.0
        now = time.monotonic()
        if len(self._stills) > 1 and now - self._shown_since >= hold:
            self._index += 1
            self._shown_since = now
            if self._index >= len(self._stills):
                if not self.loop:
                    return None
                self._index = 0
        return self._stills[self._index]

    def _close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None
        self._stills = []
