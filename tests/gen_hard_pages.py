"""Flat pages of the hard camera set: the papers a One-Door kiosk is really shown.

Each template gives a :class:`FlatPage`: a 300-dpi grey render, its ground-truth text (in the
order tesseract reads a page: line by line, a two-column header read across), its paper size,
and the form values the page carries (for the field-extraction benchmark). Papers: filled
declarations (from :mod:`gen_documents`), the receipt slip the kiosk prints itself
(:func:`kiosk.declarations.receipt.render_slip`), a giấy chứng sinh, a sổ hộ khẩu-like booklet page, an ID
card photocopy and a page with a table. Fonts: Noto and DejaVu from Debian (Makefile
``fonts-noto-core fonts-dejavu-core``); serif 13 pt like official papers, sans 11 pt.
Names and numbers are invented.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import gen_documents as g
import numpy as np
from PIL import Image, ImageDraw, ImageFont

DPI = 300
MM = DPI / 25.4
SERIF = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf")
SERIF2 = ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")
SANS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
SANS2 = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_STYLES = [(SERIF, 13.0), (SANS, 11.0), (SERIF2, 13.0), (SANS2, 11.0)]
HOSPITALS = ["Bệnh viện Đa khoa tỉnh Ninh Bình", "Bệnh viện Phụ sản Hà Nội", "Trạm y tế xã Tân Phú", "Bệnh viện Từ Dũ"]


@dataclass
class FlatPage:
    image: np.ndarray  # grey uint8, 300 dpi
    text: str
    kind: str
    fields: dict[str, str] = field(default_factory=dict)  # form field key -> value as the form shows it
    document: str = ""  # catalog document key whose `reads` these fields test
    procedure: str = ""


class Sheet:
    """Top-to-bottom layout on a blank sheet; records the truth as it draws."""

    def __init__(self, size_mm: tuple[float, float], fonts: tuple[str, str], pt: float, margin_mm: float = 20) -> None:
        self.w, self.h = round(size_mm[0] * MM), round(size_mm[1] * MM)
        self.img = Image.new("L", (self.w, self.h), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.fonts, self.pt = fonts, pt
        self.left, self.y = round(margin_mm * MM), round(margin_mm * 0.8 * MM)
        self.right = self.w - self.left
        self.truth: list[str] = []

    def font(self, pt: float | None = None, bold: bool = False) -> ImageFont.FreeTypeFont:
        return g._font(self.fonts[1] if bold else self.fonts[0], pt or self.pt)

    def _fit(self, text: str, pt: float, bold: bool, width: float) -> ImageFont.FreeTypeFont:
        f = self.font(pt, bold)
        w = self.draw.textlength(text, font=f)
        return self.font(pt * width / w * 0.98, bold) if w > width else f

    def line(self, text: str = "", *, bold: bool = False, center: bool = False, pt: float | None = None, gap: float = 1.5) -> None:
        pt = pt or self.pt
        if text:
            f = self._fit(text, pt, bold, self.right - self.left)
            w = self.draw.textlength(text, font=f)
            x = self.left + (self.right - self.left - w) / 2 if center else self.left
            self.draw.text((x, self.y), text, font=f, fill=0)
            self.truth.append(text)
        self.y += round(pt * DPI / 72 * gap)

    def two(self, left: str, right: str, *, bold: bool = True, pt: float | None = None) -> None:
        """A header line in two columns (agency left, motto right), each centred in its half."""
        pt = pt or self.pt - 1
        mid = self.left + (self.right - self.left) * 0.42
        parts = []
        for text, x0, x1 in ((left, self.left, mid - 20), (right, mid + 20, self.right)):
            if text:
                f = self._fit(text, pt, bold, x1 - x0)
                w = self.draw.textlength(text, font=f)
                self.draw.text((x0 + (x1 - x0 - w) / 2, self.y), text, font=f, fill=0)
                parts.append(text)
        self.truth.append(" ".join(parts))
        self.y += round(pt * DPI / 72 * 1.5)

    def table(self, rows: list[list[str]], widths: list[float], *, bold_first: bool = True) -> None:
        """A ruled table; the truth reads it row by row."""
        pt = self.pt - 1
        step = round(pt * DPI / 72 * 2.0)
        total = self.right - self.left
        xs = [self.left + round(total * sum(widths[:i]) / sum(widths)) for i in range(len(widths) + 1)]
        top = self.y
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                f = self._fit(cell, pt, bold_first and r == 0, xs[c + 1] - xs[c] - 30) if cell else None
                if f:
                    self.draw.text((xs[c] + 15, self.y + step * 0.22), cell, font=f, fill=0)
            self.truth.append(" ".join(c for c in row if c))
            self.y += step
        for x in xs:
            self.draw.line([(x, top), (x, self.y)], fill=0, width=3)
        for k in range(len(rows) + 1):
            self.draw.line([(xs[0], top + k * step), (xs[-1], top + k * step)], fill=0, width=3)
        self.y += step // 2

    def array(self) -> np.ndarray:
        return np.array(self.img)


def _vn_date(d: int, m: int, y: int) -> str:
    return f"{d:02d}/{m:02d}/{y}"


def birth_certificate(rng: random.Random, fonts: tuple[str, str], pt: float) -> FlatPage:
    """Giấy chứng sinh (mẫu của Bộ Y tế): the hospital's paper the parents bring for khai sinh."""
    s = Sheet((210, 297), fonts, pt)
    mother, child = g._name(rng), g._name(rng).split()
    child = " ".join([mother.split()[0] if rng.random() < 0.3 else child[0]] + child[1:])
    md, mm, my = g._date(rng, 1985, 2004)
    cd, cm, cy = g._date(rng, 2025, 2026)
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    hospital = rng.choice(HOSPITALS)
    commune, province, street = rng.choice(g.COMMUNES)
    sex = rng.choice(["Nam", "Nữ"])
    s.two("SỞ Y TẾ " + province.split(" ", 1)[1].upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.two(hospital.upper() if len(hospital) < 30 else "BỆNH VIỆN ĐA KHOA", "Độc lập - Tự do - Hạnh phúc")
    s.two(f"Số: {rng.randint(100, 9999)}/GCS", "")
    s.line()
    s.line("GIẤY CHỨNG SINH", bold=True, center=True, pt=pt + 3)
    s.line()
    s.line(f"Họ và tên mẹ: {mother}")
    s.line(f"Năm sinh: {my}. Dân tộc: Kinh")
    s.line(f"Số định danh cá nhân: {g._id_number(rng, my, True)}")
    s.line(f"Nơi đăng ký thường trú: {street}, {commune}, {province}")
    s.line(f"Đã sinh con vào lúc: {hour} giờ {minute} phút, ngày {cd:02d} tháng {cm:02d} năm {cy}")
    s.line(f"Tại: {hospital}")
    s.line("Số con trong lần sinh: 1")
    s.line(f"Giới tính của con: {sex}")
    s.line(f"Cân nặng: {rng.randint(25, 42) * 100} gam")
    s.line(f"Dự định đặt tên con là: {child}")
    s.line()
    s.line(f"Ngày {cd} tháng {cm} năm {cy}", center=True)
    s.two("Người đỡ đẻ", "Thủ trưởng cơ sở y tế")
    fields = {"tre_ho_ten": child, "tre_ngay_sinh": _vn_date(cd, cm, cy), "tre_gioi_tinh": "nam" if sex == "Nam" else "nu",
              "tre_noi_sinh": hospital, "me_ho_ten": mother, "me_nam_sinh": str(my)}
    return FlatPage(s.array(), "\n".join(s.truth), "giay_chung_sinh", fields, "giay_chung_sinh", "1.001193")


def household_book(rng: random.Random, fonts: tuple[str, str], pt: float) -> FlatPage:
    """A sổ hộ khẩu-like booklet page (A5): the household's head and members in a table."""
    s = Sheet((148, 210), fonts, pt - 1.5, margin_mm=12)
    owner = g._name(rng)
    d, m, y = g._date(rng, 1955, 1985)
    commune, province, street = rng.choice(g.COMMUNES)
    s.line("SỔ HỘ KHẨU", bold=True, center=True, pt=pt + 2)
    s.line(f"Số: {rng.randint(100000, 999999)}", center=True)
    s.line(f"Họ và tên chủ hộ: {owner}")
    s.line(f"Nơi thường trú: {street}, {commune}, {province}")
    s.line(f"Ngày sinh: {_vn_date(d, m, y)}. Giới tính: Nam")
    rows = [["Họ và tên", "Quan hệ", "Năm sinh"], [owner, "Chủ hộ", str(y)]]
    for rel in ("Vợ", "Con", "Con"):
        rows.append([g._name(rng), rel, str(rng.randint(y + 1, 2020))])
    s.table(rows, [2.3, 1.0, 1.0])
    s.line(f"Ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {rng.randint(2005, 2020)}", center=True)
    s.line("TRƯỞNG CÔNG AN", bold=True, center=True)
    fields = {"chu_ho_ho_ten": owner}
    return FlatPage(s.array(), "\n".join(s.truth), "so_ho_khau", fields, "cho_o_hop_phap", "1.004194")


def id_photocopy(rng: random.Random, fonts: tuple[str, str], pt: float) -> FlatPage:
    """An A4 photocopy of an ID card (front): the grey card with its lines, a photo box, toner speckle."""
    s = Sheet((210, 297), SANS, 10.0)
    name = g._name(rng)
    female = rng.random() < 0.5
    d, m, y = g._date(rng, 1960, 2004)
    number = g._id_number(rng, y, female)
    commune, province, street = rng.choice(g.COMMUNES)
    s.line("BẢN SAO", bold=True, center=True, pt=12)
    s.y += round(8 * MM)
    x0, y0 = round(45 * MM), s.y
    cw, ch = round(120 * MM), round(76 * MM)  # enlarged 140 % as offices often copy
    s.draw.rounded_rectangle([x0, y0, x0 + cw, y0 + ch], radius=40, fill=200, outline=60, width=5)
    s.draw.rectangle([x0 + 40, y0 + 260, x0 + 40 + round(26 * MM), y0 + 260 + round(34 * MM)], fill=120)
    tx = x0 + 60 + round(28 * MM)
    ty = y0 + 50
    card_lines = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("CĂN CƯỚC", True), (f"Số định danh cá nhân: {number}", False),
                  (f"Họ, chữ đệm và tên: {name}", False), (f"Ngày sinh: {_vn_date(d, m, y)}", False),
                  (f"Giới tính: {'Nữ' if female else 'Nam'}. Quốc tịch: Việt Nam", False),
                  (f"Nơi thường trú: {street}, {commune}", False)]
    for i, (text, bold) in enumerate(card_lines):
        f = s._fit(text, 9.5 if i > 1 else 10.5, bold, x0 + cw - tx - 30 if i > 1 else cw - 80)
        x = tx if i > 1 else x0 + (cw - s.draw.textlength(text, font=f)) / 2
        s.draw.text((x, ty), text, font=f, fill=30)
        s.truth.append(text)
        ty += round(10 * DPI / 72 * (1.75 if i > 1 else 1.5))
    s.y = y0 + ch + round(15 * MM)
    s.line("Chứng thực bản sao đúng với bản chính", center=True, pt=11)
    arr = s.array().astype(np.float32)
    nrng = np.random.default_rng(rng.randint(0, 10**6))
    speck = nrng.random(arr.shape) < 0.0015
    arr[speck] = 90
    arr = arr * 0.97 + 4
    fields = {"ho_ten": name, "so_dinh_danh": number, "ngay_sinh": _vn_date(d, m, y), "gioi_tinh": "nu" if female else "nam"}
    return FlatPage(np.clip(arr, 0, 255).astype(np.uint8), "\n".join(s.truth), "cccd_ban_sao", fields, "cccd_ban_sao", "LLTP.01")


