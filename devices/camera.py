"""What the kiosk asks of a camera: the :class:`Camera` protocol, its controls, and :class:`NoCamera`.

Screens and the core ask a camera what it can do instead of looking at its class or its insides:

* frames: ``start()``/``stop()`` (counted: one screen's ``on_leave`` cannot stop the camera the next
  screen just started), ``latest_frame()`` (never blocks), ``wait_frame()`` (workers), ``frame_id``;
* ``is_present`` (False only when there is no camera behind the object) and ``error`` (why there is
  no picture right now);
* ``controls()``: the focus/exposure controls the driver offers, each with ``get``/``set`` — they
  talk to the device (V4L2 ioctls), so call them off the UI thread;
* ``capture_still()``: a picture taken now (a flatbed scans a sheet; a video camera gives its next
  frame) — blocking, for workers;
* ``frame_is_page`` (the picture *is* the page: no page search) and ``scans_pages`` (pictures are
  scans taken on request, not a live stream).

Drivers: ``devices/camera_opencv.py`` (``opencv:``, ``v4l2:``), ``devices/camera_files.py``
(``files:``), ``devices/flatbed.py`` (``sane:``), :class:`NoCamera` (``none:``); the thread they share
is ``devices/camera_thread.py``; ``devices.factory.open_camera`` picks one by URI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    import numpy as np

ControlName = Literal["autofocus", "focus", "auto_exposure", "exposure"]


class CameraError(Exception):
    """A camera URI that cannot be used (unknown scheme, missing folder)."""


@dataclass(frozen=True)
class CameraControl:
    """One setting of the device. ``autofocus``/``auto_exposure``: 1 on, 0 off; ``focus``/``exposure``:
    the driver's units, moved by ``step``. ``get``/``set`` may block on the device (workers only);
    ``set`` returns False when the driver refused the value."""

    name: ControlName
    get: Callable[[], float | None]
    set: Callable[[float], bool]
    step: float = 1.0


class Camera(Protocol):
    """A frame source shared by screens; see the module docstring for what each member promises."""

    uri: str
    frame_id: int  # increases with every new frame
    error: str | None  # the last problem ("camera gone"), None while frames flow

    @property
    def running(self) -> bool: ...

    @property
    def is_present(self) -> bool: ...

    @property
    def frame_is_page(self) -> bool: ...

    @property
    def scans_pages(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self, timeout: float = 2.0) -> None: ...

    def latest_frame(self) -> np.ndarray | None: ...

    def wait_frame(self, after: int = 0, timeout: float = 5.0) -> np.ndarray | None: ...

    def capture_still(self, timeout: float | None = None) -> np.ndarray | None: ...

    def controls(self) -> tuple[CameraControl, ...]: ...


class NoCamera:
    """``none:`` (or a camera URI that cannot be used) — no picture ever; screens offer manual entry."""

    frame_id = 0
    running = False
    is_present = False
    frame_is_page = False
    scans_pages = False

    def __init__(self, uri: str = "none:", error: str = "no camera configured") -> None:
        self.uri = uri
        self.error: str | None = error

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self, timeout: float = 2.0) -> None:
        pass

    def latest_frame(self) -> None:
        return None

    def wait_frame(self, after: int = 0, timeout: float = 5.0) -> None:
        return None

    def capture_still(self, timeout: float | None = None) -> None:
        return None

    def controls(self) -> tuple[CameraControl, ...]:
        return ()

    def __repr__(self) -> str:
        return f"NoCamera({self.uri!r}, error={self.error!r})"
