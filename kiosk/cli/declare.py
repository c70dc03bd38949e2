"""``kiosk declare``: validate and submit a declaration from a JSON file — the screens' code path.

    kiosk declare --procedure 1.001193 --answers answers.json --identity-text "0360…|…" --json

``answers.json`` maps form field keys to values (dates ``dd/mm/yyyy`` or ISO). Fields the
ID card fills (``--identity-text`` is the card's QR text) need not be given, and cannot be changed
(the card's values are locked, as on the screen). Exit 0 when the
dossier was received or queued in the outbox, 2 for a bad procedure, answers or card text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    config_from_args,
    eprint,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("declare", help="validate and submit a declaration from answers in JSON")
    p.add_argument("--procedure", required=True, metavar="CODE")
    p.add_argument("--answers", required=True, metavar="FILE.json", help="form field key → value ('-' reads stdin)")
    p.add_argument("--identity-text", metavar="PAYLOAD", help="the ID card's QR text; prefills the form")
    p.add_argument("--wait", type=float, default=10.0, metavar="S", help="seconds to wait for the backend (default 10)")
    p.add_argument("--print", dest="print_slip", action="store_true", help="print the receipt on the configured printer")
    p.add_argument("--receipt-png", metavar="OUT", help="save the receipt slip image")
    p.add_argument("--receipt-pdf", metavar="OUT", help="save the receipt + declaration PDF")
    p.add_argument("--check", action="store_true", help="validate only; submit nothing")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def _answers(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise UsageError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: must be a JSON object of field → value")
    return data


def run(args: argparse.Namespace) -> int:
    from kiosk.declarations.catalog import load_catalog
    from kiosk.declarations.forms import FieldLocked, FormState
    from kiosk.declarations.procedure import CatalogError
    from kiosk.declarations.submission import (
        DeclarationError,
        DeclarationInvalid,
        submit,
    )

    config = config_from_args(args)
    answers = _answers(args.answers)
    identity = None
    if args.identity_text:
        from kiosk.identity.payload import IdentityError, parse_payload

        try:
            identity = parse_payload(args.identity_text)
        except IdentityError as e:
            raise UsageError(f"--identity-text: {e.message(args.lang)}") from None
    try:
        catalog = load_catalog(config.path(config.catalog.path))
    except CatalogError as e:
        eprint(f"kiosk declare: {e}")
        return EXIT_USAGE
    procedure = catalog.get(args.procedure)
    if procedure is None:
        raise UsageError(f"unknown procedure {args.procedure!r}; known: {', '.join(p.code for p in catalog)}")
    form = FormState.start(procedure.form, identity)
    try:
        unknown = form.update(answers)
    except FieldLocked as e:
        raise UsageError(f"{args.answers}: {e.key} is read from the ID card and cannot be changed") from None
    if unknown:
        raise UsageError(f"{args.answers}: not fields of {procedure.code}: {', '.join(sorted(unknown))}")
    errors = form.check_all()
    if errors or args.check:
        out = {"valid": not errors, "errors": [{"field": k, "message": e.message(args.lang)} for k, e in errors.items()],
               "prefill": vars(form.report())}
        if args.json:
            print(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            for item in out["errors"]:
                eprint(f"  {item['field']}: {item['message']}")
            eprint("valid" if not errors else f"{len(errors)} field(s) to fix")
        return EXIT_USAGE if errors else EXIT_OK

    from kiosk.services import build_services

    services = build_services(config)
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-declare-"))
    try:
        services.catalog = catalog
        sub = submit(services, procedure, form, workdir=workdir, wait_s=args.wait, lang=args.lang, print_slip=args.print_slip)
        if args.receipt_png:
            sub.slip.save(args.receipt_png)
        if args.receipt_pdf:
            shutil.copyfile(sub.receipt_pdf, args.receipt_pdf)
        r = sub.receipt
        out = {
            "status": sub.status,
            "code": r.code,
            "secret": r.secret,
            "provisional_ref": r.provisional_ref or None,
            "procedure": procedure.code,
            "received_at": r.received_at.isoformat(),
            "appointment_at": r.appointment_at.isoformat(),
            "outbox_item": sub.item_id,
            "printed": sub.printed if args.print_slip else None,
            "print_error": sub.print_error or None,
            "files": sub.files,
            "prefill": vars(sub.report),
        }
        if args.json:
            print(json.dumps(out, ensure_ascii=False, indent=2))
        elif r.code:
            eprint(f"received: {r.code} (lookup code {r.secret}), result due {r.appointment_at:%H:%M %d/%m/%Y}")
        else:
            eprint(f"queued in the outbox (ref {r.provisional_ref}); expected {r.appointment_at:%H:%M %d/%m/%Y}")
        if args.print_slip and not sub.printed:
            eprint(f"receipt not printed: {sub.print_error}")
            return EXIT_FAIL
        return EXIT_OK
    except DeclarationInvalid as e:  # pragma: no cover - checked above
        eprint(f"kiosk declare: {e}")
        return EXIT_USAGE
    except DeclarationError as e:
        eprint(f"kiosk declare: {e.message('en')}")
        return EXIT_FAIL
    finally:
        services.close()
        shutil.rmtree(workdir, ignore_errors=True)
