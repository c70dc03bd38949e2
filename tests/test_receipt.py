"""The receipt slip and the declaration PDF render Vietnamese and carry the tracking QR."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from kiosk.declarations.receipt import (
    DeclarationLine,
    ReceiptData,
    ReceivedDocument,
    receipt_pdf,
    render_declaration,
    render_slip,
    save_pdf,
)


def _data(**kw) -> ReceiptData:
    base = dict(
        superior_body="UBND TỈNH NINH BÌNH", department="Bộ phận Một cửa UBND phường Hải Vân", procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", applicant_name="Nguyễn Văn An", applicant_id="036089001234",
        applicant_address="Xóm 2, Xã Hải Vân", applicant_phone="0912345678",
        documents=[ReceivedDocument("Tờ khai đăng ký khai sinh", True, 1), ReceivedDocument("Giấy chứng sinh", True, 1, 2)],
        legal_time="Trong ngày", received_at=datetime(2026, 11, 23, 10, 5), appointment_at=datetime(2026, 11, 23, 17),
        collect_at="Quầy 1–2", kiosk_id="KIOSK-01", code="000.00.01.H22-261123-0007", secret="K7P3QX",
    )
    base.update(kw)
    return ReceiptData(**base)


def test_slip_is_one_bit_paper_wide_and_carries_code_and_secret_in_its_qr(artifacts):
    import zxingcpp

    img = render_slip(_data())
    img.save(artifacts / "receipt.png")
    assert img.mode == "1" and img.width == 576
    texts = [b.text for b in zxingcpp.read_barcodes(np.array(img.convert("L")))]
    assert texts == ["MCHS1|000.00.01.H22-261123-0007|K7P3QX"]


def test_slip_for_58mm_paper():
    assert render_slip(_data(), width=384).width == 384


def test_provisional_slip_has_no_qr_and_says_it_is_waiting(artifacts):
    import zxingcpp

    img = render_slip(_data(code=None, secret=None, provisional_ref="A1B2C3D4"))
    img.save(artifacts / "receipt-provisional.png")
    assert not zxingcpp.read_barcodes(np.array(img.convert("L")))


@pytest.mark.slow
def test_slip_text_reads_back_with_tesseract():
    import pytesseract

    img = render_slip(_data()).convert("L")
    text = pytesseract.image_to_string(img, lang="vie")
    assert "Nguyễn Văn An" in text
    assert "17:00 ngày 23/11/2026" in text
    assert "036089001234" not in text  # the full ID number is never printed


def test_declaration_pdf_pages(tmp_path):
    lines = [DeclarationLine("Người đi đăng ký", "", heading=True)] + [DeclarationLine(f"Mục {i}", "Giá trị ữ ặ ỹ") for i in range(90)]
    pages = render_declaration("Tờ khai đăng ký khai sinh", "UBND phường Hải Vân", lines, [ReceivedDocument("Giấy chứng sinh", True, 1)], "Đã xác nhận")
    assert len(pages) >= 2
    pdf = save_pdf(pages, tmp_path / "d.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    both = receipt_pdf(render_slip(_data()), pages, tmp_path / "r.pdf")
    assert both.read_bytes().count(b"/Type /Page") >= 3
