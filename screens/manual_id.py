"""Typing instead of the card: ID number, full name and date of birth with the kiosk keyboard.

For a citizen whose card will not read (worn QR, old paper CMND at home, no camera). The
same checks as the card (:func:`kiosk.identity.payload.identity_from_manual`): 12 digits, province,
the sex/century digit and the year digits against the birth date — so a typing slip is
caught here, not by the officer. One keyboard serves the three fields: digits for the number
and the date, Vietnamese letters for the name.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.properties import StringProperty

from screens.base import KioskScreen, load_kv
from screens.keyboard import KioskTextInput, VirtualKeyboard  # noqa: F401  (kv)

load_kv(__file__)
log = logging.getLogger(__name__)

FIELDS = ("txt_id_number", "txt_full_name", "txt_dob")
FIELD_FOR_ERROR = {
    "bad_id_number": "txt_id_number", "unknown_province": "txt_id_number", "sex_mismatch": "txt_id_number",
    "century_mismatch": "txt_dob", "year_mismatch": "txt_dob", "bad_date": "txt_dob", "future_date": "txt_dob",
    "missing_name": "txt_full_name", "bad_name": "txt_full_name",
}


class ManualIdScreen(KioskScreen):
    """Three fields, one keyboard, a "Xác nhận" button; errors in plain Vietnamese."""

    error_text = StringProperty("")
    active_field = StringProperty("txt_id_number")

    def on_pre_enter(self, *_args: Any) -> None:
        self.error_text = ""
        self.focus_field("txt_id_number")

    def on_leave(self, *_args: Any) -> None:
        for name in FIELDS:
            self.ids[name].focus = False

    def reset(self) -> None:
        for name in FIELDS:
            self.ids[name].text = ""
            self.ids[name].invalid = False
        self.error_text = ""

    def focus_field(self, name: str, to_end: bool = True) -> None:
        """Point the keyboard at a field (digits for number and date, letters for the name).

        ``to_end`` puts the cursor after the text (the keyboard's "Xong", an error); a finger on
        the field (``to_end=False``) keeps the cursor where it touched."""
        self.active_field = name
        for other in FIELDS:
            if other != name:
                self.ids[other].focus = False
        keyboard = self.ids.keyboard
        keyboard.target = self.ids[name]
        keyboard.layout = "text" if name == "txt_full_name" else "numeric"
        # Telex only for the name: the other fields are digits and signs, nothing to compose.
        keyboard.method = "telex" if name == "txt_full_name" else "off"
        field = self.ids[name]
        field.focus = True
        if to_end:
            field.cursor = field.get_cursor_from_index(len(field.text))

    def next_field(self) -> None:
        """The keyboard's "Xong" key: next field, or confirm on the last one."""
        i = FIELDS.index(self.active_field)
        if i + 1 < len(FIELDS):
            self.focus_field(FIELDS[i + 1])
        else:
            self.submit()

    def submit(self) -> None:
        """"Xác nhận": the submit journey checks the identity and moves on, or the field to fix is shown."""
        from kiosk.identity import IdentityError

        for name in FIELDS:
            self.ids[name].invalid = False
        try:
            self.journeys.submit.identify_by_hand(
                self.ids.txt_id_number.text, self.ids.txt_full_name.text, self.ids.txt_dob.text)
        except IdentityError as e:
            self.error_text = e.message(self.app.lang)
            field = FIELD_FOR_ERROR.get(e.code, "txt_id_number")
            self.ids[field].invalid = True
            self.focus_field(field)
            log.info("manual identity refused: %s", e.code)
            return
        self.error_text = ""
