"""One citizen's visit: what they told the kiosk, from the first touch to "Kết thúc".

A visit holds personal data only as long as it must: :meth:`Visit.wipe` clears
every field and deletes the visit's own temporary files (captured images not
yet handed to the outbox). The app calls it on finish and on the idle timeout.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.base.privacy import forget_personal

log = logging.getLogger(__name__)


@dataclass
class Attachment:
    """Pages captured for one required document of the dossier."""

    document_key: str
    pages: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    text: str = ""


@dataclass
class Visit:
    """Everything about the current citizen. Empty after :meth:`wipe`."""

    visit_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: datetime = field(default_factory=datetime.now)
    language: str = "vi"
    identity: Any | None = None  # kiosk.identity.payload.CitizenIdentity once the card is read
    journey: str | None = None  # "ticket" | "submit" | "track" | "rate"
    service_code: str | None = None
    priority: str | None = None
    procedure_code: str | None = None
    form_values: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    ticket: Any | None = None
    receipt: Any | None = None
    dossier_code: str | None = None
    large_text: bool = False
    notes: dict[str, Any] = field(default_factory=dict)
    _workdir: Path | None = field(default=None, repr=False)
    _base_dir: Path | None = field(default=None, repr=False)

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
            and self.service_code is None
            and self.priority is None
            and self.procedure_code is None
            and not self.form_values
            and not self.attachments
            and self.ticket is None
            and self.receipt is None
            and self.dossier_code is None
            and not self.notes
            and self._workdir is None
        )

    def wipe(self) -> None:
        """Forget the visit: clear every field, delete its temp files, start a new visit id."""
        workdir = self._workdir
        for key in ("form_values", "notes"):
            getattr(self, key).clear()
        self.attachments.clear()
        self.identity = None
        self.journey = None
        self.service_code = None
        self.priority = None
        self.procedure_code = None
        self.ticket = None
        self.receipt = None
        self.dossier_code = None
        self.large_text = False
        self._workdir = None
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        self.visit_id = uuid.uuid4().hex
        self.started_at = datetime.now()
        forget_personal()  # the log masking forgets this citizen; render caches are emptied
        log.info("visit wiped")
