"""Submit journey, last step: the dossier code (or the provisional receipt) on screen, and the slip printed.

The slip is printed off the UI thread; if the printer fails, the code stays on the screen
and "In lại" tries again — the dossier itself is already safe in the outbox either way.
"""

from __future__ import annotations

from typing import Any

from kivy.graphics.texture import Texture
from kivy.properties import (
    BooleanProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)

from screens.background import run_in_background
from screens.base import KioskScreen, load_kv

load_kv(__file__)


def pil_texture(img: Any) -> Texture:
    """A PIL image as a Kivy texture (the slip preview)."""
    rgb = img.convert("RGB")
    tex = Texture.create(size=rgb.size, colorfmt="rgb")
    tex.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    tex.flip_vertical()
    return tex


class ReceiptScreen(KioskScreen):
    """Code, lookup secret and appointment in big type, the slip beside them, print status."""

    submission = ObjectProperty(None, allownone=True)
    state = OptionProperty("idle", options=["idle", "printing", "printed", "print_failed"])
    queued = BooleanProperty(False)
    code = StringProperty("")
    secret = StringProperty("")
    appointment = StringProperty("")
    slip_texture = ObjectProperty(None, allownone=True)

    def prepare(self, submission: Any = None, print_now: bool = True, **_: Any) -> None:
        sub = submission or self.visit.receipt
        self.submission = sub
        if sub is None:
            return
        r = sub.receipt
        self.queued = sub.status != "acknowledged"
        self.code = r.code or r.provisional_ref
        self.secret = r.secret or ""
        self.appointment = r.appointment_at.strftime("%H:%M  %d/%m/%Y")
        self.slip_texture = pil_texture(sub.slip)
        if print_now:
            self.print_slip()
        else:
            self.state = "printed" if sub.printed else ("print_failed" if sub.print_error else "idle")

    def reset(self) -> None:
        self.submission = None
        self.state = "idle"
        self.code = self.secret = self.appointment = ""
        self.slip_texture = None

    def print_slip(self) -> None:
        if self.submission is None or self.state == "printing":
            return
        from kiosk.declarations import print_receipt

        self.state = "printing"
        run_in_background(print_receipt, self.services, self.submission, on_result=self._printed,
                          on_error=lambda _e: setattr(self, "state", "print_failed"))

    def _printed(self, ok: bool) -> None:
        self.state = "printed" if ok else "print_failed"

    def rate(self) -> None:
        code = self.submission.code if self.submission else None
        self.app.go_next_or_explain("rate", dossier_code=code)
