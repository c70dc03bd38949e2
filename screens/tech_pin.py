"""The PIN pad in front of technician mode (reached by the hidden gesture or Ctrl+Alt+T).

The check itself (scrypt, lockout persisted in the data dir, audit) is :class:`kiosk.ops.technician.TechnicianGate`;
scrypt takes ~80 ms, so it runs in the background, not on the UI thread.
"""

from __future__ import annotations

import math
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from screens.background import run_in_background
from screens.base import load_kv
from screens.tech_base import TechScreen, alive

load_kv(__file__)


class TechPinScreen(TechScreen):
    pin = StringProperty("")
    checking = BooleanProperty(False)
    locked = BooleanProperty(False)

    def prepare(self, **params: Any) -> None:
        self.pin = ""
        self.status = ""
        self._refresh_lock()

    def _gate(self) -> Any:
        from kiosk.ops import gate_for

        return gate_for(self.services.config)

    def _refresh_lock(self, *_args: Any) -> None:
        if self.app is None or self.services is None:  # the app stopped while the countdown ran
            return
        gate = self._gate()
        if not gate.enabled:
            self.say("tech.pin_not_set", "warn")
            return
        left = gate.remaining_lock()
        self.locked = left > 0
        if self.locked:
            self.say("tech.pin_locked", "error", seconds=math.ceil(left))
            self._showing_lock = True
            if self.app.current == self.name:
                Clock.schedule_once(self._refresh_lock, 1)
        elif getattr(self, "_showing_lock", False):
            self.status = ""
            self._showing_lock = False

    def press(self, digit: str) -> None:
        if len(self.pin) < 12 and not self.checking:
            self.pin += digit

    def clear(self) -> None:
        self.pin = ""

    def submit(self) -> None:
        if self.checking or not self.pin:
            return
        self.checking = True
        pin, self.pin = self.pin, ""
        run_in_background(self._gate().check, pin, on_result=self._checked, on_error=self._failed)

    @alive
    def _checked(self, attempt: Any) -> None:
        self.checking = False
        if attempt.ok:
            self.status = ""
            self.app.go("tech_dashboard", remember=False)
        elif attempt.reason == "no_pin":
            self.say("tech.pin_not_set", "warn")
        elif attempt.reason == "pin_too_short":
            self.say("tech.pin_too_short", "warn")
        elif attempt.locked:
            self._refresh_lock()
        else:
            self.say("tech.pin_wrong", "error", left=attempt.attempts_left)

    @alive
    def _failed(self, exc: BaseException) -> None:
        self.checking = False
        self.say("tech.save_failed", "error", error=type(exc).__name__)

    def reset(self) -> None:
        self.pin = ""
        self.status = ""
