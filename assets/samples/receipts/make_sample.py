"""Regenerate the sample receipt photo: ``python assets/samples/receipts/make_sample.py``.

A camera-sized frame (1280×720) showing the top of an appointment slip with its
tracking QR (kiosk.aftercare.tracking.format_payload) — an invented dossier, as the demo's
``files:assets/samples/receipts`` camera plays it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

CODE = "000.00.01.H22-251120-0007"
SECRET = "K7P3QX"


def render_receipt_frame(code: str, secret: str, size: tuple[int, int] = (1280, 720), qr_px: int = 300,
                         angle: float = 4.0) -> Image.Image:
    """A grey desk with a slightly rotated white slip carrying the receipt QR and its code."""
    import qrcode

    from kiosk.base.paths import FONT_BOLD, FONT_REGULAR
    from kiosk.aftercare.tracking import format_payload

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(format_payload(code, secret))
    qr.make(fit=True)
    code_img = qr.make_image(fill_color="black", back_color="white").convert("RGB").resize((qr_px, qr_px), Image.NEAREST)
    slip = Image.new("RGB", (760, 520), "white")
    draw = ImageDraw.Draw(slip)
    bold = ImageFont.truetype(str(FONT_BOLD), 28)
    regular = ImageFont.truetype(str(FONT_REGULAR), 24)
    draw.text((30, 24), "GIẤY TIẾP NHẬN HỒ SƠ", font=bold, fill="black")
    draw.text((30, 62), "VÀ HẸN TRẢ KẾT QUẢ", font=bold, fill="black")
    draw.text((30, 120), f"Mã hồ sơ: {code}", font=regular, fill="black")
    draw.text((30, 160), f"Mã tra cứu: {secret}", font=regular, fill="black")
    draw.text((30, 200), "Ngày hẹn trả: 01/12/2026", font=regular, fill="black")
    slip.paste(code_img, (760 - qr_px - 30, 520 - qr_px - 30))
    slip = slip.rotate(angle, expand=True, fillcolor=(120, 112, 100))
    frame = Image.new("RGB", size, (120, 112, 100))
    frame.paste(slip, ((size[0] - slip.width) // 2, (size[1] - slip.height) // 2))
    return frame


if __name__ == "__main__":
    render_receipt_frame(CODE, SECRET).save(HERE / "receipt-qr.png", optimize=True)
    print(HERE / "receipt-qr.png")
