"""Cameras chosen by URI, each read on its own thread so the UI never waits for a frame.

URIs (DESIGN.md "Devices"):

* ``opencv:0`` / ``opencv:/dev/video2`` — OpenCV ``VideoCapture`` (any backend);
* ``v4l2:/dev/video0`` / ``v4l2:0`` — OpenCV with the V4L2 backend;
* ``files:DIR_OR_FILE`` — a simulator that plays images (sorted by name) or a video in a loop,
  delivering frames at ``fps``. Query options: ``?hold=SECONDS`` how long each still image stays
  (default 3 s for a folder of images, so a demo card stays in view), ``?loop=0`` stop at the end;
* ``none:`` — no camera (``latest_frame()`` is always ``None``, ``error`` says so).

Relative ``files:`` paths are resolved by the caller (``kiosk.services.container``), not here: this package
imports nothing of the kiosk. Other drivers add a scheme with :func:`register_scheme`
(``devices/flatbed.py`` adds ``sane:``).

A camera is shared by screens: :meth:`Camera.start` / :meth:`Camera.stop` are counted, the
device is opened by the first ``start`` and released by the last ``stop`` — one screen's
``on_leave`` cannot turn off the camera the next screen just started. A stopped camera forgets
its last frame, so a citizen's card never lingers in memory for the next person.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import numpy as np

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"}
REOPEN_DELAY_S = 1.0


class CameraError(Exception):
    """A camera URI that cannot be used (unknown scheme, missing folder)."""


class Camera:
    """A frame source read on a worker thread.

    Subclasses implement :meth:`_open`, :meth:`_read` and :meth:`_close`; this class runs
    the thread, paces it, keeps the newest frame and reopens the device after a failure.
    """

    def __init__(self, uri: str, width: int = 1280, height: int = 720, fps: float = 15) -> None:
        self.uri = uri
        self.width = int(width)
        self.height = int(height)
        self.fps = float(fps)
        self.frame_id = 0  # increases with every new frame
        self.error: str | None = None  # last problem ("camera gone"), None while frames flow
        self._frame: np.ndarray | None = None
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._users = 0
        self._closed = False
        self._thread: threading.Thread | None = None
        self._opened = False

    # ------------------------------------------------------------ public

    @property
    def running(self) -> bool:
        return self._users > 0 and not self._closed

    def start(self) -> None:
        """Ask for frames (counted; never blocks on the device)."""
        with self._lock:
            if self._closed:
                return
            self._users += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"camera {self.uri}", daemon=True)
                self._thread.start()
            self._wake.notify_all()

    def stop(self) -> None:
        """One user less; the device is released (and the last frame dropped) when none is left."""
        with self._lock:
            self._users = max(0, self._users - 1)
            if self._users == 0:
                self._frame = None
            self._wake.notify_all()

    def close(self, timeout: float = 2.0) -> None:
        """Stop for good and wait for the thread (services.close)."""
        with self._lock:
            self._closed = True
            self._users = 0
            self._frame = None
            self._wake.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def latest_frame(self) -> np.ndarray | None:
        """The newest BGR frame (do not modify it), or None. Never blocks on the device."""
        return self._frame

    def wait_frame(self, after: int = 0, timeout: float = 5.0) -> np.ndarray | None:
        """Block until a frame newer than ``after`` arrives (CLI, tests, workers — not the UI thread)."""
        end = time.monotonic() + timeout
        with self._lock:
            while self.frame_id <= after or self._frame is None:
                left = end - time.monotonic()
                if left <= 0 or self._closed:
                    return None
                self._wake.wait(min(left, 0.1))
            return self._frame

    # ------------------------------------------------------------ for subclasses

    def _open(self) -> None:
        """Open the device; raise on failure."""

    def _read(self) -> np.ndarray | None:
        """Return the next frame (BGR), or None when the device failed."""
        raise NotImplementedError

    def _close(self) -> None:
        """Release the device."""

    def _paced(self) -> bool:
        """True when :meth:`_read` does not wait by itself (the simulator)."""
        return False

    # ------------------------------------------------------------ thread

    def _publish(self, frame: np.ndarray) -> None:
        with self._lock:
            if self._users > 0:
                self._frame = frame
                self.frame_id += 1
                self._wake.notify_all()

    def _release(self) -> None:
        if self._opened:
            try:
                self._close()
            except Exception:
                log.exception("camera %s: error on release", self.uri)
            self._opened = False

    def _run(self) -> None:
        period = 1.0 / self.fps if self.fps > 0 else 0.0
        next_at = time.monotonic()
        while True:
            with self._lock:
                while self._users == 0 and not self._closed:
                    if self._opened:
                        self._lock.release()
                        try:
                            self._release()
                        finally:
                            self._lock.acquire()
                        continue
                    self._wake.wait()
                if self._closed:
                    break
            if not self._opened:
                try:
                    self._open()
                    self._opened = True
                    self.error = None
                    next_at = time.monotonic()
                except Exception as e:
                    self.error = str(e) or type(e).__name__
                    log.warning("camera %s: cannot open: %s", self.uri, self.error)
                    self._sleep(REOPEN_DELAY_S)
                    continue
            try:
                frame = self._read()
            except Exception as e:
                log.exception("camera %s: read failed", self.uri)
                frame = None
                self.error = str(e) or "read failed"
            if frame is None:
                self.error = self.error or "camera gone"
                log.warning("camera %s: no frame (%s); reopening", self.uri, self.error)
                self._release()
                with self._lock:
                    self._frame = None
                self._sleep(REOPEN_DELAY_S)
                continue
            self.error = None
            self._publish(frame)
            if self._paced():
                next_at += period
                delay = next_at - time.monotonic()
                if delay > 0:
                    self._sleep(delay)
                else:
                    next_at = time.monotonic()
        self._release()

    def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when closed or stopped."""
        with self._lock:
            if not self._closed and self._users > 0:
                self._wake.wait(seconds)


