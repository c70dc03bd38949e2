"""What the dossier page shows besides the record: the declared fields under the labels the citizen read
(from the procedure catalog), and the text layer of each searchable PDF (the kiosk's OCR), read with pypdf."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger(__name__)
MAX_OCR_PAGES = 30
MAX_OCR_CHARS = 20_000
SOURCE_VI = {"card": "thẻ căn cước", "typed": "người dân nhập", "default": "mặc định"}


def _labels(catalog_dir: Path | None, procedure_code: str) -> list[tuple[str, str, str]]:
    """(page title, field key, label) in the form's order, from the catalog."""
    from server.routes_catalog import load_procedures

    try:
        procs = load_procedures(catalog_dir)
    except Exception:  # noqa: BLE001 — a broken catalog must not hide a dossier: keys are shown instead
        log.exception("catalog unreadable; the dossier page shows field keys")
        return []
    proc = next((p for p in procs if p.get("code") == procedure_code), None)
    if proc is None:
        return []
    return [(page.get("title_vi", ""), f.get("key", ""), f.get("label_vi", ""))
            for page in (proc.get("form") or {}).get("pages", []) for f in page.get("fields", [])]


def declared_fields(meta: dict[str, Any], catalog_dir: Path | None, procedure_code: str) -> list[dict[str, str]]:
    """Every declared value, labelled as on the kiosk's form (unknown keys last, under their key)."""
    form: dict[str, Any] = meta.get("form") or {}
    sources: dict[str, str] = meta.get("field_sources") or {}
    fields = _labels(catalog_dir, procedure_code)
    out, seen = [], set()
    for page, key, label in fields:
        if key in form:
            seen.add(key)
            out.append({"page": page, "label": label or key, "value": _show(form[key]),
                        "source": _source(sources.get(key))})
    for key, value in form.items():
        if key not in seen:
            out.append({"page": "", "label": key, "value": _show(value), "source": _source(sources.get(key))})
    return out


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _source(src: str | None) -> str:
    if not src:
        return ""
    if src.startswith("document:"):
        return "đọc từ giấy tờ (OCR)"
    return SOURCE_VI.get(src, src)


def pdf_text(path: Path) -> str:
    """The text layer of a searchable PDF ("" for an image, a broken file, or no text)."""
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        parts = []
        for page in reader.pages[:MAX_OCR_PAGES]:
            parts.append(" ".join((page.extract_text() or "").split()))
            if sum(map(len, parts)) > MAX_OCR_CHARS:
                break
        return "\n\n".join(p for p in parts if p)[:MAX_OCR_CHARS]
    except (PyPdfError, OSError, ValueError):
        return ""
