"""Tra cứu hồ sơ: a receipt's QR (or a typed code + lookup secret) → the dossier's status in plain words.

The receipt QR payload is defined once (:func:`kiosk.api.receipt_qr`, which the server's reprint shares),
and the receipt printer uses :func:`format_payload`::

    MCHS1|000.00.01.H22-250715-0007|K7P3QX

(``MCHS1`` = "Một cửa hồ sơ", version 1). The parser also accepts a tracking URL
carrying ``ma``/``code`` and ``k``/``secret`` query parameters, ``CODE|SECRET``
and ``CODE SECRET`` as typed, so receipts from other systems that print the same
two facts still work. A citizen ID card's QR is recognised and refused with its
own message, since holding the wrong card to the camera is the likely mistake.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kiosk.api import DOSSIER_CODE_RE, RECEIPT_QR_PREFIX, SECRET_ALPHABET, DossierStatus, receipt_qr
from kiosk.base.i18n import Translator

log = logging.getLogger(__name__)

PAYLOAD_PREFIX = RECEIPT_QR_PREFIX
SECRET_RE = re.compile(rf"^[{SECRET_ALPHABET}]{{4,12}}$")  # 9 since issue 13; older receipts 6
_SHORT_CODE_RE = re.compile(r"^(\d{6})-?(\d{4})$")
_ID_CARD_RE = re.compile(r"^\d{12}\|")
# Statuses after which the appointment no longer matters to the citizen.
_FINISHED = {"done", "denied", "releasing"}


class TrackingError(Exception):
    """Something the citizen must be told; ``key`` is a string key in ``track.toml``."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.key = key

    def message(self, lang: str = "vi") -> str:
        return Translator(lang)[f"track.error.{self.key}"]


@dataclass(frozen=True)
class TrackingRef:
    """What the citizen holds: the dossier code and its lookup secret."""

    code: str
    secret: str


def format_payload(code: str, secret: str) -> str:
    """The text of the QR printed on a receipt (:func:`kiosk.api.receipt_qr`, shared with the server's reprint)."""
    return receipt_qr(code, secret)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\x00", "")
    return text.strip()


def normalize_code(raw: str, unit_id: str | None = None) -> str:
    """Uppercase, no spaces; ``250715-0007`` or ``2507150007`` is completed with this kiosk's unit id."""
    code = re.sub(r"\s+", "", _clean(raw)).upper().replace("–", "-").replace("—", "-")
    short = _SHORT_CODE_RE.match(code)
    if short and unit_id:
        code = f"{unit_id}-{short.group(1)}-{short.group(2)}"
    if not DOSSIER_CODE_RE.match(code):
        raise TrackingError("bad_code", "dossier code does not match <unit>-<YYMMDD>-<XXXX>")
    return code


def normalize_secret(raw: str) -> str:
    secret = re.sub(r"\s+", "", _clean(raw)).upper()
    if not SECRET_RE.match(secret):
        raise TrackingError("bad_secret", "lookup secret has the wrong length or letters")
    return secret


def parse_payload(text: str, unit_id: str | None = None) -> TrackingRef:
    """A scanned or typed receipt reference → :class:`TrackingRef`; TrackingError otherwise."""
    s = _clean(text)
    if not s:
        raise TrackingError("not_receipt", "empty")
    if _ID_CARD_RE.match(s):
        raise TrackingError("id_card", "this is a citizen ID card QR")
    if s.lower().startswith(("http://", "https://")):
        query = parse_qs(urlsplit(s).query)
        code = (query.get("ma") or query.get("code") or [""])[0]
        secret = (query.get("k") or query.get("secret") or [""])[0]
        if not code or not secret:
            raise TrackingError("not_receipt", "URL without a dossier code and secret")
        return TrackingRef(normalize_code(code, unit_id), normalize_secret(secret))
    parts = [p for p in re.split(r"[|\s;,]+", s) if p]
    if parts and parts[0].upper() == PAYLOAD_PREFIX:
        parts = parts[1:]
    if len(parts) != 2:
        raise TrackingError("not_receipt", f"{len(parts)} parts")
    return TrackingRef(normalize_code(parts[0], unit_id), normalize_secret(parts[1]))


