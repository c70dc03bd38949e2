"""``opencv:N|PATH`` and ``v4l2:/dev/videoN|N`` — a real camera through OpenCV's ``VideoCapture``.

The capture is opened by the camera's thread (buffer of one frame: the newest, not a queue of
old ones) and reopened every second after a failed open or read ("camera gone"), so a camera
unplugged and plugged back comes back by itself.

Focus and exposure (:meth:`OpenCVCamera.controls`): offered while the device is open and only
those its driver answers (``VideoCapture.get`` is -1 for a property the driver lacks, and for
every property of a recorded clip). Each ``get``/``set`` is a V4L2 ioctl; it waits for the
frame being read (up to one frame time), so call it from a worker, never from the UI thread.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.camera import CameraControl, CameraError, ControlName
from devices.camera_thread import ThreadedCamera

if TYPE_CHECKING:
    import numpy as np

EXPOSURE_STEP = 1.0  # V4L2 absolute exposure is in steps of 100 µs on UVC; OpenCV passes it through
V4L2_AUTO, V4L2_MANUAL = 3.0, 1.0  # CAP_PROP_AUTO_EXPOSURE through V4L2: 3 = aperture priority, 1 = manual


def _props() -> dict[ControlName, int]:
    import cv2

    return {
        "autofocus": cv2.CAP_PROP_AUTOFOCUS,
        "focus": cv2.CAP_PROP_FOCUS,
        "auto_exposure": cv2.CAP_PROP_AUTO_EXPOSURE,
        "exposure": cv2.CAP_PROP_EXPOSURE,
    }


def _video_capture(device: int | str, api: int | None) -> Any:
    import cv2

    return cv2.VideoCapture(device, api) if api is not None else cv2.VideoCapture(device)


class OpenCVCamera(ThreadedCamera):
    """A camera through ``cv2.VideoCapture``; ``capture`` makes the capture (OpenCV's by default)."""

    def __init__(self, uri: str, device: int | str, api: int | None = None,
                 capture: Callable[[int | str, int | None], Any] = _video_capture, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.device = device
        self.api = api
        self._make_capture = capture
        self._cap: Any = None
        self._io = threading.Lock()  # one call into the capture at a time: the frame read or a control
        self._controls: tuple[CameraControl, ...] = ()

    # ------------------------------------------------------------ capabilities

    def controls(self) -> tuple[CameraControl, ...]:
        """The controls the open device answers (none while it is closed). Never blocks."""
        return self._controls

    def _get(self, name: ControlName) -> float | None:
        with self._io:
            if self._cap is None:
                return None
            raw = float(self._cap.get(_props()[name]))
        if raw == -1:
            return None
        if name == "auto_exposure":
            return 0.0 if raw == V4L2_MANUAL else 1.0
        return raw

    def _set(self, name: ControlName, value: float) -> bool:
        if name == "auto_exposure":
            raw = V4L2_AUTO if value else V4L2_MANUAL
        elif name == "autofocus":
            raw = 1.0 if value else 0.0
        else:
            raw = float(value)
        with self._io:
            return bool(self._cap is not None and self._cap.set(_props()[name], raw))

    # ------------------------------------------------------------ the device

    def _paced(self) -> bool:
        # A real camera blocks until its next frame; a recorded clip would be read at full speed.
        return isinstance(self.device, str) and Path(self.device).is_file()

    def _open(self) -> None:
        import cv2

        if isinstance(self.device, str) and not Path(self.device).exists():
            raise CameraError(f"camera gone: {self.device} does not exist")
        cap = self._make_capture(self.device, self.api)
        if not cap.isOpened():
            cap.release()
            raise CameraError(f"cannot open camera {self.device}")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, not a queue of old ones
        offered = [name for name, prop in _props().items() if float(cap.get(prop)) != -1]
        with self._io:
            self._cap = cap
        self._controls = tuple(
            CameraControl(name, functools.partial(self._get, name), functools.partial(self._set, name),
                          EXPOSURE_STEP if name == "exposure" else 1.0)
            for name in offered
        )

    def _read(self) -> np.ndarray | None:
        with self._io:
            ok, frame = self._cap.read()
        if not ok or frame is None:
            self.error = "camera gone"
            return None
        return frame

    def _close(self) -> None:
        self._controls = ()
        with self._io:
            cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()
