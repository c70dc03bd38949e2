"""The dossier's receipt printed again at the desk (a citizen lost it): *Giấy tiếp nhận hồ sơ và hẹn trả kết
quả* (form 01 of Circular 01/2018/TT-VPCP) as an A4 PDF, with the same tracking QR as the kiosk's slip
(:func:`kiosk.api.receipt_qr`) and the date last promised (an apology's new date, if any)."""

from __future__ import annotations

import io

import qrcode

import kiosk.api as api
from server.apology_pdf import line, new_page
from server.dossier_desk import applicant_name, due_at
from server.models import Dossier


def _qr_png(text: str) -> io.BytesIO:
    img = qrcode.make(text, box_size=6, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return buf


def render(d: Dossier, department: str, officer: str, printed_at, tz) -> bytes:
    pdf = new_page()
    line(pdf, (department or "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ").upper(), 11, True, "C", 0)
    line(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11, True, "C", 0)
    line(pdf, "Độc lập - Tự do - Hạnh phúc", 11, False, "C", 6)
    line(pdf, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", 15, True, "C", 0)
    line(pdf, f"Mã hồ sơ: {d.code}", 12, True, "C", 2)
    y = pdf.get_y()
    pdf.image(_qr_png(api.receipt_qr(d.code, d.secret)), x=pdf.w - pdf.r_margin - 38, y=y, w=38)
    line(pdf, f"Mã tra cứu: {d.secret}", 12, True)
    a = d.meta.get("applicant") or {}
    line(pdf, f"Tiếp nhận hồ sơ của: {applicant_name(d)}")
    if a.get("address"):
        line(pdf, f"Địa chỉ: {a['address']}")
    line(pdf, f"Nội dung yêu cầu giải quyết: {d.procedure_name}")
    pdf.set_y(max(pdf.get_y(), y + 42))
    line(pdf, "Thành phần hồ sơ:", 12, True, after=0)
    for i, doc in enumerate(d.meta.get("documents") or [], 1):
        kind = "bản chính" if doc.get("original") else "bản sao"
        line(pdf, f"{i}. {doc.get('name', '')} ({kind}, {doc.get('count', 1)} bản)", after=0)
    pdf.ln(3)
    received = d.received_at.astimezone(tz)
    due = due_at(d).astimezone(tz)
    line(pdf, f"Thời gian nhận hồ sơ: {received:%H:%M} ngày {received:%d/%m/%Y}")
    line(pdf, f"Thời gian trả kết quả giải quyết hồ sơ: {due:%H:%M} ngày {due:%d/%m/%Y}", 12, True)
    if d.new_appointment_at is not None:
        line(pdf, "(đã hẹn lại theo phiếu xin lỗi và hẹn lại ngày trả kết quả)", 11)
    where = "qua dịch vụ bưu chính" if d.meta.get("collect") == "post" else "tại Bộ phận Tiếp nhận và Trả kết quả"
    line(pdf, f"Nhận kết quả {where}. Tra cứu tình trạng hồ sơ tại ki-ốt bằng mã QR trên giấy này.", after=8)
    line(pdf, f"In lại lúc {printed_at.astimezone(tz):%H:%M ngày %d/%m/%Y}", 11, False, "R", 0)
    line(pdf, "Người in lại", 12, True, "R", 0)
    line(pdf, officer, 12, False, "R")
    return bytes(pdf.output())
