"""The scan screen's page work: one photo → finder → warp → OCR → the quality gate, on a worker.

A mixin of :class:`screens.scan.ScanScreen` (kept apart so each module stays one idea): the screen shows a
progress bar while a page is processed, then what the gate said — a good page is added; a doubtful one is
added *marked* (the dossier's metadata carries the verdict) and the citizen is told the gate's own reason,
with "Chụp lại"; when the reason is the outline (``action == "edit_corners"``) the corner editor opens on
the detected corners, and the corners dragged there redo that page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kivy.clock import mainthread

from kiosk.documents import signature
from screens.background import run_in_background
from screens.widgets import show_message

if TYPE_CHECKING:  # numpy loads with the first camera frame, not when the screen is built after the first frame
    import numpy as np

log = logging.getLogger(__name__)

CORNER_WARNINGS = ("no_page", "cut_off")  # no usable outline: retake, or drag the corners, before any OCR


def _noop() -> None:
    pass


def say(title: str, body: str, kind: str = "info", **kw: Any) -> Any:
    """show_message with callables always set (Kivy binds ``on_*`` kwargs: None would raise)."""
    kw.setdefault("on_ok", _noop)
    kw.setdefault("on_cancel", _noop)
    return show_message(title, body, kind=kind, **kw)


class PageCapture:
    """Capture, processing and the gate's verdict for :class:`screens.scan.ScanScreen` (its state lives there)."""

    app: Any
    batch: Any
    ids: Any
    current_key: str
    dialog: Any
    page_busy: bool
    page_progress: float
    page_progress_text: str
    _auto: Any
    _capturing: bool
    _last_frame: np.ndarray | None
    _last_corners: np.ndarray | None
    _retake_index: int | None
    set_status: Any  # ScanScreen's methods
    retake_page: Any
    _refresh: Any
    small_of: Any

    def capture(self, frame: np.ndarray, corners: np.ndarray | None = None) -> None:
        """Process a photo on a worker: find and flatten the page, read it, judge it (progress on screen)."""
        if self._capturing or not self.current_key:
            return
        frame = frame.copy()
        self._capturing = True
        self._auto.captured(signature(frame))
        self.set_status(self.app.tr["scan.checking"], "info")
        self._page_stage(0.05, "scan.finding")
        key = self.current_key
        cam = self.ids.preview.camera
        source = "scan" if cam is not None and cam.frame_is_page else "auto"
        run_in_background(
            self._process, frame, corners, source,
            on_result=lambda r: self.page_prepared(key, frame, r),
            on_error=self._capture_failed,
        )

    def _process(self, frame: np.ndarray, corners: np.ndarray | None, source: str) -> Any:
        """Worker: the whole page. A photo with no page (or cut off) stops before OCR: the citizen retakes it."""
        from kiosk.documents import prepare_page, read_page  # OpenCV, tesseract: on the first page taken

        result = prepare_page(frame, corners=corners, source=source)
        if not result.page_found or any(w in CORNER_WARNINGS for w in result.warnings):
            return result
        self._page_stage(0.35, "scan.reading")
        result = read_page(result)
        if result.flat is not None:
            self.small_of(result)  # the thumbnail too, here and not on the UI thread
        return result

    @mainthread
    def _page_stage(self, fraction: float, key: str) -> None:
        if self.app is None:  # the app closed while the work ran
            return
        self.page_busy = True
        self.page_progress = 100.0 * fraction
        self.page_progress_text = self.app.tr[key]

    def _capture_failed(self, exc: BaseException) -> None:
        if self.app is None:  # the app closed while the work ran
            return
        self._capturing = False
        self.page_busy = False
        log.warning("page preparation failed: %s", type(exc).__name__)
        self.set_status(self.app.tr["scan.error_read"], "error")

    def page_prepared(self, key: str, frame: np.ndarray, result: Any) -> None:
        """A processed page's outcome, on the UI thread (public: the showcase hands it a chosen verdict)."""
        if self.app is None:  # the app closed while the work ran
            return
        self._capturing = False
        self.page_busy = False
        tr = self.app.tr
        cut = [w for w in result.warnings if w in CORNER_WARNINGS]
        if not result.page_found or cut:
            reason = cut[0] if cut else "no_page"
            self.set_status(tr[f"scan.warn.{reason}"], "warn")
            self._auto.armed = True
            self.dialog = say(tr["scan.retake_title"], tr[f"scan.warn.{reason}"], kind="warn",
                              ok_text=tr["scan.adjust_corners"], cancel_text=tr["scan.retake"],
                              on_ok=lambda: self.edit_corners(frame))
            return
        index = self.batch.add(key, result, self._retake_index)
        self._retake_index = None
        self._refresh()
        q = result.quality
        if q is None or q.good:
            self.set_status(tr("scan.captured", n=index + 1), "ok")
            return
        # Doubtful: the page stays (marked for the officer); the citizen hears why and may do better.
        lang = self.app.lang
        why = " ".join(dict.fromkeys(r.message(lang) for r in q.reasons))
        self.set_status(why, "warn")
        self._auto.armed = True
        if q.action == "edit_corners":
            import numpy as np

            corners = np.array(q.corners, dtype=np.float32) if q.corners else result.corners
            self.edit_corners(frame, corners=corners, replace=index, reason=why)
            return
        self.dialog = say(tr["scan.doubtful_title"], f"{why}\n\n{tr['scan.doubtful_kept']}", kind="warn",
                          ok_text=tr["scan.retake"], cancel_text=tr["scan.keep_page"],
                          on_ok=lambda: self.retake_page(index))

    def edit_corners(self, frame: np.ndarray | None = None, corners: np.ndarray | None = None,
                     replace: int | None = None, reason: str = "") -> None:
        """Open the corner editor on this frame (or the newest one), with ``corners`` (else the last outline).

        ``replace``: the index of the page the new corners redo (a doubtful page stays until they arrive)."""
        frame = frame if frame is not None else self._last_frame
        if frame is None:
            return
        frame = frame.copy()
        corners = corners if corners is not None else self._last_corners
        key = self.current_key

        def done(new_corners: np.ndarray) -> None:
            if replace is not None and key == self.current_key:
                self.batch.delete(key, replace)
                self._retake_index = replace
            self.capture(frame, new_corners)

        self.app.go("scan_corners", frame=frame, corners=corners, on_done=done, reason=reason)

