"""The identify screen's chip step, rendered: "Đặt thẻ lên đầu đọc", progress, "Giữ thẻ trên đầu đọc", refusals.

The state is ``visit.submit.chip`` (kiosk/journeys/chip.py), changed only by ``journeys.submit.chip``;
this mixin of :class:`screens.identify.IdentifyScreen` (after the QR) and :class:`screens.chip_can.ChipCanScreen`
(the CAN typed first) shows it in a :class:`ChipDialog` and forwards the citizen's taps. The read's progress is a float the worker writes; a Clock tick copies it to the bar.
The chip's photo arrives decoded (RGB pixels) and only becomes a texture here.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

from screens.base import load_kv

load_kv(__file__)

PROGRESS_TICK_S = 0.1
AUTHENTICITY_KIND = {"authentic": "ok", "unverified": "warn", "invalid": "error"}


class ChipDialog(ModalView):
    """The chip step over the identify screen: what to do, how far the read is, what went wrong."""

    title = StringProperty("")
    body = StringProperty("")
    kind = StringProperty("info")  # info | warn | error
    icon_name = StringProperty("nfc-variant")
    progress = NumericProperty(0.0)
    show_progress = BooleanProperty(False)
    can_retry = BooleanProperty(False)
    can_skip = BooleanProperty(False)
    retry_cb = ObjectProperty(None, allownone=True)
    skip_cb = ObjectProperty(None, allownone=True)
    again_cb = ObjectProperty(None, allownone=True)
    again_text = StringProperty("")  # "" → "Quét lại thẻ"; the CAN screen says "Nhập lại mã CAN"
    again_icon = StringProperty("qrcode-scan")

    def on_kv_post(self, _base: Any) -> None:
        # Strong references: kv's ids are weak, and a button out of the row would otherwise be collected.
        self._buttons = [self.ids[k].__self__ for k in ("btn_chip_again", "btn_chip_skip", "btn_chip_retry")]
        self._layout_buttons()

    def on_can_retry(self, *_args: Any) -> None:
        self._layout_buttons()

    def on_can_skip(self, *_args: Any) -> None:
        self._layout_buttons()

    def _layout_buttons(self) -> None:
        """Only the choices this state offers are in the row (a hidden button would still take its share)."""
        if not hasattr(self, "_buttons"):
            return
        row = self.ids.row_chip_buttons
        wanted = [b for b, shown in zip(self._buttons, (True, self.can_skip, self.can_retry)) if shown]
        if list(reversed(row.children)) != wanted:
            row.clear_widgets()
            for b in wanted:
                row.add_widget(b)


def photo_texture(pixels: Any) -> Texture | None:
    """RGB pixels (``kiosk.identity.chip.photo.Pixels``, decoded on the worker) → a texture, top row up."""
    if pixels is None:
        return None
    tex = Texture.create(size=(pixels.width, pixels.height), colorfmt="rgb")
    tex.blit_buffer(pixels.rgb, colorfmt="rgb", bufferfmt="ubyte")
    tex.flip_vertical()
    return tex


class ChipStepView:
    """Mixin: the chip dialog of the identify screen (needs ``app``, ``journeys``, ``visit``, ``is_current``)."""

    _chip_dialog: Any = None
    _chip_tick: Any = None
    chip_step = "identify"  # the submit journey's step this screen shows
    again_key = ""  # the label of the dialog's way back ("" → "Quét lại thẻ")
    again_icon = "qrcode-scan"

    @property
    def chip(self) -> Any:
        return self.journeys.submit.chip  # type: ignore[attr-defined]

    def chip_changed(self) -> None:
        """The journey's chip state changed: show it (only while this screen is the one shown)."""
        if not self.is_current or self.visit.submit.step != self.chip_step:  # type: ignore[attr-defined]
            return  # another screen, or the journey has moved on (confirmed)
        part = self.visit.submit.chip  # type: ignore[attr-defined]
        if part.state in ("off", "read", "skipped"):
            self.close_chip_dialog()
            if part.state in ("read", "skipped") and self.chip.identity is not None:
                self.show_chip_confirm(self.chip.identity, part)
            return
        if self.chip_failed_inline(part):
            self.close_chip_dialog()
            return
        self._render_chip(part)

    def chip_failed_inline(self, part: Any) -> bool:
        """A failure the screen shows itself instead of the dialog (the CAN screen: a wrong CAN)."""
        return False

    def _render_chip(self, part: Any) -> None:
        tr = self.app.tr  # type: ignore[attr-defined]
        d = self._chip_dialog
        if d is None:
            d = self._chip_dialog = ChipDialog(retry_cb=self.chip.retry, skip_cb=self.chip.skip,
                                               again_cb=self.read_again,  # type: ignore[attr-defined]
                                               again_text=tr[self.again_key] if self.again_key else "",
                                               again_icon=self.again_icon)
            d.open()
            self._chip_tick = Clock.schedule_interval(self._copy_progress, PROGRESS_TICK_S)
        state = part.state
        d.show_progress = state == "reading"
        d.progress = part.progress
        d.can_retry = state == "failed" and self.chip.can_retry
        d.can_skip = state in ("waiting", "failed", "lifted") and part.qr is not None  # "Chỉ dùng mã QR"
        if state == "waiting":
            d.title, d.body, d.kind, d.icon_name = tr["identify.chip.place"], tr["identify.chip.place_hint"], \
                "info", "nfc-variant"
        elif state == "reading":
            d.title, d.body, d.kind, d.icon_name = tr["identify.chip.reading"], "", "info", "nfc"
        elif state == "lifted":
            d.title, d.body, d.kind, d.icon_name = tr["identify.chip.lifted"], tr["identify.chip.lifted_hint"], \
                "warn", "alert-circle"
        elif state == "refused":
            refused = ("identify.chip.refused", "identify.chip.refused_hint") if part.error != "chip_invalid" else \
                ("identify.chip.failed", "")
            body = tr[refused[1]] if refused[1] else self.chip.message(self.app.lang)  # type: ignore[attr-defined]
            d.title, d.body, d.kind, d.icon_name = tr[refused[0]], body, "error", "alert-circle"
        else:  # failed
            own = {"no_card": "identify.chip.no_card", "wrong_key": "identify.chip.wrong_key"}.get(part.error or "")
            body = tr[own] if own else self.chip.message(self.app.lang)  # type: ignore[attr-defined]
            d.title, d.body, d.kind, d.icon_name = tr["identify.chip.failed"], body, "error", "alert-circle"

    def _copy_progress(self, _dt: float) -> None:
        if self._chip_dialog is not None:
            self._chip_dialog.progress = self.visit.submit.chip.progress  # type: ignore[attr-defined]

    def close_chip_dialog(self) -> None:
        if self._chip_tick is not None:
            self._chip_tick.cancel()
            self._chip_tick = None
        if self._chip_dialog is not None:
            self._chip_dialog.dismiss()
            self._chip_dialog = None

    def chip_confirm_fields(self, part: Any) -> dict[str, Any]:
        """What the confirm dialog adds after the chip step: the photo and the verdict in words."""
        tr = self.app.tr  # type: ignore[attr-defined]
        if part.state == "skipped":
            return {"photo_texture": None, "chip_label": tr["identify.chip.skipped"], "chip_kind": "warn"}
        status = part.identity.chip_authenticity if part.identity is not None else None
        return {
            "photo_texture": photo_texture(part.photo),
            "chip_label": tr[f"identify.chip.{status}"] if status else "",
            "chip_kind": AUTHENTICITY_KIND.get(status or "", "info"),
        }
