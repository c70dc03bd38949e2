"""Camera setup: choose each camera, see it live with the QR decoder's and the page detector's overlays.

The overlays come from the same code the citizen journeys use (:func:`kiosk.identity.qr.decode_qr`,
:func:`kiosk.documents.find_page`), run on a worker twice a second, so what the
technician sees is what the kiosk will read. A module that is missing shows no overlay.
"""

from __future__ import annotations

import glob
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from screens.background import run_in_background
from screens.base import load_kv
from screens.camera_view import CameraPreview  # noqa: F401 - used in the kv rule
from screens.tech_base import TechScreen, alive, edit_text

load_kv(__file__)

ANALYSE_EVERY_S = 0.5
QR_COLOUR = (0.1, 0.9, 0.2, 1)
PAGE_COLOUR = (1.0, 0.75, 0.0, 1)


def candidate_uris() -> list[str]:
    """Cameras a technician may pick: video devices found here, the sample folders, none."""
    uris = [f"v4l2:{p}" for p in sorted(glob.glob("/dev/video*"))]
    return uris + ["files:assets/samples/camera", "files:assets/samples/documents", "none:"]


def analyse(frame: Any) -> tuple[list[Any], Any]:
    """(QR codes, page corners or None) for one frame; missing modules give nothing."""
    codes: list[Any] = []
    page = None
    try:
        from kiosk.identity import decode_qr

        codes = decode_qr(frame)
    except ImportError:
        pass
    try:
        from kiosk.documents import find_page

        det = find_page(frame)
        page = det.corners if det.found else None
    except ImportError:
        pass
    return codes, page


class TechCameraScreen(TechScreen):
    which = StringProperty("camera")  # camera | document
    uri = StringProperty("")
    found_text = StringProperty("")
    analysing = BooleanProperty(False)
    controls = BooleanProperty(False)  # focus/exposure offered by this camera's driver

    def prepare(self, **params: Any) -> None:
        self.status = ""
        self._load()

    def _load(self) -> None:
        c = self.services.config.camera
        self.uri = c.uri if self.which == "camera" else c.document_uri
        self._build_choices()

    def _camera(self) -> Any:
        return self.services.id_camera if self.which == "camera" else self.services.document_camera

    def on_pre_enter(self, *_args: Any) -> None:
        self._attach()
        self._event = Clock.schedule_interval(self._analyse, ANALYSE_EVERY_S)

    def on_leave(self, *_args: Any) -> None:
        ev = getattr(self, "_event", None)
        if ev is not None:
            ev.cancel()
            self._event = None
        self.ids.preview.detach()

    def _attach(self) -> None:
        preview = self.ids.preview
        preview.detach()
        cam = self._camera()
        preview.status_text = self.t("tech.no_picture") + (f"\n{cam.error}" if cam is not None and cam.error else "")
        if cam is not None:
            preview.attach(cam)

    def show(self, which: str) -> None:
        self.which = which
        self._load()
        self._attach()

    def _build_choices(self) -> None:
        from screens.widgets import KButton

        box = self.ids.choices
        box.clear_widgets()
        for name in [n for n in self.ids if n.startswith("uri_")]:
            del self.ids[name]
        for i, uri in enumerate(candidate_uris()):
            btn = KButton(text=uri, style="primary" if uri == self.uri else "quiet", font_size=self.app.sz.small * 0.9)
            btn.bind(on_release=lambda _b, u=uri: self.choose(u))
            box.add_widget(btn)
            self.ids[f"uri_{i}"] = btn

    def choose(self, uri: str) -> None:
        key = "uri" if self.which == "camera" else "document_uri"
        self.save({"camera": {key: uri}}, then=self._reattach)

    def _reattach(self) -> None:
        self._load()
        self._attach()

    def edit_uri(self) -> None:
        edit_text(self.t("tech.camera_uri" if self.which == "camera" else "tech.document_uri"), self.uri, self.choose)

    # -------------------------------------------------------- focus / exposure (ioctls: on a worker)

    def autofocus(self, on: bool) -> None:
        from kiosk.ops import camera_controls

        run_in_background(camera_controls.set_autofocus, self._camera(), on,
                          on_result=self._control_done, on_error=self._control_failed)

    def exposure(self, direction: int) -> None:
        from kiosk.ops import camera_controls

        cam = self._camera()
        if direction == 0:
            run_in_background(camera_controls.auto_exposure, cam,
                              on_result=self._control_done, on_error=self._control_failed)
        else:
            run_in_background(camera_controls.step_exposure, cam, direction,
                              on_result=self._control_done, on_error=self._control_failed)

    @alive
    def _control_done(self, ok: bool) -> None:
        self.say("tech.saved" if ok else "tech.control_unsupported", "ok" if ok else "warn")

    @alive
    def _control_failed(self, _exc: BaseException) -> None:
        self.say("tech.control_unsupported", "warn")

    # -------------------------------------------------------- overlays

    def _analyse(self, _dt: float) -> None:
        cam = self._camera()
        frame = cam.latest_frame() if cam is not None else None
        from kiosk.ops import camera_controls
        self.controls = camera_controls.supported(cam) if cam is not None else False
        if frame is None or self.analysing:
            return
        self.analysing = True
        run_in_background(analyse, frame.copy(), on_result=self._show_analysis, on_error=self._analysis_failed)

    @alive
    def _show_analysis(self, result: tuple[list[Any], Any]) -> None:
        self.analysing = False
        codes, page = result
        overlays = [([tuple(map(float, p)) for p in code.points], QR_COLOUR) for code in codes if code.points]
        if page is not None:
            overlays.append(([tuple(map(float, p)) for p in page], PAGE_COLOUR))
        self.ids.preview.set_overlays(overlays)
        parts = [self.t("tech.qr_seen", n=len(codes))]
        if page is not None:
            parts.append(self.t("tech.page_seen"))
        self.found_text = " · ".join(parts)

    @alive
    def _analysis_failed(self, exc: BaseException) -> None:
        self.analysing = False
        self.found_text = f"{type(exc).__name__}: {exc}"[:160]
