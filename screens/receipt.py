"""Submit journey, last step: the dossier code (or the provisional receipt) on screen, and the slip printed.

The submit journey prints the slip off the UI thread; if the printer fails, the code stays on the
screen and "In lại" asks the journey to try again — the dossier itself is already safe in the
outbox either way.
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

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.submit.watch(self.render)

    def prepare(self, **_: Any) -> None:
        self.render()

    def render(self) -> None:
        part = self.visit.submit
        sub = part.submission
        self.state = part.print_state
        if sub is self.submission:
            return
        self.submission = sub
        if sub is None:
            self.reset()
            return
        r = sub.receipt
        self.queued = sub.status != "acknowledged"
        self.code = r.code or r.provisional_ref
        self.secret = r.secret or ""
        self.appointment = r.appointment_at.strftime("%H:%M  %d/%m/%Y")
        self.slip_texture = pil_texture(sub.slip)

    def reset(self) -> None:
        self.submission = None
        self.state = "idle"
        self.code = self.secret = self.appointment = ""
        self.slip_texture = None

    def print_slip(self) -> None:
        """"In lại"."""
        self.journeys.submit.print_receipt()

    def rate(self) -> None:
        self.journeys.submit.rate()
