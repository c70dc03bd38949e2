"""A stand-in for a UVC webcam's capture (none can exist here): a clip read by OpenCV, V4L2-like properties.

Used by tests/test_doctor_camera_controls.py and tests/ui/test_tech_camera_controls.py with the real
:class:`devices.camera_opencv.OpenCVCamera` (its thread, control objects and locking).
"""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np


def write_clip(path: Path, frames: int = 10) -> Path:
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    for i in range(frames):
        out.write(np.full((120, 160, 3), (i * 20) % 250, np.uint8))
    out.release()
    return path


class UvcLikeCapture:
    """A clip read by OpenCV, answering V4L2 properties like a UVC webcam (which cannot exist here)."""

    def __init__(self, path: str) -> None:
        self.video = cv2.VideoCapture(path)
        self.props = {cv2.CAP_PROP_AUTOFOCUS: 1.0, cv2.CAP_PROP_FOCUS: 30.0,
                      cv2.CAP_PROP_AUTO_EXPOSURE: 3.0, cv2.CAP_PROP_EXPOSURE: 156.0}
        self.busy = threading.Lock()  # held while a frame is read: a control must never run meanwhile
        self.overlaps = 0
        self.main_thread_calls = 0  # a V4L2 ioctl on the UI thread would stall the screen

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.video.isOpened()

    def read(self):
        with self.busy:
            ok, frame = self.video.read()
            if not ok:
                self.video.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = self.video.read()
            return ok, frame

    def get(self, prop: int) -> float:
        self._check()
        return self.props.get(prop, -1.0)

    def set(self, prop: int, value: float) -> bool:
        self._check()
        if prop == cv2.CAP_PROP_AUTO_EXPOSURE and value not in (1.0, 3.0):
            return False  # a UVC driver takes only manual (1) and aperture priority (3)
        if prop in self.props:
            self.props[prop] = float(value)
            return True
        return False  # the frame size and fps of a clip cannot be set

    def _check(self) -> None:
        if self.busy.locked():
            self.overlaps += 1
        if threading.current_thread() is threading.main_thread():
            self.main_thread_calls += 1

    def release(self) -> None:
        self.video.release()
