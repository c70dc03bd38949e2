"""Declarations: the procedure catalog, the e-form being filled, submission, the receipt, working days.

- :mod:`~kiosk.declarations.procedure`: one procedure's TOML file, validated (form, papers, legal time, fee);
- :mod:`~kiosk.declarations.catalog`: every procedure, searchable without diacritics (numpy, rapidfuzz);
- :mod:`~kiosk.declarations.forms`: :class:`FormState` — values, their sources, Vietnamese validation;
- :mod:`~kiosk.declarations.workdays`: appointment = received + legal time in working days (Tết included);
- :mod:`~kiosk.declarations.receipt`: the receipt and appointment slip, the declaration PDF (Pillow);
- :mod:`~kiosk.declarations.submission`: validate → outbox → receipt, one path for screens and CLI.

Catalog, receipt and submission load on first use, so the server (which shares the procedure
models and the calendar) and the CLI do not pay for Pillow or numpy they do not use.
"""

from kiosk.base.lazy import lazy_names
from kiosk.declarations.forms import (
    FieldError,
    FieldLocked,
    FormState,
    check_value,
    format_date,
    parse_date,
)
from kiosk.declarations.procedure import (
    PREFILL_SOURCES,
    CatalogError,
    Document,
    FormField,
    FormSchema,
    Procedure,
)
from kiosk.declarations.workdays import (
    DEFAULT_CALENDAR,
    LegalTime,
    WorkCalendar,
    appointment,
)


def _catalog():  # type: ignore[no-untyped-def]
    from kiosk.declarations import catalog

    return catalog


def _receipt():  # type: ignore[no-untyped-def]
    from kiosk.declarations import receipt

    return receipt


def _submission():  # type: ignore[no-untyped-def]
    from kiosk.declarations import submission

    return submission


_CATALOG_NAMES = ("Catalog", "catalog_for_kiosk", "load_catalog", "refresh_from_backend")
_RECEIPT_NAMES = ("ReceiptData", "ReceivedDocument", "render_slip")
_SUBMISSION_NAMES = ("DeclarationError", "DeclarationInvalid", "Submission", "print_receipt", "submit")
__getattr__ = lazy_names(__name__, {_catalog: _CATALOG_NAMES, _receipt: _RECEIPT_NAMES, _submission: _SUBMISSION_NAMES})

__all__ = [
    "DEFAULT_CALENDAR", "PREFILL_SOURCES", "CatalogError", "Document", "FieldError", "FieldLocked", "FormField", "FormSchema",
    "FormState", "LegalTime", "Procedure", "WorkCalendar", "appointment", "check_value", "format_date", "parse_date",
    *_CATALOG_NAMES, *_RECEIPT_NAMES, *_SUBMISSION_NAMES,
]
