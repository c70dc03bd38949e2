"""``kiosk read-id``: decode the ID-card QR in images (or a payload) → one JSON line each.

The same code path as the identify screen (:func:`kiosk.identity.qr.scan_frame` and
:func:`kiosk.identity.payload.parse_payload`), so a technician can check a camera still or a
card's text from a terminal. Without ``--json`` the person is shown masked.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from kiosk.cli.common import EXIT_FAIL, EXIT_OK, UsageError, eprint
from kiosk.identity.payload import CitizenIdentity, IdentityError, parse_payload

IDENTITY_KEYS = ("id_number", "old_id_number", "full_name", "date_of_birth", "sex", "address", "issue_date", "card_type")


def _ok(file: str | None, identity: CitizenIdentity, ms: float) -> dict[str, Any]:
    data = identity.to_json()
    return {"file": file, "ok": True, "identity": {k: data[k] for k in IDENTITY_KEYS}, "ms": round(ms, 2)}


def _fail(file: str | None, error: IdentityError, ms: float) -> dict[str, Any]:
    return {
        "file": file,
        "ok": False,
        "error": {"code": error.code, "message": error.message_vi, "message_en": error.message_en},
        "ms": round(ms, 2),
    }


def read_image(path: str) -> dict[str, Any]:
    """Decode one image file; the result object of one output line."""
    import cv2

    from kiosk.identity.qr import scan_frame

    t0 = time.perf_counter()
    frame = cv2.imread(path, cv2.IMREAD_COLOR)
    if frame is None:
        return _fail(path, IdentityError("unreadable_image"), (time.perf_counter() - t0) * 1000)
    result = scan_frame(frame)
    ms = (time.perf_counter() - t0) * 1000
    if result.identity is not None:
        return _ok(path, result.identity, ms)
    return _fail(path, result.error or IdentityError("no_qr"), ms)


def read_text(payload: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        identity = parse_payload(payload)
    except IdentityError as e:
        return _fail(None, e, (time.perf_counter() - t0) * 1000)
    return _ok(None, identity, (time.perf_counter() - t0) * 1000)


def _human(result: dict[str, Any]) -> str:
    from kiosk.base.privacy import mask_id

    where = result["file"] or "--text"
    if result["ok"]:
        ident = result["identity"]
        return (f"{where}: OK {ident['card_type']} {mask_id(ident['id_number'])} {ident['full_name']} "
                f"born {ident['date_of_birth']} ({result['ms']:.1f} ms)")
    return f"{where}: FAILED {result['error']['code']}: {result['error']['message']}"


def run(args: argparse.Namespace) -> int:
    if not args.images and args.text is None:
        raise UsageError("give one or more IMAGE files or --text PAYLOAD")
    results = [read_text(args.text)] if args.text is not None else []
    results += [read_image(path) for path in args.images]
    for result in results:
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            (print if result["ok"] else eprint)(_human(result))
    return EXIT_OK if all(r["ok"] for r in results) else EXIT_FAIL


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read-id", help="decode the ID card QR in images → identity JSON")
    p.add_argument("images", nargs="*", metavar="IMAGE")
    p.add_argument("--text", metavar="PAYLOAD", help="parse a QR payload instead of (or besides) images")
    p.add_argument("--json", action="store_true", help="one JSON object per line on stdout")
    p.set_defaults(func=run)
