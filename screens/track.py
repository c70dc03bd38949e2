"""Tra cứu hồ sơ, step 1: hold the receipt's QR to the camera, or type the code and lookup secret.

Frames are decoded on a worker (never on the UI thread), at most one at a time; a
readable receipt starts the lookup at once. Holding an ID card or a payment QR
gives its own short message and scanning goes on. Typing is a second screen
(``track_type``) so the keyboard never hides the camera.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from screens.background import run_in_background
from screens.base import KioskScreen, load_kv
from screens.camera_view import CameraPreview  # noqa: F401  (kv)
from screens.keyboard import VirtualKeyboard  # noqa: F401  (kv)

load_kv(__file__)
log = logging.getLogger(__name__)


def _tracking(screen: KioskScreen) -> Any:
    return screen.services.tracking if screen.services else None


def start_lookup(screen: Any, ref: Any) -> None:
    """Look ``ref`` up in the background; show the result screen or the error on ``screen``."""
    from kiosk.aftercare import TrackingError

    tracking = _tracking(screen)
    lang = screen.app.lang
    screen.busy = True
    screen.message, screen.message_kind = screen.app.tr["track.looking_up"], "info"

    def done(result: Any) -> None:
        screen.busy = False
        if screen.app is None:  # the app stopped meanwhile
            return
        screen.message = ""
        screen.visit.journey = screen.visit.journey or "track"
        screen.visit.dossier_code = result.code
        screen.app.go("track_result", result=result)

    def failed(exc: BaseException) -> None:
        screen.busy = False
        if screen.app is None:
            return
        key = exc.key if isinstance(exc, TrackingError) else "failed"
        screen.message, screen.message_kind = screen.app.tr[f"track.error.{key}"], "error"

    if tracking is None:
        failed(TrackingError("offline"))
        return
    run_in_background(tracking.lookup, ref, lang, on_result=done, on_error=failed)


class TrackScreen(KioskScreen):
    """Receipt QR through the camera (``services.id_camera``) with a button to type instead."""

    message = StringProperty("")
    message_kind = StringProperty("info")
    busy = BooleanProperty(False)
    _decoding = False
    _last_refused = ""

    def on_pre_enter(self, *args: Any) -> None:
        self.message = ""
        self.busy = False
        self._last_refused = ""
        preview = self.ids.preview
        camera = self.services.id_camera if self.services else None
        preview.on_frame = self._on_frame
        preview.status_text = self.app.tr["track.error.no_camera"]
        if camera is not None:
            preview.attach(camera)

    def on_leave(self, *args: Any) -> None:
        self.ids.preview.detach()
        self._decoding = False

    def reset(self) -> None:
        self.message = ""
        self.busy = False
        self._last_refused = ""
        self.ids.preview.clear()

    def _on_frame(self, frame: Any, _frame_id: int) -> None:
        if self.app is None or self._decoding or self.busy or self.manager is None or self.manager.current != self.name:
            return
        self._decoding = True
        tracking = _tracking(self)
        unit = tracking.unit_id if tracking is not None else None
        run_in_background(_read_receipt, frame, unit, on_result=self._on_read, on_error=self._on_decode_error)

    def _on_decode_error(self, _exc: BaseException) -> None:
        self._decoding = False

    def _on_read(self, outcome: tuple[str, Any]) -> None:
        self._decoding = False
        if self.app is None or self.manager is None or self.manager.current != self.name or self.busy:
            return
        kind, value = outcome
        if kind == "ref":
            start_lookup(self, value)
        elif kind == "error" and value != self._last_refused:
            self._last_refused = value
            self.message, self.message_kind = self.app.tr[f"track.error.{value}"], "warn"

    def type_instead(self) -> None:
        self.app.go("track_type")


def _read_receipt(frame: Any, unit_id: str | None) -> tuple[str, Any]:
    """Worker: ("ref", TrackingRef) for a receipt, ("error", key) for another QR, ("none", None)."""
    from kiosk.aftercare import TrackingError, parse_payload
    from kiosk.identity import decode_qr

    error = ""
    for code in decode_qr(frame):
        try:
            return "ref", parse_payload(code.text, unit_id)
        except TrackingError as e:
            error = error or e.key
    return ("error", error) if error else ("none", None)


class TrackTypeScreen(KioskScreen):
    """Type the dossier code and the lookup secret printed on the receipt."""

    message = StringProperty("")
    message_kind = StringProperty("info")
    busy = BooleanProperty(False)

    def on_pre_enter(self, *args: Any) -> None:
        self.message = ""
        self.focus_field("code")

    def focus_field(self, which: str) -> None:
        field = self.ids.txt_code if which == "code" else self.ids.txt_secret
        self.ids.keyboard.target = field
        field.focus = True

    def next_field(self) -> None:
        if self.ids.keyboard.target is self.ids.txt_code:
            self.focus_field("secret")
        else:
            self.search()

    def search(self) -> None:
        from kiosk.aftercare import TrackingError

        tracking = _tracking(self)
        if self.busy:
            return
        try:
            if tracking is None:
                raise TrackingError("offline")
            ref = tracking.ref(self.ids.txt_code.text, self.ids.txt_secret.text)
        except TrackingError as e:
            self.message, self.message_kind = self.app.tr[f"track.error.{e.key}"], "error"
            self.focus_field("secret" if e.key == "bad_secret" else "code")
            return
        start_lookup(self, ref)

    def reset(self) -> None:
        self.message = ""
        self.busy = False
        self.ids.txt_code.text = ""
        self.ids.txt_secret.text = ""