class NoCamera(Camera):
    """``none:`` — the kiosk has no camera here; screens offer manual entry instead."""

    def __init__(self, uri: str = "none:", width: int = 1280, height: int = 720, fps: float = 15) -> None:
        super().__init__(uri, width, height, fps)
        self.error = "no camera configured"

    def start(self) -> None:
        self.error = "no camera configured"

    def stop(self) -> None:
        pass


class OpenCVCamera(Camera):
    """A real camera through ``cv2.VideoCapture``; reopened when it is unplugged and back."""

    def __init__(self, uri: str, device: int | str, api: int | None = None, **kw: Any) -> None:
        super().__init__(uri, **kw)
        self.device = device
        self.api = api
        self._cap: Any = None

    def _paced(self) -> bool:
        # A real camera blocks until its next frame; a recorded clip would be read at full speed.
        return isinstance(self.device, str) and Path(self.device).is_file()

    def _open(self) -> None:
        import cv2

        if isinstance(self.device, str) and not Path(self.device).exists():
            raise CameraError(f"camera gone: {self.device} does not exist")
        cap = cv2.VideoCapture(self.device, self.api) if self.api is not None else cv2.VideoCapture(self.device)
        if not cap.isOpened():
            cap.release()
            raise CameraError(f"cannot open camera {self.device}")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, not a queue of old ones
        self._cap = cap

    def _read(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        if not ok or frame is None:
            self.error = "camera gone"
            return None
        return frame

    def _close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def _fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale a still to the camera's resolution, keeping its shape (grey bars), like a sensor would."""
    import cv2

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


class FilesCamera(Camera):
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


# ---------------------------------------------------------------- registry of schemes

CameraFactory = Callable[..., Camera]
SCHEMES: dict[str, CameraFactory] = {}


def register_scheme(scheme: str, factory: CameraFactory) -> None:
    """Add a URI scheme: ``factory(uri, rest, query, width=, height=, fps=) -> Camera``."""
    SCHEMES[scheme] = factory


def _device(rest: str) -> int | str:
    rest = rest.strip()
    return int(rest) if rest.isdigit() else rest


def _opencv(uri: str, rest: str, query: dict[str, str], **kw: Any) -> Camera:
    return OpenCVCamera(uri, _device(rest or "0"), **kw)


def _v4l2(uri: str, rest: str, query: dict[str, str], **kw: Any) -> Camera:
    import cv2

    return OpenCVCamera(uri, _device(rest or "/dev/video0"), api=cv2.CAP_V4L2, **kw)


def _files(uri: str, rest: str, query: dict[str, str], **kw: Any) -> Camera:
    if not rest:
        raise CameraError("files: needs a folder, an image or a video")
    hold = float(query["hold"]) if "hold" in query else None
    loop = query.get("loop", "1") not in {"0", "false", "no"}
    return FilesCamera(uri, Path(rest), hold_s=hold, loop=loop, **kw)


def _none(uri: str, rest: str, query: dict[str, str], **kw: Any) -> Camera:
    return NoCamera(uri, **kw)


register_scheme("opencv", _opencv)
register_scheme("v4l2", _v4l2)
register_scheme("files", _files)
register_scheme("none", _none)


def parse_uri(uri: str) -> tuple[str, str, dict[str, str]]:
    """``files:dir?hold=1`` → ("files", "dir", {"hold": "1"})."""
    scheme, sep, rest = uri.partition(":")
    if not sep:
        raise CameraError(f"camera URI needs a scheme (files:, opencv:, v4l2:, none:): {uri!r}")
    rest, _, qs = rest.partition("?")
    if rest.startswith("//"):
        rest = rest[2:]
    query = {k: v[-1] for k, v in parse_qs(qs).items()}
    return scheme.lower(), rest, query


def open_camera(uri: str, width: int = 1280, height: int = 720, fps: float = 15) -> Camera:
    """A camera for ``uri`` (not started). Raises :class:`CameraError` for an unknown scheme."""
    scheme, rest, query = parse_uri(uri or "none:")
    factory = SCHEMES.get(scheme)
    if factory is None and scheme == "sane":  # the flatbed driver registers itself on import
        import devices.flatbed  # noqa: F401

        factory = SCHEMES.get(scheme)
    if factory is None:
        raise CameraError(f"unknown camera scheme {scheme!r} (known: {', '.join(sorted(SCHEMES))})")
    return factory(uri, rest, query, width=width, height=height, fps=fps)
