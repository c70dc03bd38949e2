"""Invented citizens for the generated ID-card frames (tests/gen_id_frames.py): names, places and
valid QR payloads by DOMAIN.md §1–2's rules. Split from gen_id_frames to keep modules short."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Thành", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Diệu", "Bích", "Kim"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hùng", "Khải", "Lộc", "Nghĩa", "Phúc", "Quý", "Sơn", "Tuấn", "Việt", "Trọng"]
GIVEN_F = ["Anh", "Cúc", "Dung", "Giang", "Hằng", "Hương", "Lan", "Mai", "Nga", "Oanh", "Phượng", "Thảo", "Tuyết", "Yến", "Ngữ"]
PLACES = [
    "Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định",
    "Số 12 ngõ 5 phố Huế, Phường Phạm Đình Hổ, Quận Hai Bà Trưng, Hà Nội",
    "Tổ 3, Khu phố 4, Phường Sài Gòn, Thành phố Hồ Chí Minh",
    "Thôn Đông, Xã Yên Định, Thanh Hóa",
    "Số 45 đường Lê Lợi, Phường Vĩnh Ninh, Thừa Thiên Huế",
    "Ấp Mỹ Hòa, Xã Mỹ Thuận, Huyện Mỹ Tú, Sóc Trăng",
    "Khối 7, Phường Hưng Dũng, Thành phố Vinh, Nghệ An",
]
def _provinces() -> list[str]:
    return sorted(json.loads((ROOT / "config" / "province_codes.json").read_text(encoding="utf-8")))


def random_payload(rng: random.Random) -> str:
    """A valid payload of an invented person (chip CCCD or Căn cước by issue date)."""
    female = rng.random() < 0.5
    born = date(1935, 1, 1) + timedelta(days=rng.randrange(0, (date(2011, 12, 31) - date(1935, 1, 1)).days))
    g = (born.year - 1900) // 100 * 2 + (1 if female else 0)
    number = f"{rng.choice(_provinces())}{g}{born.year % 100:02d}{rng.randrange(10**6):06d}"
    name = " ".join([rng.choice(SURNAMES), rng.choice(MIDDLE_F if female else MIDDLE_M), rng.choice(GIVEN_F if female else GIVEN_M)])
    first_issue = max(date(2021, 1, 1), born + timedelta(days=14 * 366))
    issued = first_issue + timedelta(days=rng.randrange(0, max(1, (date(2026, 6, 1) - first_issue).days)))
    old = f"{rng.randrange(10**8, 10**9):09d}" if born.year < 2000 and rng.random() < 0.7 else ""
    fields = [number, old, name, born.strftime("%d%m%Y"), "Nữ" if female else "Nam", rng.choice(PLACES), issued.strftime("%d%m%Y")]
    if issued >= date(2024, 7, 1):
        fields += ["", "", "", ""]
    return "|".join(fields)
