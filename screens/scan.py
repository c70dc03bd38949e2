"""Submit journey: lay each paper under the document camera; OCR and PDFs in the background.

The submit journey's ``scan`` step, for the journey's procedure. Left: the procedure's papers to
scan (tap one to scan it). Middle: the live preview with the page outlined (green = good,
orange = a reason to fix) — the photo is taken by itself when the page is still, or with
the shutter. Right: the pages taken for the chosen paper (retake, delete). Each page is
processed on a worker as soon as it is taken — finder → warp → OCR → the quality gate — with a progress
bar over the preview; a page the gate calls doubtful is kept, marked "Cần xem lại", and the citizen is told
why and offered "Chụp lại" (or, when the corners are the reason, the corner editor opens on the detected
corners). "Tiếp tục" writes the PDFs and hands the attachments and the values read on the papers to the
journey (the review, or back to the form page that asked for the scan).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from kivy.clock import mainthread
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.documents import AutoCapture, Paper, ScanBatch, difference
from kiosk.documents import quick_signature, signature, thumbnail
from screens import camera_view  # noqa: F401  (registers CameraPreview for the kv rule)
from screens.background import run_in_background
from screens.base import KioskScreen, load_kv
from screens.scan_capture import PageCapture, say

if TYPE_CHECKING:  # numpy loads with the first camera frame, not when the screen is built after the first frame
    import numpy as np

log = logging.getLogger(__name__)
load_kv(__file__)

GOOD = (0.18, 0.75, 0.30, 1)
FIX = (1.0, 0.60, 0.0, 1)
CHECK_EVERY_S = 0.3
STALE_DIFF = 12.0  # mean grey change (0–255) that makes an outline belong to an old picture
THUMB_H = 360


def small_picture(image: np.ndarray, height: int = THUMB_H) -> np.ndarray:
    """The thumbnail's pixels, bottom row first (Kivy textures start there): made on the worker that read the page."""
    import numpy as np

    return np.ascontiguousarray(thumbnail(image, height)[::-1])


