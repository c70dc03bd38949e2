"""The submit journey: identity → procedure → form pages → papers → review and consent → receipt.

The controller owns the visit's :class:`~kiosk.journeys.visit.SubmitPart`: the procedure chosen, the
form (:class:`~kiosk.declarations.FormState`, started from the identity, its card values locked), the
page shown and its errors, the scanned papers, the consent, the submission and whether its receipt
printed. Screens call the transitions below and render the part; they never change it themselves.

The identity is the visit's (``visit.identity``) and reaches the dossier only through the form:
:func:`kiosk.declarations.submission.applicant_of` reads the applicant from the form alone.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.base.config_schema import KioskConfig
from kiosk.journeys.base import Journey, Runner, run_inline
from kiosk.journeys.chip import ChipStep
from kiosk.journeys.visit import Attachment, SubmitPart, Suggestion

if TYPE_CHECKING:
    from kiosk.declarations import Document, FieldError, FormState, Procedure, WorkCalendar
    from kiosk.declarations.submission import Submission
    from kiosk.identity import CitizenIdentity
    from kiosk.journeys.visit import Visit

log = logging.getLogger(__name__)

SUBMIT_WAIT_S = 8.0  # how long the citizen waits for the backend's answer before a provisional receipt


class ProcedureCatalog(Protocol):
    """What the journey needs of ``kiosk.declarations.Catalog``."""

    calendar: WorkCalendar

    def get(self, code: str) -> Procedure | None: ...


class SubmitServices(Protocol):
    """The services the submit journey reads (``kiosk.services.Services`` has them all)."""

    @property
    def config(self) -> KioskConfig: ...

    @property
    def visit(self) -> Visit: ...

    @property
    def catalog(self) -> ProcedureCatalog | None: ...

    @property
    def outbox(self) -> Any: ...  # kiosk.backend.Outbox: submit_dossier(meta, files, wait_s)

    @property
    def printer(self) -> Any: ...  # devices.printer.Printer or None


class SubmitJourney(Journey[SubmitPart]):
    name = "submit"
    services: SubmitServices
    wait_s: float = SUBMIT_WAIT_S
    lang: str = "vi"  # the app keeps it in step with the screen's language

    def __init__(self, services: SubmitServices, run: Runner = run_inline) -> None:
        super().__init__(services, run)
        self.chip = ChipStep(self)  # the identify step's chip read, after the QR (kiosk/journeys/chip.py)

    # ------------------------------------------------------------ reading

    @property
    def procedure(self) -> Procedure | None:
        code, catalog = self.part.procedure_code, self.services.catalog
        return catalog.get(code) if code and catalog is not None else None

    @property
    def form(self) -> FormState | None:
        return self.part.form

    @property
    def page(self) -> int:
        return self.part.page

    @property
    def submission(self) -> Submission | None:
        return self.part.submission

    @property
    def can_submit(self) -> bool:
        return self.part.consent and self.part.state == "filling" and self.form is not None

    # ------------------------------------------------------------ identity

    def start(self) -> None:
        self.chip.clear()
        self._restart("identify")

    def type_identity(self) -> None:
        """"Nhập bằng tay": the identity typed instead of read."""
        self._go("identify_manual")

    def use_can(self) -> None:
        """"Dùng chip: nhập 6 số CAN": the chip first, opened with the CAN typed (only with a card reader)."""
        if self.chip.available:
            self.chip.clear()
            self._go("identify_can")

    def identify_by_hand(self, number: str, name: str, dob: str) -> None:
        """The typed identity, with the card's checks; IdentityError (plain Vietnamese) when it fails them."""
        from kiosk.identity import identity_from_manual

        self.identified(identity_from_manual(number, name, dob))

    def identified(self, identity: CitizenIdentity) -> None:
        """The citizen confirmed the identity; a form begun for another one keeps only what was typed."""
        self.chip.cancel()
        self.visit.identity = identity
        form = self.part.form
        if form is not None and form.identity is not identity:
            self.part.form = form.restarted(identity)
        self._go("procedure")

    # ------------------------------------------------------------ procedure and form

    def choose_procedure(self, code: str) -> None:
        catalog = self.services.catalog
        if catalog is None or catalog.get(code) is None:
            raise KeyError(code)
        self.part.procedure_code = code
        self._go("procedure_detail")

    def start_form(self) -> None:
        """"Bắt đầu khai": the form of the chosen procedure (a new one if the procedure changed)."""
        from kiosk.declarations import FormState

        procedure, part = self.procedure, self.part
        if procedure is None:
            return
        # By value: a catalog refreshed from the backend meanwhile holds equal, new objects (the typed values stay).
        if part.form is None or part.form.schema != procedure.form:
            part.form = FormState.start(procedure.form, self.visit.identity)
            part.attachments.clear()
            part.suggestions.clear()
            part.accepted.clear()
            part.scanned, part.scan_return = False, "review"
        part.page, part.errors, part.consent = 0, {}, False
        self._go("form")

    def set_value(self, key: str, value: str) -> None:
        """A value typed, chosen or ticked (FieldLocked for a value read from the card)."""
        form = self.part.form
        if form is None:
            return
        form.set(key, value)
        self.part.errors.pop(key, None)

    def check_page(self) -> dict[str, FieldError]:
        """The fields to fix on the page shown (kept for the screen to show them)."""
        form, part = self.part.form, self.part
        part.errors = form.check_page(part.page) if form is not None else {}
        self.changed()
        return part.errors

    def next_page(self) -> dict[str, FieldError]:
        """"Tiếp tục": the page's errors (nothing moves), or the next page, or the papers / the review."""
        form, part = self.part.form, self.part
        if form is None:
            return {}
        if self.check_page():
            return part.errors
        if part.page + 1 < len(form.schema.pages):
            part.page += 1
            self.changed()
        else:
            self.finish_form()
        return {}

    def prev_page(self) -> None:
        part = self.part
        part.errors = {}
        if part.page > 0:
            part.page -= 1
            self.changed()
        else:
            self.back()

    def edit_page(self, page: int) -> None:
        """"Sửa" on the review: that page of the form again."""
        form, part = self.part.form, self.part
        if form is None:
            return
        part.page = max(0, min(page, len(form.schema.pages) - 1))
        part.errors = {}
        self._go("form")

    def finish_form(self) -> None:
        """Every page is valid: scan the papers if the procedure has any (and they are not scanned yet), else review."""
        procedure, part = self.procedure, self.part
        if procedure is None or not procedure.scannable_documents:
            self._go("review")
            return
        missing = [d for d in procedure.scannable_documents if d.required and d.key not in part.attachments]
        self._go("review" if part.scanned and not missing else "scan")

    # ------------------------------------------------------------ papers

    def papers_for_page(self, page: int | None = None) -> list[Document]:
        """The papers to scan whose values the form's page (default: the one shown) can take — the form offers
        "Chụp … để điền giúp" for them."""
        procedure, form = self.procedure, self.part.form
        if procedure is None or form is None:
            return []
        keys = {f.key for f in form.page_fields(self.part.page if page is None else page) if not form.locked(f.key)}
        return [d for d in procedure.scannable_documents if keys & set(d.reads)]

    def scan_for_form(self) -> None:
        """"Chụp giấy tờ để điền giúp" on a form page: the scan step, then back to this page with the offers."""
        if self.part.form is None:
            return
        self.part.scan_return = "form"
        self._go("scan")

    def scanned(self, attachments: dict[str, Attachment], suggestions: dict[str, Suggestion] | None = None) -> None:
        """The papers are read (pages, PDFs in the visit's folder) with the values read on them: on to the review,
        or back to the form page the scan was asked from."""
        part = self.part
        part.attachments.update(attachments)
        part.scanned = True
        if suggestions:
            part.suggestions.update(suggestions)
        if part.scan_return == "form":
            part.scan_return = "review"
            if part.history and part.history[-1] == "form":
                self.back()
            else:
                self._go("form")
            return
        self._go("review")

    def offer_suggestions(self, suggestions: dict[str, Suggestion]) -> None:
        """Values read on the papers, offered on the form (field key → suggestion); never applied by themselves."""
        self.part.suggestions.update(suggestions)
        self.changed()

    def offered(self, key: str) -> Suggestion | None:
        """The value read on a paper that the form offers beside field ``key``, if any.

        Offered only where the citizen has not answered: never beside a value read from the card (locked) or one
        the citizen typed or chose; a default ("Kinh") may be replaced. Nothing when the field holds it already."""
        form, sug = self.part.form, self.part.suggestions.get(key)
        if form is None or sug is None or form.locked(key):
            return None
        if form.get(key) == sug.value or form.sources.get(key) not in ("empty", "default"):
            return None
        return sug

    def accept_suggestion(self, key: str) -> bool:
        """"Dùng": the offered value fills the field (False when nothing is offered there any more)."""
        sug = self.offered(key)
        form = self.part.form
        if sug is None or form is None:
            return False
        form.set(key, sug.value)
        self.part.accepted[key] = sug
        self.part.errors.pop(key, None)
        self.changed()
        return True

    def field_sources(self) -> dict[str, str]:
        """Where each answered field's value came from, for the dossier's metadata: ``card`` (the ID card),
        ``chip`` (a value only the card's chip holds), ``document:<paper key>`` (read on a scanned paper and accepted
        unchanged), ``default`` or ``typed``."""
        form = self.part.form
        if form is None:
            return {}
        out: dict[str, str] = {}
        for key in form.cleaned():
            source, sug = form.sources.get(key), self.part.accepted.get(key)
            if form.from_chip(key):
                out[key] = "chip"  # a value only the chip holds (ethnicity, parents, place of origin…)
            elif form.locked(key) or source == "card":
                out[key] = "card"
            elif sug is not None and form.get(key) == sug.value:
                out[key] = f"document:{sug.document_key}"
            elif source == "default":
                out[key] = "default"
            else:
                out[key] = "typed"
        return out

    # ------------------------------------------------------------ review and submission

    def set_consent(self, consent: bool) -> None:
        self.part.consent = consent
        self.changed()

    def submit(self) -> None:
        """"Nộp hồ sơ": validate, into the outbox, wait up to ``wait_s`` for the backend (blocking work)."""
        from kiosk.declarations import submit

        part, procedure = self.part, self.procedure
        if not self.can_submit or procedure is None or part.form is None:
            return
        part.state, part.error = "submitting", None
        self.changed()
        s, form, attachments, workdir = self.services, part.form, dict(part.attachments), self.visit.workdir()
        lang, wait_s, sources = self.lang, self.wait_s, self.field_sources()
        self._work(
            lambda: submit(s, procedure, form, attachments=attachments, workdir=workdir, wait_s=wait_s,
                           lang=lang, print_slip=False, sources=sources),
            lambda sub: self.show_receipt(sub),
            self._submit_failed,
            dropped=lambda: shutil.rmtree(workdir, ignore_errors=True),  # the dossier is in the outbox; the copies go
        )

    def _submit_failed(self, exc: BaseException) -> None:
        from kiosk.declarations import DeclarationError, DeclarationInvalid

        part = self.part
        part.state = "filling"
        if isinstance(exc, DeclarationInvalid) and part.form is not None:
            part.page = part.form.first_invalid_page() or 0
            part.errors = part.form.check_page(part.page)
            self._go("form")
            return
        part.error = exc if isinstance(exc, DeclarationError) else DeclarationError("failed", type(exc).__name__)
        log.warning("submission failed: %s", part.error.code)
        self.changed()

    def show_receipt(self, submission: Submission, print_now: bool = True) -> None:
        """The dossier is acknowledged or queued: its receipt on screen, and printed."""
        part = self.part
        part.submission, part.state, part.error = submission, "submitted", None
        if print_now:
            part.print_state = "idle"
        else:
            part.print_state = "printed" if submission.printed else ("print_failed" if submission.print_error else "idle")
        self._go("receipt")
        if print_now:
            self.print_receipt()

    def print_receipt(self) -> None:
        """Print the receipt (again: "In lại"); the dossier itself is already safe in the outbox."""
        from kiosk.declarations import print_receipt

        part = self.part
        if part.submission is None or part.print_state == "printing":
            return
        part.print_state = "printing"
        self.changed()
        s, sub = self.services, part.submission
        self._work(lambda: print_receipt(s, sub), self._printed, lambda _e: self._printed(False))

    def _printed(self, ok: bool) -> None:
        self.part.print_state = "printed" if ok else "print_failed"
        self.changed()

    def rate(self) -> None:
        """"Đánh giá" on the receipt: rate this dossier."""
        sub = self.part.submission
        self.handoff("rate", dossier_code=sub.code if sub is not None else None)

    def workdir(self) -> Path:
        """Where the scan step writes the papers: the visit's private folder."""
        return self.visit.workdir()