def fee_table(rng: random.Random, fonts: tuple[str, str], pt: float) -> FlatPage:
    """A page with a table: a list of received papers as an office prints it."""
    s = Sheet((210, 297), fonts, pt)
    commune, province, _ = rng.choice(g.COMMUNES)
    s.two(f"ỦY BAN NHÂN DÂN {commune.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    s.two("BỘ PHẬN MỘT CỬA", "Độc lập - Tự do - Hạnh phúc")
    s.line()
    s.line("DANH MỤC HỒ SƠ TIẾP NHẬN", bold=True, center=True, pt=pt + 2)
    s.line(f"Ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2026", center=True)
    rows = [["STT", "Họ và tên", "Thủ tục", "Số trang"]]
    for i in range(1, 9):
        rows.append([str(i), g._name(rng), rng.choice(["Khai sinh", "Kết hôn", "Tạm trú", "Chứng thực"]), str(rng.randint(1, 12))])
    s.table(rows, [0.6, 2.4, 1.5, 1.0])
    s.line("Người lập biểu", bold=True, center=True)
    return FlatPage(s.array(), "\n".join(s.truth), "bang")


def declaration(rng: random.Random, fonts: tuple[str, str], pt: float) -> FlatPage:
    """A filled paper declaration from the flat set's templates, in this page's font and size."""
    lines = rng.choice(g.TEMPLATES)(rng)
    s = Sheet((210, 297), fonts, pt)
    for ln in lines:
        s.line(ln.text, bold=ln.bold, center=ln.center, pt=pt + (2 if ln.size > 14 else 0))
    return FlatPage(s.array(), "\n".join(s.truth), "to_khai")


@contextmanager
def _recording_slip(truth: list[str]):
    """Record every text the real slip renderer draws (its wrapping does not matter to the CER)."""
    from kiosk.printing import slip as render

    original = render.Slip

    class Recording(original):  # type: ignore[misc, valid-type]
        def text(self, text, *a, **k):
            truth.append(text)
            return super().text(text, *a, **k)

        def columns(self, left, right, *a, **k):
            truth.append(f"{left} {right}")
            return super().columns(left, right, *a, **k)

        def big(self, text, *a, **k):
            truth.append(text)
            return super().big(text, *a, **k)

        def beside(self, picture, lines, *a, **k):
            truth.extend(t for t, _s, _b in lines)
            return super().beside(picture, lines, *a, **k)

    render.Slip = Recording
    try:
        yield
    finally:
        render.Slip = original


def receipt_slip(rng: random.Random, fonts: tuple[str, str], pt: float) -> FlatPage:
    """The kiosk's own 80 mm receipt (1-bit, 203 dpi) on a white strip, scaled to 300 dpi."""
    from kiosk.declarations.receipt import ReceiptData, ReceivedDocument, render_slip

    commune, province, street = rng.choice(g.COMMUNES)
    data = ReceiptData(
        superior_body=f"UBND {province.upper()}", department=f"Bộ phận Một cửa UBND {commune}", procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", applicant_name=g._name(rng), applicant_id=g._id_number(rng, 1990, False),
        applicant_address=f"{street}, {commune}", applicant_phone=f"09{rng.randint(10000000, 99999999)}",
        documents=[ReceivedDocument("Tờ khai đăng ký khai sinh", True, 1), ReceivedDocument("Giấy chứng sinh", True, 1, 1)],
        legal_time="Trong ngày", received_at=datetime(2026, 11, rng.randint(2, 27), 9, rng.randint(0, 59)),
        appointment_at=datetime(2026, 11, 28, 16, 30), collect_at="Quầy 1–2", kiosk_id="KIOSK-01",
        code=f"000.00.01.H22-2611{rng.randint(10, 28)}-{rng.randint(1, 999):04d}", secret="K7P3QX",
    )
    truth: list[str] = []
    with _recording_slip(truth):
        slip = render_slip(data)
    grey = slip.convert("L")
    scale = DPI / 203
    grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.BICUBIC)
    pad = round(4 * MM)
    strip = Image.new("L", (grey.width + 2 * pad, grey.height + 2 * pad + round(10 * MM)), 255)
    strip.paste(grey, (pad, pad))
    return FlatPage(np.array(strip), "\n".join(truth), "bien_nhan")


TEMPLATES = [birth_certificate, declaration, receipt_slip, household_book, id_photocopy, fee_table]
