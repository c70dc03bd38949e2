"""The thread every real camera runs on: paced reads, the newest frame kept, the device reopened after a failure.

A driver subclasses :class:`ThreadedCamera` and implements :meth:`~ThreadedCamera._open`,
:meth:`~ThreadedCamera._read` and :meth:`~ThreadedCamera._close`; this class gives it the rest of
:class:`devices.camera.Camera`. One thread per camera for its lifetime, idle while stopped: the device
is opened by the first ``start()`` and released by the last ``stop()``, and a stopped camera forgets
its last frame, so a citizen's card never lingers in memory for the next person.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from devices.camera import CameraControl

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

REOPEN_DELAY_S = 1.0


class ThreadedCamera:
    """A :class:`devices.camera.Camera` whose frames are read on a worker thread.

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

    # ------------------------------------------------------------ capabilities (drivers override what differs)

    @property
    def is_present(self) -> bool:
        """A camera is configured behind this object (whether it gives a picture now: :attr:`error`)."""
        return True

    @property
    def frame_is_page(self) -> bool:
        return False

    @property
    def scans_pages(self) -> bool:
        return False

    def controls(self) -> tuple[CameraControl, ...]:
        """No focus/exposure controls unless the driver offers them."""
        return ()

    def capture_still(self, timeout: float | None = None) -> np.ndarray | None:
        """The next frame (blocking: workers only); the camera is started for it if nobody watches."""
        self.start()
        try:
            return self.wait_frame(after=self.frame_id, timeout=5.0 if timeout is None else timeout)
        finally:
            self.stop()

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
