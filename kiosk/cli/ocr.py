"""``kiosk ocr IMAGE... [--json] [--pdf OUT]``: the document pipeline on photos or scans.

Per image: page found?, its corners, the text, mean word confidence, seconds, and the quality
warnings the scan screen would show (``blurred``, ``dark``, ``cut_off``, ``glare``, ``no_page``).
With ``--pdf`` every page found goes, in order, into one searchable PDF.
Exit 0 when every image gave a page, 1 when one did not, 2 for unreadable input.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_FAIL, EXIT_OK, UsageError, eprint

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ocr", help="find, flatten and OCR document photos; optional searchable PDF")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--json", action="store_true", help="one JSON list on stdout")
    p.add_argument("--pdf", metavar="OUT", help="write the pages as one searchable PDF")
    p.add_argument("--source", choices=["auto", "camera", "scan"], default="auto",
                   help="scan = the image is the page (flatbed); camera = find the page on the desk")
    p.add_argument("--lang", default="vie", help="tesseract languages (default vie)")
    p.add_argument("--psm", type=int, default=None, help="tesseract page segmentation mode")
    p.add_argument("--title", default="", help="PDF title (the dossier component's name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.documents import OcrError, build_attachment, process_image, read_image

    missing = [f for f in args.images if not Path(f).is_file()]
    if missing:
        raise UsageError(f"no such file: {missing[0]}")
    out: list[dict] = []
    results = []
    failed = False
    for name in args.images:
        image = read_image(name)
        if image is None:
            raise UsageError(f"not an image: {name}")
        try:
            r = process_image(image, source=args.source, lang=args.lang, psm=args.psm, pdf_layer=bool(args.pdf))
        except OcrError as e:
            eprint(f"kiosk ocr: {e}")
            return EXIT_FAIL
        out.append(r.as_json(name))
        if r.page_found:
            results.append(r)
        else:
            failed = True
        if not args.json:
            head = f"== {name}: " + ("page found" if r.page_found else "no page") + f", {r.seconds:.1f} s"
            if r.warnings:
                head += ", warnings: " + ", ".join(r.warnings)
            eprint(head)
            if r.text:
                print(r.text)
    if args.pdf:
        if not results:
            eprint("kiosk ocr: no page found, no PDF written")
            failed = True
        else:
            meta = {"/Title": args.title or Path(args.pdf).stem, "/Subject": "Hồ sơ một cửa - tài liệu quét"}
            build_attachment(results, Path(args.pdf), meta)
            eprint(f"wrote {args.pdf} ({len(results)} page(s))")
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return EXIT_FAIL if failed else EXIT_OK
