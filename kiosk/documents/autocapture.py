"""When to take the photo by itself: a page is in view, the photo would pass, and it is still.

After a capture the trigger disarms until the page is taken away or a different page lies
there, so one sheet is never captured twice by itself. Pure logic (fed by the scan screen
with each checked frame), so it is tested without a window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # OpenCV and numpy load with the first frame compared, not when the scan screen is built
    import numpy as np

    from kiosk.documents.pipeline import FrameCheck

SIG_SIZE = (64, 48)


def signature(frame: np.ndarray) -> np.ndarray:
    """A tiny grey copy of the frame to compare frames by."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    return cv2.resize(grey, SIG_SIZE, interpolation=cv2.INTER_AREA).astype(np.float32)


def quick_signature(frame: np.ndarray) -> np.ndarray:
    """A cruder, cheaper :func:`signature` (every preview frame, on the UI thread)."""
    import cv2

    return signature(cv2.resize(frame, SIG_SIZE, interpolation=cv2.INTER_NEAREST))


def thumbnail(image: np.ndarray, height: int) -> np.ndarray:
    """A small copy of a page for the screen (keeps its shape)."""
    import cv2

    scale = height / image.shape[0]
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def difference(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 255.0
    import numpy as np

    return float(np.mean(np.abs(a - b)))


class AutoCapture:
    """Feed :meth:`update` with each checked frame; it answers "capture" once per still page."""

    def __init__(self, still_s: float = 0.8, still_diff: float = 4.0, new_page_diff: float = 10.0) -> None:
        self.still_s = still_s
        self.still_diff = still_diff  # mean grey change between frames that still counts as still
        self.new_page_diff = new_page_diff  # change from the captured frame that means a new sheet
        self.armed = True
        self._steady_since: float | None = None
        self._last_sig: np.ndarray | None = None
        self._captured_sig: np.ndarray | None = None

    def update(self, check: FrameCheck, sig: np.ndarray, now: float) -> str:
        """"idle" (nothing to do), "steady" (page good, waiting for stillness) or "capture"."""
        moving = difference(sig, self._last_sig) > self.still_diff
        self._last_sig = sig
        if not self.armed:
            if not check.page_found or difference(sig, self._captured_sig) > self.new_page_diff:
                self.armed = True
            else:
                return "idle"
        if not check.ok or moving:
            self._steady_since = now if check.ok else None
            return "steady" if check.ok else "idle"
        if self._steady_since is None:
            self._steady_since = now
        if now - self._steady_since >= self.still_s:
            return "capture"
        return "steady"

    def captured(self, sig: np.ndarray) -> None:
        """A photo was taken of this frame (by the trigger or the shutter button)."""
        self.armed = False
        self._captured_sig = sig
        self._steady_since = None
