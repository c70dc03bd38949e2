"""The apology slip of a late dossier, as an A4 PDF to print: *Phiếu xin lỗi và hẹn lại ngày trả kết quả*
(the form of Decree 61/2018/NĐ-CP, Circular 01/2018/TT-VPCP). Text, not an image: Noto Sans is embedded
(Vietnamese glyphs), so the slip can be searched and its words read back (the tests use pypdf)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from server.dossier_desk import applicant_name
from server.models import Dossier

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"


def new_page() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 18, 22)
    pdf.add_font("Noto", "", str(FONTS / "NotoSans-Regular.ttf"))
    pdf.add_font("Noto", "B", str(FONTS / "NotoSans-Bold.ttf"))
    pdf.set_auto_page_break(True, 18)
    pdf.add_page()
    return pdf


def line(pdf: FPDF, text: str, size: float = 12, bold: bool = False, align: str = "L", after: float = 2) -> None:
    pdf.set_font("Noto", "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after)


def render(d: Dossier, department: str, officer: str, tz) -> bytes:
    """The slip's PDF bytes (``d`` holds an apology: ``apology_reason`` and ``new_appointment_at``)."""
    pdf = new_page()
    line(pdf, (department or "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ").upper(), 11, True, "C", 0)
    line(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11, True, "C", 0)
    line(pdf, "Độc lập - Tự do - Hạnh phúc", 11, False, "C", 8)
    line(pdf, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", 15, True, "C", 6)
    line(pdf, f"Kính gửi: Ông/Bà {applicant_name(d)}", 12, True)
    received = d.received_at.astimezone(tz)
    appointment = d.appointment_at.astimezone(tz)
    new = d.new_appointment_at.astimezone(tz) if d.new_appointment_at else None
    line(pdf, f"Ngày {received:%d/%m/%Y}, {department or 'Bộ phận Một cửa'} tiếp nhận hồ sơ "
               f"của Ông/Bà đề nghị giải quyết thủ tục: {d.procedure_name}.")
    line(pdf, f"Mã hồ sơ: {d.code}")
    line(pdf, f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {appointment:%H:%M} ngày {appointment:%d/%m/%Y}.")
    line(pdf, "Tuy nhiên đến nay, cơ quan giải quyết chưa trả kết quả giải quyết hồ sơ của Ông/Bà.")
    line(pdf, f"Lý do: {d.apology_reason or ''}", 12, True)
    line(pdf, "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi thành thật xin lỗi Ông/Bà và "
               "xin hẹn lại thời gian trả kết quả:")
    if new is not None:
        line(pdf, f"Ngày hẹn trả kết quả mới: {new:%H:%M} ngày {new:%d/%m/%Y}", 13, True, after=4)
    line(pdf, "Mong nhận được sự thông cảm của Ông/Bà.", after=10)
    issued = d.apology_at.astimezone(tz) if d.apology_at else received
    line(pdf, f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}", 12, False, "R", 0)
    line(pdf, "Cán bộ lập phiếu", 12, True, "R", 0)
    line(pdf, officer, 12, False, "R")
    return bytes(pdf.output())
