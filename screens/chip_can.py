"""The chip first: the citizen types the 6-digit CAN, then lays the card on the reader (issue 17).

For a citizen whose QR will not read, or who would rather use the chip: the CAN opens the chip by PACE
(``journeys.submit.chip.offer_can``) and the identity is the chip's alone. The CAN, as public readers take it,
is the last 6 digits of the ID number printed on the card's front — the hint says so. The rest is the
identify screen's chip step (:class:`screens.identify_chip.ChipStepView`): "Đặt thẻ lên đầu đọc", progress,
"Giữ thẻ trên đầu đọc", then the confirmation with the photo. A CAN the chip refuses is said here, on the
field, once: the citizen checks the card and types it again (a new attempt only then).
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import StringProperty

from screens.base import KioskScreen, load_kv
from screens.identify import ConfirmIdentityDialog
from screens.identify_chip import ChipStepView
from screens.keyboard import KioskTextInput, VirtualKeyboard  # noqa: F401  (kv)

load_kv(__file__)
log = logging.getLogger(__name__)

INLINE_ERRORS = {"wrong_key": "can.wrong", "bad_access_key": "can.bad"}  # said on the field, not in the dialog


class ChipCanScreen(ChipStepView, KioskScreen):
    """One field for the CAN, the numeric keypad, "Đọc chip"; then the chip dialog and the confirmation."""

    chip_step = "identify_can"
    again_key = "can.again"
    again_icon = "keyboard"
    error_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._dialog: Any = None
        self.found: Any = None

    def on_journeys(self, _inst: Any, journeys: Any) -> None:
        journeys.submit.watch(self.chip_changed)

    def on_pre_enter(self, *_args: Any) -> None:
        self.error_text = ""
        self._focus()

    def on_leave(self, *_args: Any) -> None:
        self.ids.txt_can.focus = False
        self._close_dialog()
        self.close_chip_dialog()
        if self.journeys is not None:
            self.chip.clear()  # a wait for the card stops; the CAN typed is forgotten

    def reset(self) -> None:
        self._close_dialog()
        self.close_chip_dialog()
        if self.journeys is not None:
            self.chip.cancel()
        self.ids.txt_can.text = ""
        self.ids.txt_can.invalid = False
        self.error_text = ""
        self.found = None

    def _focus(self) -> None:
        field = self.ids.txt_can
        keyboard = self.ids.keyboard
        keyboard.target, keyboard.layout, keyboard.method = field, "digits", "off"
        field.focus = True
        field.cursor = field.get_cursor_from_index(len(field.text))

    # ------------------------------------------------------------ the CAN

    def submit(self) -> None:
        """"Đọc chip": a CAN of 6 digits starts the chip step; anything else is said on the field."""
        from kiosk.identity import ChipError

        field = self.ids.txt_can
        field.invalid = False
        self.error_text = ""
        try:
            self.chip.offer_can(field.text)
        except ChipError as e:
            self.show_field_error(e.code)
            log.info("CAN refused before the read: %s", e.code)

    def show_field_error(self, code: str) -> None:
        tr = self.app.tr
        self.error_text = tr[INLINE_ERRORS[code]] if code in INLINE_ERRORS else self.chip.message(self.app.lang)
        self.ids.txt_can.invalid = True
        self._focus()

    def chip_failed_inline(self, part: Any) -> bool:
        if part.state == "failed" and part.error in INLINE_ERRORS:
            self.show_field_error(part.error)
            return True
        return False

    def read_again(self) -> None:
        """The dialog's "Nhập lại mã CAN": back to the field (the wait for the card stops)."""
        self._close_dialog()
        self.close_chip_dialog()
        self.chip.clear()
        self.found = None
        self._focus()

    # ------------------------------------------------------------ confirmation

    def show_chip_confirm(self, identity: Any, part: Any) -> None:
        """The chip is read: its photo, the verdict, the name, the masked number and the birth date."""
        if self._dialog is not None and self.found is identity:
            return
        self._close_dialog()
        self.found = identity
        log.info("ID card chip read by CAN (%s)", identity.masked_id)
        self._dialog = ConfirmIdentityDialog(
            full_name=identity.full_name,
            masked_number=identity.masked_id,
            birth_date=identity.date_of_birth.strftime("%d/%m/%Y"),
            card_label=self.app.tr["can.card_label"],
            yes_cb=self.confirm,
            no_cb=self.read_again,
            **self.chip_confirm_fields(part),
        )
        self._dialog.open()

    def confirm(self) -> None:
        """"Đúng, tiếp tục": the chip's identity goes to the submit journey, which moves on."""
        identity, self.found = self.found, None
        self._close_dialog()
        if identity is not None:
            self.journeys.submit.identified(identity)

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.dismiss()
            self._dialog = None
