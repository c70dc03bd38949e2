"""The chip's faults, each with a code the identify screen turns into words (vi for the citizen, en for logs).

Messages never hold an ID number or a name: they go to logs as they are.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "no_reader": ("Không tìm thấy đầu đọc thẻ", "no card reader"),
    "no_card": ("Đặt thẻ lên đầu đọc", "no card on the reader"),
    "card_removed": ("Giữ thẻ trên đầu đọc", "the card was lifted during the read; hold it on the reader"),
    "reader_busy": ("Đầu đọc đang bận, vui lòng thử lại", "the reader is busy (used by another program)"),
    "wrong_key": ("Thông tin thẻ không khớp khoá chip — kiểm tra lại số thẻ, ngày sinh, ngày hết hạn",
                  "the chip refused the access key (MRZ data or CAN wrong)"),
    "pace_unavailable": ("Chip này không mở được bằng mã CAN — dùng các dòng MRZ ở mặt sau thẻ",
                         "this chip offers no PACE cipher suite built here; use the MRZ"),
    "bad_access_key": ("Thông tin để mở chip không hợp lệ", "the access key data is not valid"),
    "not_emrtd": ("Thẻ không phải căn cước gắn chip", "the card is not an ICAO eMRTD"),
    "protocol": ("Không đọc được chip, vui lòng thử lại", "the chip answered something unexpected"),
    "bad_data": ("Dữ liệu chip không đọc được", "a data group could not be parsed"),
    "chip_invalid": ("Chip không hợp lệ — hãy quét mã QR trên thẻ hoặc nhập thông tin bằng tay",
                     "the chip failed passive authentication and no QR was read to fall back on"),
    "chip_mismatch": ("Thông tin chip không khớp với mã QR trên thẻ", "the chip's data disagree with the QR identity"),
}


class ChipError(Exception):
    """A chip read that did not give an identity; ``code`` is a key of :data:`MESSAGES`."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code if code in MESSAGES else "protocol"
        self.message_vi, self.message_en = MESSAGES[self.code]
        self.detail = detail
        super().__init__(f"{self.code}: {self.message_en}" + (f" ({detail})" if detail else ""))

    @property
    def retry_helps(self) -> bool:
        """True when the same key on the same card may work next time (lifted card, busy reader)."""
        return self.code in {"card_removed", "reader_busy", "no_card", "protocol"}

    def message(self, lang: str = "vi") -> str:
        return self.message_vi if lang == "vi" else self.message_en


class WrongKeyError(ChipError):
    """BAC mutual authentication failed: the MRZ data (or CAN) do not open this chip. Never retried."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("wrong_key", detail)


class CardRemovedError(ChipError):
    """The card left the field before the read finished: "Giữ thẻ trên đầu đọc", then read again."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("card_removed", detail)


class ChipMismatchError(ChipError):
    """The chip and the QR describe different people (or a field differs): refused."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__("chip_mismatch", "differs: " + ", ".join(fields))
