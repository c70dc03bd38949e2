"""One citizen's visit: what they told the kiosk, from the first touch to "Kết thúc".

The visit is typed: what is shared by every journey (language, the ID card read) sits on
:class:`Visit` itself, and each journey keeps its own part (:class:`TicketPart`,
:class:`SubmitPart`, :class:`TrackPart`, :class:`RatePart`), written only by that journey's
controller (``kiosk/journeys/<journey>.py``). There is no bag of untyped keys.

A visit holds personal data only as long as it must: :meth:`Visit.wipe` replaces every part
with a new, empty one — so a result that arrives after the wipe finds its part gone and is
dropped — and deletes the visit's own temporary files (captured images not yet handed to the
outbox). The app calls it on finish and on the idle timeout, on the UI thread: so the folder is
renamed at once (one system call; the visit's files are gone from their place before the next citizen
touches the screen) and deleted on a worker thread. Should the kiosk die before that worker is done,
the next start clears the visits folder (:mod:`kiosk.base.leftovers`).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kiosk.aftercare.rating import RatingRef
    from kiosk.aftercare.tracking import TrackingResult
    from kiosk.declarations.forms import FieldError, FormState
    from kiosk.declarations.submission import DeclarationError, Submission
    from kiosk.identity.chip.access import AccessKey
    from kiosk.identity.chip.photo import Pixels
    from kiosk.identity.payload import CitizenIdentity
    from kiosk.printing.printer import PrintOutcome
    from kiosk.queue.tickets import Ticket

from kiosk.base.blocking import blocking
from kiosk.base.privacy import forget_personal

log = logging.getLogger(__name__)

JourneyName = Literal["ticket", "submit", "track", "rate"]
PrintState = Literal["idle", "printing", "printed", "print_failed"]


@dataclass
class Attachment:
    """Pages captured for one required document of the dossier."""

    document_key: str
    pages: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    text: str = ""
    # The quality gate's verdict per page ({"page", "verdict" good/doubtful, "reasons" [codes]}): the dossier's
    # metadata carries it, so an officer knows which pages to check against the paper.
    quality: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """A value read on a scanned paper that the form may offer for one field — never applied by itself.

    The place for the documents' field extraction: ``SubmitPart.suggestions`` maps a form field key
    to one of these; the form shows it and the citizen decides.
    """

    field: str
    value: str  # as the form stores it (a date dd/mm/yyyy, a select's option value)
    document_key: str
    confidence: float | None = None
    display: str = ""  # as the citizen reads it on the form ("Nữ" for the option "nu"); the value when empty
    page: int = 0  # page of the paper it was read on (0-based)


@dataclass
class JourneyPart:
    """What every journey keeps: the step it is at and the steps before it (for "Quay lại")."""

    step: str | None = None
    history: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return self.step is None and not self.history


@dataclass
class TicketPart(JourneyPart):
    """Ticket journey: service → priority → the ticket, issued and printed (or not)."""

    service_code: str | None = None
    suggestion: str | None = None  # priority suggested from the ID card (elderly)
    priority: str | None = None
    state: Literal["choosing", "issuing", "printing", "printed", "print_failed", "issue_failed"] = "choosing"
    ticket: Ticket | None = None
    outcome: PrintOutcome | None = None

    def is_empty(self) -> bool:
        return super().is_empty() and self.service_code is None and self.priority is None and self.ticket is None


ChipState = Literal["off", "waiting", "reading", "lifted", "failed", "refused", "read", "skipped"]


@dataclass
class ChipPart:
    """The identify step's chip read (``kiosk.journeys.chip.ChipStep``): after the QR, or first with the CAN typed.

    ``off`` (no reader, or not started) → ``waiting`` ("Đặt thẻ lên đầu đọc") → ``reading`` (``progress``)
    → ``read`` (``identity`` = QR + chip, ``photo``) | ``lifted`` ("Giữ thẻ trên đầu đọc", then waiting again)
    | ``failed`` (``error``: a chip error code; retry or QR only) | ``refused`` (chip ≠ QR) | ``skipped``.
    With the CAN (no QR): ``qr`` is None, ``key`` holds the typed CAN and the identity is the chip's alone."""

    state: ChipState = "off"
    qr: CitizenIdentity | None = None  # the identity the QR gave, which the chip must agree with
    key: AccessKey | None = None  # the CAN the citizen typed (PACE), when the chip comes first; repr hidden
    identity: CitizenIdentity | None = None  # QR + chip, once read
    photo: Pixels | None = None  # DG2 decoded for the confirm screen
    error: str | None = None  # code of kiosk.identity.chip.MESSAGES
    progress: float = 0.0  # 0 → 1 while reading (written by the worker, read by the screen's clock)
    reads: int = 0  # reads started for this QR identity
    lifts: int = 0  # lifted in a row

    def is_empty(self) -> bool:
        return self.state == "off" and self.qr is None and self.key is None and self.identity is None


