"""Tra cứu hồ sơ, step 1: hold the receipt's QR to the camera, or type the code and lookup secret.

The track journey reads the frames (on a worker, one at a time) and looks the dossier up; a readable
receipt starts the lookup at once, an ID card or a payment QR gives its own short message and
scanning goes on. Typing is a second screen (``track_type``) so the keyboard never hides the camera.
Both screens render the journey's state (message, busy) and forward frames and touches.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen, load_kv
from screens.camera_view import CameraPreview  # noqa: F401  (kv)
from screens.keyboard import VirtualKeyboard  # noqa: F401  (kv)

load_kv(__file__)
log = logging.getLogger(__name__)

WARN_ERRORS = {"id_card", "not_receipt"}  # another QR held up: a hint, scanning goes on


class TrackStepScreen(KioskScreen):
    """What both track screens show: the journey's message and whether a lookup runs."""

    message = StringProperty("")
    message_kind = StringProperty("info")
    busy = BooleanProperty(False)

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.track.watch(self.render)

    def render(self) -> None:
        part, app = self.visit.track, self.app
        if app is None:
            return
        self.busy = part.state == "looking_up"
        if self.busy:
            self.message, self.message_kind = app.tr["track.looking_up"], "info"
        elif part.error:
            self.message = app.tr[f"track.error.{part.error}"]
            self.message_kind = "warn" if part.error in WARN_ERRORS else "error"
        else:
            self.message = ""

    def reset(self) -> None:
        self.message = ""
        self.busy = False


class TrackScreen(TrackStepScreen):
    """Receipt QR through the camera (``services.id_camera``) with a button to type instead."""

    def on_pre_enter(self, *args: Any) -> None:
        self.render()
        preview = self.ids.preview
        camera = self.services.id_camera if self.services else None
        preview.on_frame = self._on_frame
        preview.status_text = self.app.tr["track.error.no_camera"]
        if camera is not None:
            preview.attach(camera)

    def on_leave(self, *args: Any) -> None:
        self.ids.preview.detach()

    def reset(self) -> None:
        super().reset()
        self.ids.preview.clear()

    def _on_frame(self, frame: Any, _frame_id: int) -> None:
        if self.app is not None and self.is_current:
            self.journeys.track.offer_frame(frame)

    def type_instead(self) -> None:
        self.journeys.track.type_instead()


class TrackTypeScreen(TrackStepScreen):
    """Type the dossier code and the lookup secret printed on the receipt."""

    def on_pre_enter(self, *args: Any) -> None:
        self.render()
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
        error = self.journeys.track.typed(self.ids.txt_code.text, self.ids.txt_secret.text)
        if error:
            self.focus_field("secret" if error == "bad_secret" else "code")

    def reset(self) -> None:
        super().reset()
        self.ids.txt_code.text = ""
        self.ids.txt_secret.text = ""
