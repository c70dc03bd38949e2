"""Submit journey, step 1: identify with the citizen ID card's QR code.

The citizen holds the card to the camera inside a card-shaped guide; pictures show which
side carries the QR (front of a chip CCCD, back of a Căn cước card). Frames are decoded on a
worker, one at a time (:class:`kiosk.identity.qr.LiveScanner`), with short hints while searching
("Đưa thẻ lại gần hơn", "Giữ yên thẻ"). A valid card opens a confirmation with the name and
the masked number; "Đúng" hands the identity to the submit journey, which moves on. Typing
instead is the journey's ``identify_manual`` step; with a card reader, "Dùng chip: nhập 6 số CAN" is the
``identify_can`` step (screens/chip_can.py). With no card after ``scan_timeout_s`` the
camera stops and the citizen chooses again: try again or type.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.modalview import ModalView

from screens.background import run_in_background
from screens.base import KioskScreen, load_kv
from screens.camera_view import CameraPreview  # noqa: F401  (kv)
from screens.identify_chip import ChipStepView

load_kv(__file__)
log = logging.getLogger(__name__)

HINT_KEYS = {
    "searching": "identify.searching",
    "closer": "identify.closer",
    "hold_still": "identify.hold_still",
    "not_id": "identify.not_id_qr",
}
SEARCH_BEFORE_CLOSER_S = 3.0  # "Đang tìm…" first, then ask to bring the card closer
HINT_HOLD_S = 1.5  # a specific hint stays this long, so it does not flicker
NO_FRAME_S = 3.0  # no picture for this long → say the camera is not available
OVERLAY_COLOURS = {"found": (0.1, 0.8, 0.3, 1), "not_id": (0.9, 0.2, 0.2, 1), "located": (1.0, 0.75, 0.1, 1)}


class ConfirmIdentityDialog(ModalView):
    """"Đây có phải là bạn không?" — name, masked number and birth date; yes / read again."""

    full_name = StringProperty("")
    masked_number = StringProperty("")
    birth_date = StringProperty("")
    card_label = StringProperty("")
    photo_texture = ObjectProperty(None, allownone=True)  # the chip's DG2 photo
    chip_label = StringProperty("")  # "Đã xác thực chip" / "… chưa kiểm chứng" / "Chip không hợp lệ …"
    chip_kind = StringProperty("info")
    yes_cb = ObjectProperty(None, allownone=True)
    no_cb = ObjectProperty(None, allownone=True)


class IdentifyScreen(ChipStepView, KioskScreen):
    """Live preview with the card guide; the camera is ``services.id_camera``; then the chip, with a reader."""

    hint_text = StringProperty("")
    hint_kind = StringProperty("info")
    scan_timeout_s = NumericProperty(60.0)
    found = ObjectProperty(None, allownone=True)  # the identity waiting for confirmation
    guide_color = ListProperty([1, 1, 1, 0.95])
    can_shown = BooleanProperty(False)  # "Dùng chip: nhập 6 số CAN" is offered (a card reader is configured)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scanner: Any = None
        self._decoding = False
        self._generation = 0
        self._entered_at = 0.0
        self._hint_until = 0.0
        self._timeout_ev: Any = None
        self._watch_ev: Any = None
        self._dialog: Any = None

    # ------------------------------------------------------------ navigation

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.submit.watch(self.chip_changed)

    def on_kv_post(self, _base: Any) -> None:
        self._can_button = self.ids.btn_use_can.__self__  # a strong reference: out of the row it would be collected

    def on_pre_enter(self, *_args: Any) -> None:
        self._offer_can()
        self.start_scan()

    def _offer_can(self) -> None:
        """"Dùng chip: nhập 6 số CAN" is in the row only with a card reader (a hidden button would take room)."""
        self.show_can_button(self.journeys is not None and self.chip.available)

    def show_can_button(self, wanted: bool) -> None:
        row, button = self.ids.row_identify_ways, self._can_button
        self.can_shown = wanted
        if wanted and button.parent is None:
            row.add_widget(button, index=len(row.children))  # first in the row
        elif not wanted and button.parent is not None:
            row.remove_widget(button)

    def on_leave(self, *_args: Any) -> None:
        self.stop_scan()
        self._close_dialog()
        self.close_chip_dialog()
        if self.journeys is not None:
            self.chip.clear()  # a wait for the card stops, a read under way is ignored; back here, the QR comes first

    def reset(self) -> None:
        self.stop_scan()
        self._close_dialog()
        self.close_chip_dialog()
        if self.journeys is not None:
            self.chip.cancel()  # the visit is wiped: a worker waiting for the card lets go
        self.found = None
        self.hint_text = ""

    # ------------------------------------------------------------ scanning

    def start_scan(self) -> None:
        """Start (or restart) the camera, the worker and the timeout."""
        from kiosk.identity import LiveScanner

        self.stop_scan()
        self._generation += 1
        self.found = None
        self._scanner = LiveScanner()
        self._entered_at = time.monotonic()
        self._hint_until = 0.0
        self._set_hint("searching", force=True)
        preview = self.ids.preview
        preview.on_frame = self._on_frame
        preview.status_text = ""
        preview.guide_color = [1, 1, 1, 0.95]
        preview.set_overlays([])
        camera = self.services.id_camera if self.services else None
        if camera is not None:
            preview.attach(camera)
        self._timeout_ev = Clock.schedule_once(self._on_timeout, self.scan_timeout_s)
        self._watch_ev = Clock.schedule_interval(self._watch_camera, 0.5)

    def stop_scan(self) -> None:
        """Stop the camera and forget the picture (results still in flight are ignored)."""
        self._generation += 1
        for ev in (self._timeout_ev, self._watch_ev):
            if ev is not None:
                ev.cancel()
        self._timeout_ev = self._watch_ev = None
        if "preview" in self.ids:
            self.ids.preview.detach()
        self._decoding = False

    def _on_frame(self, frame: Any, _frame_id: int) -> None:
        if self._decoding or self._scanner is None or self.found is not None:
            return
        self._decoding = True
        generation = self._generation
        run_in_background(
            self._scanner.scan,
            frame,
            on_result=lambda result: self._on_scan(result, generation),
            on_error=lambda _exc: self._on_scan(None, generation),
        )

    def _on_scan(self, result: Any, generation: int) -> None:
        if generation != self._generation or not self.is_current:
            return  # the citizen left (or the journey moved on), or scanning restarted, meanwhile
        self._decoding = False
        if result is None or self.app is None:
            return
        preview = self.ids.preview
        if result.identity is not None:
            preview.set_overlays([(c.points, OVERLAY_COLOURS["found"]) for c in result.codes])
            self._show_confirm(result.identity)
            return
        if result.hint == "not_id":
            preview.set_overlays([(c.points, OVERLAY_COLOURS["not_id"]) for c in result.codes])
        elif result.located:
            preview.set_overlays([(pts, OVERLAY_COLOURS["located"]) for pts in result.located])
        else:
            preview.set_overlays([])
        self._set_hint(result.hint)

    def _set_hint(self, hint: str, force: bool = False) -> None:
        now = time.monotonic()
        if hint == "searching":
            if not force and now < self._hint_until:
                return
            if now - self._entered_at >= SEARCH_BEFORE_CLOSER_S:
                hint = "closer"
        else:
            self._hint_until = now + HINT_HOLD_S
        self.hint_kind = "warn" if hint == "not_id" else "info"
        self.hint_text = self.app.tr[HINT_KEYS[hint]] if self.app else ""

    def _watch_camera(self, _dt: float) -> None:
        preview = self.ids.preview
        camera = preview.camera
        if preview.has_frame:
            preview.status_text = ""
            return
        silent = time.monotonic() - self._entered_at >= NO_FRAME_S
        if camera is None or getattr(camera, "error", None) or silent:
            preview.status_text = self.app.tr["identify.no_camera"]
            self.hint_text = ""

    def _on_timeout(self, _dt: float) -> None:
        from screens.widgets import show_message

        if self.found is not None or self.manager is None or self.manager.current != self.name:
            return
        self.stop_scan()
        self.hint_text = ""
        tr = self.app.tr
        self._dialog = show_message(
            tr["identify.title"],
            tr["identify.timeout"],
            kind="warn",
            ok_text=tr["identify.retry"],
            cancel_text=tr["identify.manual"],
            on_ok=self.start_scan,
            on_cancel=self.type_instead,
        )

    # ------------------------------------------------------------ confirmation

    def _show_confirm(self, identity: Any, **chip: Any) -> None:
        """The QR is read: with a card reader, the chip step first (the journey's); else confirm at once."""
        self.found = identity
        self.stop_scan()  # the card is read: the camera goes off (and so does the picture)
        self.hint_text = ""
        self._close_dialog()
        if not chip:
            log.info("ID card read (%s, %s)", identity.card_type, identity.masked_id)
            if self.chip.offer(identity):
                return  # "Đặt thẻ lên đầu đọc": the chip dialog follows the journey's state
        tr = self.app.tr
        card = {"cccd_chip": "identify.card_chip", "can_cuoc": "identify.card_can_cuoc"}.get(identity.card_type)
        self._dialog = ConfirmIdentityDialog(
            full_name=identity.full_name,
            masked_number=identity.masked_id,
            birth_date=identity.date_of_birth.strftime("%d/%m/%Y"),
            card_label=tr[card] if card else "",
            yes_cb=self.confirm,
            no_cb=self.read_again,
            **chip,
        )
        self._dialog.open()

    def show_chip_confirm(self, identity: Any, part: Any) -> None:
        """The chip step is over (read, or skipped): confirm with its photo and verdict."""
        if self._dialog is not None and self.found is identity:
            return
        self._show_confirm(identity, **self.chip_confirm_fields(part))

    def confirm(self) -> None:
        """"Đúng, tiếp tục": the identity goes to the submit journey, which moves on."""
        identity = self.found
        self._close_dialog()
        if identity is None:
            return
        self.found = None
        self.journeys.submit.identified(identity)

    def read_again(self) -> None:
        self._close_dialog()
        self.close_chip_dialog()
        self.chip.clear()
        self.found = None
        self.start_scan()

    def use_can(self) -> None:
        """"Dùng chip: nhập 6 số CAN": the chip first, opened with the CAN (the camera stops as the screen goes)."""
        self._close_dialog()
        self.journeys.submit.use_can()

    def type_instead(self) -> None:
        self._close_dialog()
        self.journeys.submit.type_identity()

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.dismiss()
            self._dialog = None
