"""Validate → submit through the outbox → receipt: one path for the screens and ``kiosk declare``.

The dossier is written to the durable outbox before the citizen is told anything;
if the backend answers within ``wait_s`` the citizen gets the real receipt (dossier
code, lookup secret, appointment from the server), otherwise a provisional receipt
with the appointment the kiosk expects (same working-day rules) — the outbox sends
the dossier, exactly once, when the backend is back.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from PIL import Image

from kiosk.base.blocking import blocking
from kiosk import api
from kiosk.base.i18n import Translator
from kiosk.declarations import receipt, workdays
from kiosk.declarations.forms import FieldError, FormState, identity_value, parse_date
from kiosk.declarations.procedure import Procedure
from kiosk.printing.printer import print_slip

log = logging.getLogger(__name__)

DECLARATION_FILE = "to_khai.pdf"


class DeclarationError(Exception):
    """A problem the citizen is told about in plain words (``declare.err_<code>``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    def message(self, lang: str = "vi") -> str:
        return Translator(lang)[f"declare.err_{self.code}"]


class DeclarationInvalid(DeclarationError):
    """The form has fields to fix; ``errors`` maps field key → :class:`FieldError`."""

    def __init__(self, errors: dict[str, FieldError]) -> None:
        super().__init__("invalid", ", ".join(sorted(errors)))
        self.errors = errors


@dataclass
class Submission:
    """What happened to one declaration, and the receipt to print."""

    status: Literal["acknowledged", "queued"]
    receipt: receipt.ReceiptData
    slip: Image.Image
    declaration_pdf: Path
    receipt_pdf: Path
    item_id: str
    printed: bool = False
    print_error: str = ""  # PrinterError kind when printing failed
    report: Any = None  # forms.PrefillReport
    files: list[str] = field(default_factory=list)

    @property
    def code(self) -> str | None:
        return self.receipt.code


# ------------------------------------------------------------------ pieces


def kiosk_now(config: Any) -> datetime:
    """Aware local time of the kiosk's department."""
    return datetime.now(ZoneInfo(config.kiosk.timezone))


def applicant_of(procedure: Procedure, form: FormState) -> api.Applicant:
    """The dossier's owner, read from the form — its one source.

    The ID card's values on the form are locked copies of the card (``FormState.locked``), so what
    the citizen saw on the form is what the dossier and the receipt carry. What the form does not
    ask (a birth date on a form without one) comes from the identity the form was started from.
    """

    def value(ftype: str | None = None, prefill: str | None = None) -> str:
        for f in procedure.form.fields:
            if (ftype and f.type == ftype) or (prefill and f.prefill == prefill):
                text = form.get(f.key).strip()
                if text and form.visible(f):
                    return text
        return identity_value(prefill, form.identity).strip() if prefill else ""

    number = value(prefill="identity.id_number").replace(" ", "").replace(".", "")
    dob = parse_date(value(prefill="identity.date_of_birth"))
    phone = "".join(ch for ch in value(ftype="phone") if ch.isdigit() or ch == "+")
    return api.Applicant(
        full_name=value(prefill="identity.full_name") or "—",
        id_number=number if len(number) in (9, 12) and number.isdigit() else "",
        date_of_birth=dob,
        address=value(prefill="identity.address")[:500],
        phone=phone[:20],
        email=value(ftype="email")[:200],
    )


def expected_appointment(accepted_at: datetime, procedure: Procedure, calendar: workdays.WorkCalendar) -> datetime:
    """The appointment a queued dossier's provisional receipt promises: the server's rule, applied here.

    The server computes the real one when the dossier arrives (``server/appointments.py`` calls the
    same :func:`kiosk.declarations.workdays.appointment`); an acknowledged receipt prints the server's.
    """
    return workdays.appointment(accepted_at, procedure.rule, calendar)


def received_documents(procedure: Procedure, attachments: dict[str, Any], lang: str = "vi") -> list[receipt.ReceivedDocument]:
    """The papers this dossier carries: the on-screen declaration and what was scanned or will be handed in."""
    out = []
    for d in procedure.documents:
        att = attachments.get(d.key)
        pages = len(getattr(att, "pages", []) or []) if att is not None else 0
        if d.from_form or att is not None or (d.required and not d.skippable):
            out.append(receipt.ReceivedDocument(d.name(lang), d.original, d.count, pages))
    return out


def declaration_lines(procedure: Procedure, form: FormState, lang: str = "vi") -> list[receipt.DeclarationLine]:
    lines: list[receipt.DeclarationLine] = []
    for i, page in enumerate(procedure.form.pages):
        lines.append(receipt.DeclarationLine(page.title(lang), "", heading=True))
        for f in form.page_fields(i):
            lines.append(receipt.DeclarationLine(f.label(lang), form.display(f, lang)))
    return lines


@blocking
def read_from_papers(procedure: Procedure, form: FormState, sources: dict[str, str], lang: str = "vi") -> list[str]:
    """The receipt's lines for the values taken from scanned papers, so the citizen can check them on paper:
    a heading, then "<page> — <field>: <value> (<paper>)"."""
    t = Translator(lang)
    docs = {d.key: d for d in procedure.documents}
    lines = []
    for i, page in enumerate(procedure.form.pages):
        for f in form.page_fields(i):
            src = sources.get(f.key, "")
            if not src.startswith("document:"):
                continue
            doc = docs.get(src.split(":", 1)[1])
            paper = f" ({doc.name(lang)})" if doc is not None else ""
            lines.append(f"{page.title(lang)} — {f.label(lang)}: {form.display(f, lang)}{paper}")
    return [t["receipt.read_from_papers"], *lines] if lines else []


def _stage_files(procedure: Procedure, attachments: dict[str, Any], declaration_pdf: Path, stage: Path) -> tuple[list[Path], dict[str, list[str]]]:
    """Copy every file under a unique, meaningful name; map document key → file names."""
    stage.mkdir(parents=True, exist_ok=True)
    files: list[Path] = [declaration_pdf]
    by_doc: dict[str, list[str]] = {}
    for d in procedure.documents:
        if d.from_form:
            by_doc[d.key] = [declaration_pdf.name]
        att = attachments.get(d.key)
        if att is None:
            continue
        sources: list[Path] = [Path(att.pdf)] if getattr(att, "pdf", None) else [Path(p) for p in att.pages]
        for n, src in enumerate(sources, 1):
            name = f"{d.key}{src.suffix.lower()}" if len(sources) == 1 else f"{d.key}-{n}{src.suffix.lower()}"
            target = stage / name
            shutil.copyfile(src, target)
            files.append(target)
            by_doc.setdefault(d.key, []).append(name)
    return files, by_doc


def identity_check(identity: Any) -> str | None:
    """How the form's identity was established, for the officer: ``chip_authentic``… ``qr``, ``manual``."""
    if identity is None:
        return None
    if identity.chip_authenticity:
        return f"chip_{identity.chip_authenticity}"
    return "manual" if identity.source == "manual" else "qr"


def build_meta(
    config: Any,
    procedure: Procedure,
    form: FormState,
    by_doc: dict[str, list[str]],
    accepted_at: datetime,
    attachments: dict[str, Any],
    sources: dict[str, str] | None = None,
) -> api.DossierIn:
    """The dossier's metadata (no appointment: the server sets it). ``sources``: where each form value came from
    (``SubmitJourney.field_sources``); each scanned page carries the quality gate's verdict."""
    applicant = applicant_of(procedure, form)
    documents = []
    for d in procedure.documents:
        if d.from_form or d.key in attachments or (d.required and not d.skippable):
            checks = [api.PageCheck(page=q["page"], verdict=q["verdict"], reasons=list(q.get("reasons", [])))
                      for q in getattr(attachments.get(d.key), "quality", None) or []]
            documents.append(api.DocumentIn(key=d.key, name=d.name_vi, original=d.original, count=d.count,
                                            files=by_doc.get(d.key, []), pages=checks))
    return api.DossierIn(
        receiving_unit_id=config.kiosk.receiving_unit_id,
        kiosk_id=config.kiosk.id,
        procedure_code=procedure.code,
        procedure_name=procedure.name_vi,
        field=procedure.field_vi,
        applicant=applicant,
        summary=f"{procedure.name_vi} — {applicant.full_name}"[:1000],
        form=form.cleaned(),
        field_sources=dict(sources or {}),
        identity_check=identity_check(form.identity),
        documents=documents,
        sets=procedure.sets,
        rule=api.ProcessingRule(working_days=procedure.legal_time.working_days, cutoff=procedure.legal_time.cutoff),
        accepted_at=accepted_at,
        collect="counter",
        fee=procedure.fee.amount,
    )


def receipt_data(
    config: Any, procedure: Procedure, meta: api.DossierIn, docs: list[receipt.ReceivedDocument],
    received_at: datetime, appointment_at: datetime, lang: str = "vi",
) -> receipt.ReceiptData:
    k = config.kiosk
    return receipt.ReceiptData(
        superior_body=k.superior_body,
        department=k.department,
        procedure_code=procedure.code,
        procedure_name=procedure.name(lang),
        applicant_name=meta.applicant.full_name,
        applicant_id=meta.applicant.id_number,
        applicant_address=meta.applicant.address,
        applicant_phone=meta.applicant.phone,
        documents=docs,
        legal_time=procedure.legal_time.text(lang),
        received_at=received_at,
        appointment_at=appointment_at,
        collect_at=procedure.where(lang) or k.department,
        kiosk_id=k.id,
        fee=procedure.fee.text(lang),
        sets=procedure.sets,
    )


# ------------------------------------------------------------------ the whole path


def validate(form: FormState) -> None:
    errors = form.check_all()
    if errors:
        raise DeclarationInvalid(errors)


def submit(
    services: Any,
    procedure: Procedure,
    form: FormState,
    attachments: dict[str, Any] | None = None,
    workdir: Path | None = None,
    wait_s: float = 8.0,
    lang: str = "vi",
    print_slip: bool = True,
    now: datetime | None = None,
    sources: dict[str, str] | None = None,
) -> Submission:
    """Validate, store in the outbox (send for up to ``wait_s``), make the receipt, print it.

    The applicant comes from ``form`` alone (:func:`applicant_of`); the metadata is built once and
    serialised once, by the outbox; the appointment is the server's, or for a queued dossier
    :func:`expected_appointment`.
    """
    validate(form)
    if services.outbox is None:
        raise DeclarationError("no_outbox")
    config = services.config
    attachments = attachments or {}
    workdir = Path(workdir or services.visit.workdir())
    accepted_at = now or kiosk_now(config)

    docs = received_documents(procedure, attachments, lang)
    signed = Translator("vi")("declare.signed_note", time=accepted_at.strftime("%H:%M ngày %d/%m/%Y"), kiosk=config.kiosk.id)
    pages = receipt.render_declaration(
        procedure.form.title_vi, procedure.agency_vi, declaration_lines(procedure, form, "vi"),
        received_documents(procedure, attachments, "vi"), signed, procedure.form.form_no, procedure.form.legal_basis,
    )
    stage = workdir / "dossier"
    declaration_pdf = receipt.save_pdf(pages, stage / DECLARATION_FILE)
    files, by_doc = _stage_files(procedure, attachments, declaration_pdf, stage)
    meta = build_meta(config, procedure, form, by_doc, accepted_at, attachments, sources)

    result = services.outbox.submit_dossier(meta, files, wait_s=wait_s)
    if result.status == "acknowledged" and isinstance(result.receipt, api.DossierReceipt):
        r = result.receipt
        tz = ZoneInfo(config.kiosk.timezone)
        data = receipt_data(config, procedure, meta, docs, _local(r.received_at, tz), _local(r.appointment_at, tz), lang)
        data.code, data.secret = r.code, r.secret
    else:
        calendar = getattr(services.catalog, "calendar", workdays.DEFAULT_CALENDAR)
        expected = expected_appointment(accepted_at, procedure, calendar)
        data = receipt_data(config, procedure, meta, docs, accepted_at, expected, lang)
        data.provisional_ref = result.item_id[:8].upper()
    data.extra_lines = read_from_papers(procedure, form, sources or {}, lang)
    log.info("declaration %s for %s: %s", result.item_id[:8], procedure.code, result.status)

    slip = receipt.render_slip(data, width=config.printer.paper_width_px, lang=lang)
    receipt_pdf = receipt.receipt_pdf(slip, pages, workdir / f"receipt-{data.code or data.provisional_ref}.pdf")
    sub = Submission(
        status=result.status, receipt=data, slip=slip, declaration_pdf=declaration_pdf, receipt_pdf=receipt_pdf,
        item_id=result.item_id, report=form.report(), files=[f.name for f in files],
    )
    if print_slip:
        print_receipt(services, sub)
    return sub


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    return dt.replace(tzinfo=tz) if dt.tzinfo is None else dt.astimezone(tz)


@blocking
def print_receipt(services: Any, sub: Submission) -> bool:
    """Print the slip (again); failures are recorded on ``sub``, never raised at the citizen."""
    outcome = print_slip(services.printer, sub.slip, services.config.printer.cut, "receipt")
    sub.printed, sub.print_error = outcome.printed, outcome.error_kind or ""
    return outcome.printed
