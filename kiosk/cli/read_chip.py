"""``kiosk read-chip``: read the ID card's chip on the configured reader → identity JSON (or a masked line).

The key: ``--can``, ``--mrz`` (typed lines), ``--mrz-image`` (the card back's MRZ by OCR,
:mod:`kiosk.identity.chip.mrz_ocr`) or ``--qr-text``.

The same code path as the identify screen: ``devices.factory.open_card_reader`` and
:func:`kiosk.identity.chip.read_chip`, then :func:`merge_with_qr` when the key came from the QR
(a chip that disagrees with the QR is refused). One attempt per run: a wrong key is reported,
not retried. Without ``--json`` numbers and names are masked as in the logs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAIL, EXIT_OK, UsageError, config_from_args, eprint


def _access(args: argparse.Namespace) -> tuple[Any, Any]:
    """(AccessKey, QR identity or None) from --can / --mrz / --qr-text."""
    from kiosk.identity import IdentityError, parse_payload
    from kiosk.identity.chip import AccessKey

    given = [a for a in (args.can, args.mrz, args.mrz_image, args.qr_text) if a is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of --can N, --mrz LINE1,LINE2,LINE3, --mrz-image IMAGE or --qr-text PAYLOAD")
    if args.can is not None:
        return AccessKey.from_can(args.can), None
    if args.mrz is not None:
        return AccessKey.from_mrz(args.mrz), None
    if args.mrz_image is not None:
        return _mrz_from_image(args.mrz_image), None
    try:
        qr = parse_payload(args.qr_text)
    except IdentityError as e:
        raise UsageError(f"--qr-text: {e.message_en}") from None
    return AccessKey.from_qr(qr), qr


def _mrz_from_image(path: str) -> Any:
    """The access key from a photo or scan of the card's back (tesseract, every check digit verified)."""
    from kiosk.identity.chip import AccessKey, ChipError
    from kiosk.identity.chip.mrz_ocr import MrzImageError, read_mrz_image

    if not Path(path).is_file():
        raise UsageError(f"--mrz-image: no such file {path}")
    try:
        return AccessKey.from_mrz(read_mrz_image(path))
    except MrzImageError as e:
        raise ChipError("bad_access_key", f"MRZ not read from the image ({e.field})") from None


def _reader_uri(args: argparse.Namespace, configured: str) -> str:
    if args.reader is None:
        return configured
    return args.reader if args.reader.split(":", 1)[0] in {"pcsc", "none"} and ":" in args.reader \
        else f"pcsc:{args.reader}"


def _result(identity: Any, reading: Any, ms: float) -> dict[str, Any]:
    return {
        "ok": True,
        "identity": identity.to_json(),
        "authenticity": {"status": reading.authenticity.status, "label_vi": reading.authenticity.label_vi,
                         "reason": reading.authenticity.reason, "checked": list(reading.authenticity.checked)},
        "data_groups": list(reading.com.data_groups),
        "photo": {"format": reading.photo_format, "bytes": len(reading.photo)} if reading.photo else None,
        "apdus": reading.apdus,
        "ms": round(ms, 1),
    }


def _human(result: dict[str, Any]) -> str:
    from kiosk.base.privacy import mask_id, mask_name

    i, a = result["identity"], result["authenticity"]
    parts = [f"OK chip {a['status']} ({a['label_vi']}, {a['reason']})", mask_id(i["id_number"]),
             mask_name(i["full_name"]), f"born {i['date_of_birth']}", f"expires {i['expiry_date']}"]
    for key in ("nationality", "ethnicity", "religion"):
        if i.get(key):
            parts.append(f"{key} {i[key]}")
    for key in ("father_name", "mother_name", "spouse_name"):
        if i.get(key):
            parts.append(f"{key.removesuffix('_name')} {mask_name(i[key])}")
    if result["photo"]:
        parts.append(f"photo {result['photo']['format']} {result['photo']['bytes']} B")
    return ", ".join(parts) + f" ({result['apdus']} APDUs, {result['ms']:.0f} ms)"


def run(args: argparse.Namespace) -> int:
    from devices.card_reader import CardReaderError
    from devices.factory import open_card_reader
    from kiosk.identity.chip import ChipError, identity_from_chip, merge_with_qr, read_chip

    config = config_from_args(args)
    t0 = time.perf_counter()
    try:
        key, qr = _access(args)
        reader = open_card_reader(_reader_uri(args, config.chip.reader))
        csca = args.csca_dir if args.csca_dir is not None else (
            str(config.path(config.chip.csca_dir)) if config.chip.csca_dir else None)
        if reader.is_present and not reader.wait_for_card(args.wait):
            raise ChipError("no_card", f"no card within {args.wait:g} s")
        reading = read_chip(reader, key, csca, with_photo=not args.no_photo)
        identity = merge_with_qr(qr, reading) if qr is not None else identity_from_chip(reading)
    except CardReaderError as e:
        from kiosk.identity.chip.reading import device_error

        return _fail(args, device_error(e))
    except ChipError as e:
        return _fail(args, e)
    result = _result(identity, reading, (time.perf_counter() - t0) * 1000)
    if args.photo_out and reading.photo:
        Path(args.photo_out).write_bytes(reading.photo)
    print(json.dumps(result, ensure_ascii=False) if args.json else _human(result), flush=True)
    return EXIT_OK


def _fail(args: argparse.Namespace, e: Any) -> int:
    if args.json:
        print(json.dumps({"ok": False, "error": {"code": e.code, "message": e.message_vi, "message_en": e.message_en,
                                                 "detail": e.detail}}, ensure_ascii=False), flush=True)
    else:
        eprint(f"FAILED {e.code}: {e.message_vi} ({e.message_en})")
    return EXIT_FAIL


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read-chip", help="read the ID card's chip on the card reader → identity JSON")
    p.add_argument("--reader", metavar="PATTERN", help="reader name pattern or URI (default: [chip] reader)")
    p.add_argument("--can", metavar="N", help="the 6-digit CAN (PACE; the chip must offer it)")
    p.add_argument("--mrz", metavar="LINE1,LINE2,LINE3", help="the three MRZ lines of the card's back")
    p.add_argument("--mrz-image", metavar="IMAGE", help="a photo or scan of the card's back: its MRZ read by OCR")
    p.add_argument("--qr-text", metavar="PAYLOAD", help="the card's QR text: key from it, chip checked against it")
    p.add_argument("--csca-dir", metavar="DIR", help="CSCA certificates (default: [chip] csca_dir)")
    p.add_argument("--wait", type=float, default=10, metavar="S", help="seconds to wait for the card (10)")
    p.add_argument("--no-photo", action="store_true", help="skip DG2 (the face image)")
    p.add_argument("--photo-out", metavar="FILE", help="write the face image here")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout (unmasked)")
    p.set_defaults(func=run)
