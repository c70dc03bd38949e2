"""The receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả) and the declaration PDF.

The slip follows form 01 of Circular 01/2018/TT-VPCP as far as an 80 mm roll allows
(DOMAIN.md §3): receiving body, dossier code + QR (code and lookup secret, the
``MCHS1|code|secret`` payload of :mod:`kiosk.aftercare.tracking`), applicant, procedure,
numbered documents received, legal time, time received, appointment time, where
to collect. It is drawn with :mod:`kiosk.printing.slip` (bundled font, 1-bit raster) like
the queue ticket. When the backend could not be reached the dossier waits in the
outbox, and the slip says so plainly: a provisional receipt with a reference and the
expected appointment date, no dossier code yet.

The filled declaration is rendered as an A4 PDF (Pillow) — attached to the dossier —
and the receipt PDF holds the slip followed by that declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.base.blocking import blocking
from kiosk.base.i18n import Translator
from kiosk.base.privacy import mask_id
from kiosk.printing import slip as render

A4_150DPI = (1240, 1754)


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    original: bool
    count: int
    pages: int = 0  # pages captured at the kiosk (0 = bring the paper to the counter)


@dataclass
class ReceiptData:
    """Everything printed on the slip (already translated where it comes from the catalog)."""

    superior_body: str
    department: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id: str
    applicant_address: str
    applicant_phone: str
    documents: list[ReceivedDocument]
    legal_time: str
    received_at: datetime
    appointment_at: datetime
    collect_at: str
    kiosk_id: str
    fee: str = ""
    sets: int = 1
    code: str | None = None  # None while the dossier waits in the outbox
    secret: str | None = None
    provisional_ref: str = ""
    extra_lines: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return self.code is None

    def tracking_payload(self) -> str | None:
        if not self.code or not self.secret:
            return None
        from kiosk.aftercare.tracking import format_payload

        return format_payload(self.code, self.secret)


def _when(dt: datetime) -> str:
    return dt.strftime("%H:%M ngày %d/%m/%Y")


def render_slip(data: ReceiptData, width: int = 576, lang: str = "vi") -> Image.Image:
    """The slip as a 1-bit image exactly ``width`` px wide (80 mm: 576, 58 mm: 384)."""
    t = Translator(lang)
    small = 20 if width < 500 else 22
    body = 22 if width < 500 else 25
    slip = render.Slip(width)
    if data.superior_body:
        slip.text(data.superior_body.upper(), size=small, bold=False, align="center", space_after=2)
    slip.text(data.department.upper(), size=small + 2, bold=True, align="center", space_after=2)
    slip.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=small - 2, bold=True, align="center", space_after=0)
    slip.text("Độc lập - Tự do - Hạnh phúc", size=small - 2, align="center", space_after=6)
    slip.rule(2)
    title = t["receipt.title_provisional"] if data.provisional else t["receipt.title"]
    slip.text(title, size=30, bold=True, align="center", space_after=8)
    if data.provisional:
        slip.text(t["receipt.waiting_note"], size=body, bold=True, invert=True, space_after=8)
        slip.columns(t["receipt.reference"], data.provisional_ref, size=body, bold=True)
    else:
        slip.text(t["receipt.code"], size=small, align="center", space_after=2)
        slip.big(data.code or "", size=40, space_after=8, max_width=slip.inner_width)
        payload = data.tracking_payload()
        if payload:
            slip.beside(
                render.qr_image(payload, box=5),
                [
                    (t["receipt.secret"], small, False),
                    (data.secret or "", 44, True),
                    (t["receipt.scan_to_track"], small, False),
                ],
            )
    slip.rule(1, dashed=True)
    slip.text(f"{t['receipt.applicant']}: {data.applicant_name}", size=body, bold=True, space_after=2)
    if data.applicant_id:
        slip.text(f"{t['receipt.id_number']}: {mask_id(data.applicant_id)}", size=body, space_after=2)
    if data.applicant_address:
        slip.text(f"{t['receipt.address']}: {data.applicant_address}", size=small, space_after=2)
    if data.applicant_phone:
        slip.text(f"{t['receipt.phone']}: {data.applicant_phone}", size=small, space_after=2)
    slip.space(6)
    slip.text(f"{t['receipt.procedure']}: {data.procedure_name} ({data.procedure_code})", size=body, bold=True, space_after=6)
    slip.text(t["receipt.documents"], size=body, bold=True, space_after=2)
    for i, doc in enumerate(data.documents, 1):
        kind = t["receipt.original"] if doc.original else t["receipt.copy"]
        pages = t("receipt.pages_scanned", n=doc.pages) if doc.pages else ""
        slip.text(f"{i}. {doc.name} — {kind}: {doc.count}{pages}", size=small, space_after=2)
    slip.text(t("receipt.sets", n=data.sets), size=small, space_after=6)
    slip.rule(1, dashed=True)
    slip.text(f"{t['receipt.legal_time']}: {data.legal_time}", size=small, space_after=2)
    if data.fee:
        slip.text(f"{t['receipt.fee']}: {data.fee}", size=small, space_after=2)
    slip.text(f"{t['receipt.received_at']}: {_when(data.received_at)}", size=body, space_after=4)
    label = t["receipt.appointment_expected"] if data.provisional else t["receipt.appointment"]
    slip.text(label, size=body, bold=True, align="center", space_after=0)
    slip.text(_when(data.appointment_at), size=34, bold=True, align="center", space_after=4)
    slip.text(f"{t['receipt.collect_at']}: {data.collect_at}", size=small, space_after=6)
    for line in data.extra_lines:
        slip.text(line, size=small, space_after=2)
    slip.rule(1, dashed=True)
    slip.text(t("receipt.footer", kiosk=data.kiosk_id), size=small - 2, align="center", space_after=2)
    return slip.render()


# ------------------------------------------------------------------ A4 declaration


@dataclass
class DeclarationLine:
    label: str
    value: str
    heading: bool = False


class _A4:
    """Top-to-bottom A4 pages at 150 dpi (Pillow), new page when full."""

    def __init__(self) -> None:
        self.pages: list[Image.Image] = []
        self.margin = 110
        self._new()

    def _new(self) -> None:
        self.page = Image.new("L", A4_150DPI, 255)
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = self.margin

    def text(self, text: str, size: int = 26, bold: bool = False, align: str = "left", indent: int = 0, after: int = 8) -> None:
        fnt = render.font(size, bold)
        width = A4_150DPI[0] - 2 * self.margin - indent
        ascent, descent = fnt.getmetrics()
        step = int((ascent + descent) * 1.2)
        for line in render.wrap_text(text, fnt, width) or [""]:
            if self.y + step > A4_150DPI[1] - self.margin:
                self._new()
            w = render.text_width(line, fnt)
            x = self.margin + indent + {"left": 0, "center": (width - w) // 2, "right": width - w}[align]
            self.draw.text((x, self.y), line, font=fnt, fill=0)
            self.y += step
        self.y += after

    def rule(self) -> None:
        self.draw.line([(self.margin, self.y), (A4_150DPI[0] - self.margin, self.y)], fill=0, width=2)
        self.y += 16


def render_declaration(
    title: str,
    agency: str,
    lines: list[DeclarationLine],
    documents: list[ReceivedDocument],
    signed_note: str,
    form_no: str = "",
    legal_basis: str = "",
) -> list[Image.Image]:
    """The filled declaration as A4 page images (what the officer would have on paper)."""
    doc = _A4()
    if form_no:
        doc.text(f"Mẫu {form_no}" + (f" — {legal_basis}" if legal_basis else ""), size=20, align="right", after=4)
    doc.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=28, bold=True, align="center", after=0)
    doc.text("Độc lập - Tự do - Hạnh phúc", size=26, bold=True, align="center", after=30)
    doc.text(title.upper(), size=36, bold=True, align="center", after=20)
    doc.text(f"Kính gửi: {agency}", size=28, align="center", after=30)
    for line in lines:
        if line.heading:
            doc.text(line.label, size=28, bold=True, after=6)
        else:
            doc.text(f"{line.label}: {line.value or '…'}", size=26, indent=20, after=4)
    doc.y += 16
    doc.text("Giấy tờ kèm theo", size=28, bold=True, after=6)
    for i, d in enumerate(documents, 1):
        doc.text(f"{i}. {d.name} ({'bản chính' if d.original else 'bản sao'}: {d.count})", size=24, indent=20, after=2)
    doc.y += 30
    doc.text(signed_note, size=24, align="right", after=4)
    return doc.pages


@blocking
def save_pdf(pages: list[Image.Image], path: Path) -> Path:
    """Pages (any mode) → one PDF at 150 dpi."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(path, "PDF", resolution=150.0, save_all=True, append_images=rgb[1:])
    return path


def receipt_pdf(slip: Image.Image, declaration_pages: list[Image.Image], path: Path) -> Path:
    """The slip (centred on an A4 page) followed by the declaration."""
    page = Image.new("L", A4_150DPI, 255)
    img = slip.convert("L")
    if img.height > A4_150DPI[1] - 100:
        scale = (A4_150DPI[1] - 100) / img.height
        img = img.resize((int(img.width * scale), int(img.height * scale)))
    page.paste(img, ((A4_150DPI[0] - img.width) // 2, 50))
    return save_pdf([page, *declaration_pages], path)
