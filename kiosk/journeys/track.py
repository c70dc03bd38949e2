"""The track journey: the receipt's QR under the camera (or the code typed) → the status in plain words.

Camera frames are offered one at a time (a frame is decoded only when none is in flight and no lookup
runs); a receipt starts the lookup at once, another QR (an ID card, a payment code) gives its own short
message and scanning goes on. The lookup ends in the result step, or stays with a message: offline,
not found.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.journeys.base import Journey
from kiosk.journeys.visit import TrackPart

if TYPE_CHECKING:
    from kiosk.aftercare import TrackingRef, TrackingResult
    from kiosk.journeys.visit import Visit

log = logging.getLogger(__name__)


class Tracking(Protocol):
    """What the journey needs of ``kiosk.aftercare.TrackingService``."""

    unit_id: str | None

    def ref(self, code: str, secret: str) -> TrackingRef: ...

    def lookup(self, ref: TrackingRef, lang: str = "vi") -> TrackingResult: ...


class TrackServices(Protocol):
    @property
    def visit(self) -> Visit: ...

    @property
    def tracking(self) -> Tracking | None: ...


def read_receipt(frame: Any, unit_id: str | None) -> tuple[str, Any]:
    """Blocking: ("ref", TrackingRef) for a receipt's QR, ("error", key) for another QR, ("none", None)."""
    from kiosk.aftercare import TrackingError, parse_payload
    from kiosk.identity import decode_qr

    error = ""
    for code in decode_qr(frame):
        try:
            return "ref", parse_payload(code.text, unit_id)
        except TrackingError as e:
            error = error or e.key
    return ("error", error) if error else ("none", None)


class TrackJourney(Journey[TrackPart]):
    name = "track"
    services: TrackServices
    lang: str = "vi"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decoding: TrackPart | None = None  # the visit part a frame is being read for (one at a time)

    @property
    def busy(self) -> bool:
        return self.part.state == "looking_up"

    @property
    def result(self) -> TrackingResult | None:
        return self.part.result

    # ------------------------------------------------------------ transitions

    def start(self) -> None:
        self._restart("scan")

    def type_instead(self) -> None:
        """"Nhập mã bằng tay"."""
        self.part.error = ""
        self._go("type")

    def offer_frame(self, frame: Any) -> bool:
        """A camera frame to read; False (and nothing done) while another is read or a lookup runs."""
        if self._decoding is self.part or self.busy or self.part.step != "scan":
            return False
        self._decoding = self.part
        tracking = self.services.tracking
        unit = tracking.unit_id if tracking is not None else None
        self._work(lambda: read_receipt(frame, unit), self._read, self._read_failed)
        return True

    def _read_failed(self, _exc: BaseException) -> None:
        self._decoding = None

    def _read(self, outcome: tuple[str, Any]) -> None:
        self._decoding = None
        if self.busy or self.part.step != "scan":
            return
        kind, value = outcome
        if kind == "ref":
            self.lookup(value)
        elif kind == "error" and value != self.part.error:
            self.part.error = value
            self.changed()

    def typed(self, code: str, secret: str) -> str:
        """The code and secret typed → the lookup; or the error key (``bad_code`` / ``bad_secret``: the field to fix)."""
        from kiosk.aftercare import TrackingError

        if self.busy:
            return ""
        tracking = self.services.tracking
        try:
            if tracking is None:
                raise TrackingError("offline")
            ref = tracking.ref(code, secret)
        except TrackingError as e:
            self.part.error = e.key
            self.changed()
            return e.key
        self.lookup(ref)
        return ""

    def lookup(self, ref: TrackingRef) -> None:
        """Ask the backend (blocking work); the result step, or a message on this step."""
        tracking = self.services.tracking
        part = self.part
        part.error = ""
        if tracking is None:
            part.error = "offline"
            self.changed()
            return
        part.state = "looking_up"
        self.changed()
        lang = self.lang
        self._work(lambda: tracking.lookup(ref, lang), self._found, self._not_found)

    def _found(self, result: TrackingResult) -> None:
        part = self.part
        part.state, part.result, part.error = "found", result, ""
        self._go("result")

    def _not_found(self, exc: BaseException) -> None:
        from kiosk.aftercare import TrackingError

        part = self.part
        part.state = "waiting"
        part.error = exc.key if isinstance(exc, TrackingError) else "failed"
        self.changed()

    def again(self) -> None:
        """"Tra cứu hồ sơ khác"."""
        part = self.part
        part.state, part.result, part.error = "waiting", None, ""
        self._restart("scan")

    def rate(self) -> None:
        """"Đánh giá": rate the dossier just looked up."""
        result = self.part.result
        self.handoff("rate", dossier_code=result.code if result is not None else None)