@dataclass
class HistoryLine:
    at: datetime
    title: str
    note: str = ""


@dataclass
class TrackingResult:
    """A dossier's status as the citizen should read it (already translated)."""

    code: str
    procedure_name: str
    status: str
    title: str  # "Đang giải quyết"
    explanation: str  # one or two plain sentences: what it means and what to do
    kind: str  # ok | info | warn | error, for the colour of the banner
    received_at: datetime
    appointment_at: datetime
    overdue: bool
    history: list[HistoryLine] = field(default_factory=list)


_KIND = {"received": "info", "accepted": "info", "processing": "info", "waiting": "warn", "denied": "error",
         "releasing": "ok", "done": "ok"}


def describe(status: DossierStatus, lang: str = "vi", now: datetime | None = None) -> TrackingResult:
    """Turn the backend's status into plain words in ``lang``."""
    t = Translator(lang)
    known = t.has(f"track.status.{status.status}")
    title = t[f"track.status.{status.status}"] if known else (status.status_vi or status.status)
    explanation = t[f"track.explain.{status.status}"] if known else ""
    if status.supplement_note:  # what is missing, in the officer's words
        explanation = f"{explanation} {t('track.explain.supplement', note=status.supplement_note.rstrip('.'))}".strip()
    if status.refusal_note:
        explanation = f"{explanation} {t('track.explain.refusal', note=status.refusal_note.rstrip('.'))}".strip()
    appointment = status.due_at or status.appointment_at  # an apology's new date replaces the receipt's
    if status.new_appointment_at is not None and status.status not in _FINISHED:
        apology = t("track.explain.apology", reason=status.apology_reason.rstrip("."),
                    day=status.new_appointment_at.strftime("%d/%m/%Y"))
        explanation = f"{explanation} {apology}".strip()
    now = now or datetime.now(appointment.tzinfo)
    overdue = status.status not in _FINISHED and status.status != "waiting" and appointment < now
    if overdue:
        explanation = (explanation + " " + t["track.explain.overdue"]).strip()
    history = [
        HistoryLine(
            at=e.at,
            title=t[f"track.status.{e.status}"] if t.has(f"track.status.{e.status}") else e.status,
            note=e.note,
        )
        for e in sorted(status.history, key=lambda e: e.at)
    ]
    return TrackingResult(
        code=status.code,
        procedure_name=status.procedure_name,
        status=status.status,
        title=title,
        explanation=explanation,
        kind=_KIND.get(status.status, "info"),
        received_at=status.received_at,
        appointment_at=appointment,
        overdue=overdue,
        history=history,
    )


class TrackingService:
    """Looks dossiers up on the backend. Blocking (HTTP): call it from a background task."""

    def __init__(self, backend: Any, unit_id: str | None = None) -> None:
        self.backend = backend
        self.unit_id = unit_id

    def use_backend(self, backend: Any) -> None:
        """Look dossiers up through ``backend`` from now on (a technician changed the backend)."""
        self.backend = backend

    def parse(self, text: str) -> TrackingRef:
        return parse_payload(text, self.unit_id)

    def ref(self, code: str, secret: str) -> TrackingRef:
        """A typed code and secret, checked (TrackingError with the field's message)."""
        return TrackingRef(normalize_code(code, self.unit_id), normalize_secret(secret))

    def lookup(self, ref: TrackingRef, lang: str = "vi") -> TrackingResult:
        """The status of ``ref``; TrackingError ``offline`` / ``not_found`` / ``failed``."""
        from kiosk.backend.client import BackendRejected, BackendUnavailable

        if self.backend is None:
            raise TrackingError("offline", "no backend configured")
        try:
            status = self.backend.dossier_status(ref.code, ref.secret)
        except BackendUnavailable as e:
            log.info("dossier lookup: backend unavailable: %s", e)
            raise TrackingError("offline", str(e)) from None
        except BackendRejected as e:
            if e.status in (403, 404):
                raise TrackingError("not_found", e.detail) from None
            log.warning("dossier lookup rejected: HTTP %s %s", e.status, e.detail)
            raise TrackingError("failed", e.detail) from None
        return describe(status, lang)