def page_texture(small: np.ndarray) -> Texture:
    """A texture of a small picture (BGR, from :func:`small_picture`) for a thumbnail."""
    tex = Texture.create(size=(small.shape[1], small.shape[0]), colorfmt="rgb")
    tex.blit_buffer(small.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
    return tex


class PaperItem(ButtonBehavior, BoxLayout):
    """One line of the checklist: the whole line is the touch target (tap to scan this paper)."""

    key = StringProperty("")
    name = StringProperty("")
    detail = StringProperty("")
    pages = NumericProperty(0)
    required = BooleanProperty(True)
    selected = BooleanProperty(False)
    screen = ObjectProperty(None, allownone=True)


class PageThumb(BoxLayout):
    """A page taken: its picture, number, retake and delete."""

    index = NumericProperty(0)
    texture = ObjectProperty(None, allownone=True)
    screen = ObjectProperty(None, allownone=True)
    doubtful = BooleanProperty(False)  # the quality gate did not pass it: "Cần xem lại"


class ScanScreen(PageCapture, KioskScreen):
    procedure_name = StringProperty("")
    current_key = StringProperty("")
    current_name = StringProperty("")
    status_text = StringProperty("")
    status_kind = StringProperty("info")
    busy = BooleanProperty(False)
    progress = NumericProperty(0)
    progress_text = StringProperty("")
    page_busy = BooleanProperty(False)  # a page taken is being processed (finder → warp → OCR → gate)
    page_progress = NumericProperty(0)
    page_progress_text = StringProperty("")
    page_count = NumericProperty(0)
    camera_ok = BooleanProperty(True)
    auto_capture = BooleanProperty(True)
    papers = ListProperty([])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batch = ScanBatch([])
        self.procedure_code = ""
        self._auto = AutoCapture()
        self._checking = False
        self._last_check = 0.0
        self._last_frame: np.ndarray | None = None
        self._last_corners: np.ndarray | None = None
        self._retake_index: int | None = None
        self._capturing = False
        self._checked_sig: np.ndarray | None = None
        self._smalls: dict[int, tuple[Any, np.ndarray]] = {}
        self._docs: dict[str, Any] = {}  # a screen built mid-visit starts as a reset one (screens live one visit)
        self._retake_index: int | None = None
        self.dialog: Any = None  # the last warning shown (tests and scenes press its buttons)

    # ------------------------------------------------------------ navigation

    def prepare(self, **_: Any) -> None:
        """Called on entry from the journey; returning from corner editing keeps everything."""
        procedure = self.journeys.submit.procedure if self.journeys else None
        procedure_code = procedure.code if procedure is not None else ""
        if not procedure_code or procedure_code == self.procedure_code:
            return
        self.reset()
        self.procedure_code = procedure_code
        lang = self.app.lang if self.app else "vi"
        docs = procedure.scannable_documents if procedure is not None else []
        self.procedure_name = procedure.name(lang) if procedure is not None else ""
        self.batch = ScanBatch([Paper(d.key, d.name_vi, d.required) for d in docs], procedure)
        self._docs = {d.key: d for d in docs}
        self.select(docs[0].key if docs else "")

    def on_pre_enter(self, *_args: Any) -> None:
        cam = self.services.document_camera if self.services else None
        self.camera_ok = cam is not None and cam.is_present
        preview = self.ids.preview
        preview.on_frame = self._on_frame
        if self.camera_ok:
            preview.attach(cam)
        preview.status_text = self.app.tr["scan.camera_off"] if not self.camera_ok else ""
        if not getattr(self, "_lang_bound", False):
            self.app.bind(lang=lambda *_a: self._refresh())
            self._lang_bound = True
        self._refresh()

    def on_leave(self, *_args: Any) -> None:
        self.ids.preview.detach()

    def reset(self) -> None:
        self.batch = ScanBatch([])
        self._docs: dict[str, Any] = {}
        self.procedure_code = ""
        self.procedure_name = ""
        self.current_key = ""
        self.current_name = ""
        self.status_text = ""
        self.busy = False
        self.page_busy = False
        self.progress = 0
        self._auto = AutoCapture()
        self._last_frame = None
        self._smalls: dict[int, tuple[Any, np.ndarray]] = {}  # id(page) → (page, thumbnail pixels)
        self._retake_index = None
        if "preview" in self.ids:
            self.ids.preview.clear()
        self._refresh()

    # ------------------------------------------------------------ checklist and thumbnails

    def select(self, key: str) -> None:
        self.current_key = key
        self._retake_index = None
        self._refresh()

    def _doc_detail(self, key: str) -> str:
        tr = self.app.tr
        d = self._docs.get(key)
        if d is None:
            return ""
        kind = tr["scan.original"] if d.original else tr["scan.copy"]
        need = tr["scan.required"] if d.required else tr["scan.optional"]
        n = len(self.batch.papers[key].pages)
        pages = tr("scan.pages", n=n) if n else tr["scan.no_pages"]
        return f"{kind} · {need} · {pages}"

    def _refresh(self) -> None:
        if not self.app or "checklist" not in self.ids:
            return
        lang = self.app.lang
        box = self.ids.checklist
        box.clear_widgets()
        for key, paper in self.batch.papers.items():
            d = self._docs.get(key)
            item = PaperItem(key=key, name=d.name(lang) if d else paper.name, detail=self._doc_detail(key),
                             pages=len(paper.pages), required=paper.required, selected=key == self.current_key, screen=self)
            box.add_widget(item)
        d = self._docs.get(self.current_key)
        self.current_name = d.name(lang) if d else ""
        thumbs = self.ids.thumbs
        thumbs.clear_widgets()
        pages = self.batch.papers[self.current_key].pages if self.current_key in self.batch.papers else []
        for i, page in enumerate(pages):
            doubtful = page.quality is not None and not page.quality.good
            thumbs.add_widget(PageThumb(index=i, texture=page_texture(self.small_of(page)), screen=self, doubtful=doubtful))
        self.page_count = self.batch.page_count()
        if not self.batch.papers:
            self.set_status(self.app.tr["scan.no_documents"], "info")
        elif not self.status_text:
            self.set_status(self.app.tr["scan.instruction"], "info")

    def small_of(self, page: Any) -> np.ndarray:
        """The page's thumbnail pixels: made once, on the worker that read it (a page handed in by the
        showcase is the exception, made here once); a refresh never resizes a full-resolution page again."""
        known = self._smalls.get(id(page))
        if known is None or known[0] is not page:
            known = self._smalls[id(page)] = (page, small_picture(page.flat))
        return known[1]

    def paper_items(self) -> list[PaperItem]:
        return list(reversed(self.ids.checklist.children))

    def set_status(self, text: str, kind: str = "info") -> None:
        self.status_text, self.status_kind = text, kind

    def thumbs(self) -> list[PageThumb]:
        return list(reversed(self.ids.thumbs.children))

    def delete_page(self, index: int) -> None:
        self.batch.delete(self.current_key, index)
        self._refresh()

    def retake_page(self, index: int) -> None:
        """Drop this page; the next photo takes its place."""
        self.batch.delete(self.current_key, index)
        self._retake_index = index
        self._auto.armed = True
        self.set_status(self.app.tr["scan.instruction"], "info")
        self._refresh()

    # ------------------------------------------------------------ live checks and auto-capture

    def _on_frame(self, frame: np.ndarray, _frame_id: int) -> None:
        self._last_frame = frame
        if self._checked_sig is not None:
            if difference(quick_signature(frame), self._checked_sig) > STALE_DIFF:  # the picture moved on
                self.ids.preview.set_overlays([])
                self._checked_sig = None
        now = time.monotonic()
        if self._checking or self.busy or self._capturing or now - self._last_check < CHECK_EVERY_S:
            return
        if not self.current_key:
            return
        self._checking = True
        self._last_check = now
        run_in_background(self._check, frame, now, on_result=self._checked, on_error=self._check_failed)

    @staticmethod
    def _check(frame: np.ndarray, now: float) -> tuple[Any, np.ndarray, float, np.ndarray]:
        from kiosk.documents import check_frame  # OpenCV: with the first frame checked (on a worker)

        return check_frame(frame), signature(frame), now, frame

    def _check_failed(self, _exc: BaseException) -> None:
        self._checking = False

    def _checked(self, out: tuple[Any, np.ndarray, float, np.ndarray]) -> None:
        if self.app is None:  # the app closed while the work ran
            return
        self._checking = False
        check, sig, now, frame = out
        if self.manager is None or self.manager.current != self.name:
            return
        preview = self.ids.preview
        latest = self._last_frame
        if latest is not None and latest is not frame:
            if difference(quick_signature(latest), sig) > STALE_DIFF:
                preview.set_overlays([])  # this answer is about a picture no longer shown
                return
        self._checked_sig = sig
        if check.page_found:
            preview.set_overlays([(check.corners.tolist(), GOOD if check.ok else FIX)])
        else:
            preview.set_overlays([])
        self._last_corners = check.corners
        if self._capturing or self.busy:
            return
        state = self._auto.update(check, sig, now)
        if check.warnings and check.page_found:
            self.set_status(self.app.tr[f"scan.warn.{check.warnings[0]}"], "warn")
        elif state == "steady":
            self.set_status(self.app.tr["scan.hold_still"], "ok")
        if state == "capture" and self.auto_capture:
            self.capture(frame)

    # ------------------------------------------------------------ capture

    def shutter(self) -> None:
        """The manual shutter: take the newest frame whatever the checks say (they run after).

        With a camera that scans pages (a flatbed) it scans the sheet now on the glass instead,
        on a worker; the page is taken when the scan arrives.
        """
        cam = self.ids.preview.camera
        if cam is not None and cam.scans_pages:
            self.set_status(self.app.tr["scan.checking"], "info")
            run_in_background(cam.capture_still, on_result=self._scanned, on_error=self._capture_failed)
            return
        frame = cam.latest_frame() if cam is not None else self._last_frame
        if frame is None:
            frame = self._last_frame
        if frame is not None:
            self.capture(frame)

    def _scanned(self, page: np.ndarray | None) -> None:
        if self.app is None:  # the app closed while the scan ran
            return
        if page is None:
            self.set_status(self.app.tr["scan.error_read"], "error")
            return
        self.capture(page)

    # ------------------------------------------------------------ finishing

    def go_on(self) -> None:
        missing = self.batch.missing_required()
        if missing:
            lang = self.app.lang
            names = ", ".join(self._docs[p.key].name(lang) for p in missing)
            say(self.app.tr["scan.missing_title"], self.app.tr("scan.missing_body", names=names), kind="warn")
            return
        if self.busy:
            return
        self.busy = True
        self.progress = 0
        self.progress_text = self.app.tr["scan.saving"]
        folder = self.journeys.submit.workdir() / "scan"
        proc = self.procedure_code
        run_in_background(
            self.batch.finish, folder, self._report_progress,
            lambda paper: {"/Subject": f"Thủ tục {proc}", "/Author": self.services.config.kiosk.id},
            on_result=self._finished, on_error=self._finish_failed,
        )

    @mainthread
    def _report_progress(self, done: int, total: int) -> None:
        if self.app is None:  # the app closed while the work ran
            return
        self.progress = 100.0 * done / max(1, total)
        self.progress_text = self.app.tr("scan.processing", i=min(done + 1, total), n=total) if done < total else self.app.tr["scan.saving"]

    def _finished(self, attachments: dict[str, Any]) -> None:
        if self.app is None:  # the app closed while the work ran
            return
        self.busy = False
        self.journeys.submit.scanned(attachments, self.batch.offers())

    def _finish_failed(self, exc: BaseException) -> None:
        if self.app is None:  # the app closed while the work ran
            return
        self.busy = False
        log.warning("reading the pages failed: %s", type(exc).__name__)
        say(self.app.tr["scan.title"], self.app.tr["scan.error_read"], kind="error")
