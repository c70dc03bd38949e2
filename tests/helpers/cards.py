"""ID-card QR payloads of invented citizens (DOMAIN.md's examples), the one copy the tests share.

The fields are what the card's QR holds: number | old CMND number | name | birth ddmmyyyy | sex |
address | issue ddmmyyyy (a Căn cước, issued from 1 July 2024, adds four more fields).
"""

from __future__ import annotations

# A chip CCCD (issued 2021), born 1989 in Nam Định: the citizen of most journeys.
CHIP_CCCD = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"
# A chip CCCD without an old CMND number, born 2005 in Hà Nội.
CHIP_CCCD_NO_OLD_NUMBER = ("001305012345||Trần Thị Bình|07092005|Nữ|Số 12 ngõ 5 phố Huế, Phường Phạm Đình Hổ, "
                           "Quận Hai Bà Trưng, Hà Nội|12102021")
# A Căn cước card (issued 2025, the four extra fields empty), born 1994 in Hồ Chí Minh City.
CAN_CUOC = "079194003210|025987654|Lê Thị Cúc|21111994|Nữ|Tổ 3, Khu phố 4, Phường Sài Gòn, Thành phố Hồ Chí Minh|05082025||||"
# The first citizen born 1950: 60+, so the kiosk suggests the elderly priority.
ELDER = "036050001234|163456789|Nguyễn Văn An|15031950|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"

# Shaped like a card's QR but breaking one rule each, keyed by the IdentityError code they must give.
INVALID = {
    "unknown_province": "099089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Hải Vân|20042021",
    "sex_mismatch": "036189001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Hải Vân|20042021",
    "year_mismatch": "036088001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Hải Vân|20042021",
    "not_id_card": "036089001234|163456789|Nguyễn Văn An|15031989|Nam|20042021",
    "bad_date": "036089001234|163456789|Nguyễn Văn An|31021989|Nam|Xóm 2, Hải Vân|20042021",
}

VALID = (CHIP_CCCD, CHIP_CCCD_NO_OLD_NUMBER, CAN_CUOC)
