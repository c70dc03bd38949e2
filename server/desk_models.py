"""Wire models of the officer's dossier desk (``/desk/dossiers…``): what the desk reads and sends."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from server import dossier_flow as flow


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusChangeIn(_In):
    """Move a dossier on. ``note``: what is missing (``waiting``), the reason (``denied``), else optional."""

    status: str = Field(max_length=16, description=f"one of {', '.join(flow.STATUSES)}")
    note: str = Field("", max_length=2000)


class ApologyIn(_In):
    """The apology of a late dossier (Decree 61/2018): why, and the new appointment day."""

    reason: str = Field(min_length=1, max_length=2000)
    new_date: date


class DeskFileOut(BaseModel):
    no: int  # 1-based position in the dossier: /desk/dossiers/{code}/files/{no}
    name: str
    size: int
    content_type: str
    sha256: str


class DeskEventOut(BaseModel):
    at: datetime
    kind: str  # status | apology
    from_status: str | None
    status: str
    status_label: str
    note: str
    officer: str


class DeskRowOut(BaseModel):
    code: str
    procedure_code: str
    procedure_name: str
    applicant: str
    status: str
    status_label: str
    received_at: datetime
    appointment_at: datetime
    due_at: datetime  # the apology's new date if there is one
    overdue: bool


class DeskDossierOut(DeskRowOut):
    meta: dict[str, Any]
    files: list[DeskFileOut]
    history: list[DeskEventOut]
    allowed: list[str]  # where it may go next
    apology_reason: str | None
    result_at: datetime | None