@dataclass
class SubmitPart(JourneyPart):
    """Submit journey: procedure → form pages → papers → review → receipt. The identity is on the Visit."""

    procedure_code: str | None = None
    form: FormState | None = None
    page: int = 0
    errors: dict[str, FieldError] = field(default_factory=dict)  # of the page shown
    attachments: dict[str, Attachment] = field(default_factory=dict)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    accepted: dict[str, Suggestion] = field(default_factory=dict)  # offers the citizen took ("Dùng")
    scanned: bool = False  # the scan step was done for this form
    scan_return: Literal["review", "form"] = "review"  # where the scan step leads (the form: scanned from a form page)
    consent: bool = False
    state: Literal["filling", "submitting", "submitted"] = "filling"
    error: DeclarationError | None = None  # why the last submission did not go through
    submission: Submission | None = None
    print_state: PrintState = "idle"
    chip: ChipPart = field(default_factory=ChipPart)

    def is_empty(self) -> bool:
        return (super().is_empty() and self.procedure_code is None and self.form is None and not self.attachments
                and not self.suggestions and not self.accepted and self.submission is None and self.chip.is_empty())


@dataclass
class TrackPart(JourneyPart):
    """Track journey: the receipt's QR (or the typed code) → the dossier's status in plain words."""

    state: Literal["waiting", "looking_up", "found"] = "waiting"
    error: str = ""  # key of ``track.error.*``
    result: TrackingResult | None = None

    def is_empty(self) -> bool:
        return super().is_empty() and self.result is None and not self.error


@dataclass
class RatePart(JourneyPart):
    """Rate journey: a level, reasons when unsatisfied, sent through the outbox."""

    ref: RatingRef | None = None
    level: str = ""
    reasons: list[str] = field(default_factory=list)
    comment: str = ""
    state: Literal["choosing", "sending", "sent"] = "choosing"
    error: str = ""  # key of ``rate.error.*``, or a RatingError message key

    def is_empty(self) -> bool:
        return super().is_empty() and self.ref is None and not self.level and not self.reasons and not self.comment


@dataclass
class Visit:
    """Everything about the current citizen. Empty after :meth:`wipe`."""

    visit_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: datetime = field(default_factory=datetime.now)
    language: str = "vi"
    large_text: bool = False
    identity: CitizenIdentity | None = None  # the ID card (or typed identity), for every journey of the visit
    journey: JourneyName | None = None  # the journey the citizen is in now
    ticket: TicketPart = field(default_factory=TicketPart)
    submit: SubmitPart = field(default_factory=SubmitPart)
    track: TrackPart = field(default_factory=TrackPart)
    rate: RatePart = field(default_factory=RatePart)
    _workdir: Path | None = field(default=None, repr=False)
    _base_dir: Path | None = field(default=None, repr=False)
    _deleting: list[threading.Thread] = field(default_factory=list, repr=False)

    def workdir(self) -> Path:
        """A private temp folder for this visit's captures, deleted by :meth:`wipe`."""
        if self._workdir is None or not self._workdir.exists():
            base = self._base_dir
            if base is not None:
                base.mkdir(parents=True, exist_ok=True)
            self._workdir = Path(tempfile.mkdtemp(prefix="visit-", dir=base))
            self._workdir.chmod(0o700)
        return self._workdir

    def is_empty(self) -> bool:
        """True when no personal data or choice of the citizen is held."""
        return (
            self.identity is None
            and self.journey is None
            and all(part.is_empty() for part in (self.ticket, self.submit, self.track, self.rate))
            and self._workdir is None
        )

    def wipe(self) -> None:
        """Forget the visit: new empty parts, temp files deleted, a new visit id."""
        workdir = self._workdir
        self.identity = None
        self.journey = None
        self.ticket, self.submit, self.track, self.rate = TicketPart(), SubmitPart(), TrackPart(), RatePart()
        self.large_text = False
        self._workdir = None
        if workdir is not None:
            self._discard(workdir)
        self.visit_id = uuid.uuid4().hex
        self.started_at = datetime.now()
        forget_personal()  # the log masking forgets this citizen; render caches are emptied
        log.info("visit wiped")

    def _discard(self, workdir: Path) -> None:
        """Move the visit's folder out of the way now; delete it on a worker (an rmtree can take a while)."""
        trash = workdir.with_name(f".wiped-{uuid.uuid4().hex}")
        try:
            workdir.rename(trash)
        except OSError:  # gone already, or not renamable: delete it where it is
            trash = workdir
        worker = threading.Thread(target=_delete_tree, args=(trash,), name="visit-wipe", daemon=True)
        self._deleting = [t for t in self._deleting if t.is_alive()] + [worker]
        worker.start()

    def wait_deleted(self, timeout: float = 10.0) -> bool:
        """Wait until the files of wiped visits are deleted (tests, shutdown); False if still deleting."""
        for worker in list(self._deleting):
            worker.join(timeout)
        return not any(t.is_alive() for t in self._deleting)


@blocking
def _delete_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
