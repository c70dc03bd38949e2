"""Appointment time of a received dossier — the one rule, :func:`kiosk.declarations.workdays.appointment`.

The legal rule (working days, or same day with a 15:00 cut-off) is in the dossier's metadata;
the province's calendar (extra days off, make-up days) is the server's ``_calendar.toml``. The
kiosk does not send an appointment: its provisional receipt for a queued dossier applies the same
function (``kiosk.declarations.submission.expected_appointment``), and once the dossier is
acknowledged the server's answer is the one printed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import kiosk.api as api
import kiosk.declarations.workdays as workdays  # noqa: PLR0402 (the server may import this module only)

log = logging.getLogger(__name__)


def appointment(received: datetime, meta: api.DossierIn, calendar_file: Path | None = None) -> datetime:
    """When the result is due, as an aware datetime in ``received``'s time zone."""
    # a broken province file must not refuse the dossier: national holidays only, loudly
    return workdays.appointment(received, meta.rule, calendar(calendar_file))


def calendar(calendar_file: Path | None = None) -> workdays.WorkCalendar:
    """The province's working calendar (national holidays only when the file is missing or broken)."""
    if calendar_file is None:
        return workdays.DEFAULT_CALENDAR
    try:
        return workdays.load_calendar(calendar_file)
    except ValueError:
        log.exception("province calendar unreadable; national holidays only")
        return workdays.DEFAULT_CALENDAR


def restart(now: datetime, meta: dict, calendar_file: Path | None = None) -> datetime:
    """The appointment once missing papers arrive: the legal time counts again, in full, from ``now``."""
    rule = api.ProcessingRule.model_validate(meta.get("rule") or {})
    return workdays.appointment(now, rule, calendar(calendar_file))
