"""The pages a citizen has taken for each paper of a procedure, and turning them into attachments.

The scan screen keeps one :class:`ScanBatch` per visit's scan step: pages are added as they are
captured (already flattened and checked), deleted or retaken; :meth:`ScanBatch.finish` OCRs
them (reporting progress) and writes, inside the visit's private folder, each page as JPEG
and one searchable PDF per paper → :class:`kiosk.journeys.visit.Attachment`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.documents.fields import find_fields
from kiosk.journeys.visit import Attachment
from kiosk.journeys.visit import Suggestion as Offer

if TYPE_CHECKING:  # the scan screen builds an empty batch at start-up: OpenCV, OCR and PDF load in finish()
    from kiosk.documents.extract import Suggestion
    from kiosk.documents.pipeline import PageResult

log = logging.getLogger(__name__)

QUALITY_KEY = "/PageQuality"  # PDF info entry: the gate's verdict per page, JSON (see ScanBatch.quality)


@dataclass
class Paper:
    """One paper of the procedure's checklist."""

    key: str
    name: str
    required: bool = True
    pages: list[PageResult] = field(default_factory=list)


class ScanBatch:
    def __init__(self, papers: list[Paper], procedure=None) -> None:
        """``procedure`` (a :class:`kiosk.declarations.Procedure`): its documents' ``reads`` say which
        form fields each paper carries; without it no field is read off the pages."""
        self.papers = {p.key: p for p in papers}
        self.procedure = procedure

    def add(self, key: str, page: PageResult, index: int | None = None) -> int:
        """Add a page (at ``index`` for a retake); returns its position."""
        pages = self.papers[key].pages
        if index is None or index >= len(pages):
            pages.append(page)
            return len(pages) - 1
        pages.insert(index, page)
        return index

    def delete(self, key: str, index: int) -> None:
        pages = self.papers[key].pages
        if 0 <= index < len(pages):
            del pages[index]

    def missing_required(self) -> list[Paper]:
        return [p for p in self.papers.values() if p.required and not p.pages]

    def page_count(self) -> int:
        return sum(len(p.pages) for p in self.papers.values())

    def clear(self) -> None:
        for p in self.papers.values():
            p.pages.clear()

    def finish(
        self,
        folder: Path,
        progress: Callable[[int, int], None] | None = None,
        metadata: Callable[[Paper], dict[str, str]] | None = None,
    ) -> dict[str, Attachment]:
        """OCR every page, write pages and PDFs into ``folder``; one Attachment per paper with pages."""
        import cv2

        from kiosk.documents import extract
        from kiosk.documents.pipeline import build_attachment, read_page

        folder.mkdir(parents=True, exist_ok=True)
        total, done = self.page_count(), 0
        out: dict[str, Attachment] = {}
        for paper in self.papers.values():
            if not paper.pages:
                continue
            files = []
            for i, page in enumerate(paper.pages):
                if progress:
                    progress(done, total)
                if page.ocr is None:
                    read_page(page)
                if self.procedure is not None:
                    page.suggestions = extract.for_page(self.procedure, paper.key, page, page=i)
                path = folder / f"{paper.key}-trang-{i + 1}.jpg"
                cv2.imwrite(str(path), page.flat, [cv2.IMWRITE_JPEG_QUALITY, 85])
                files.append(path)
                done += 1
            meta = {"/Title": paper.name, "/Keywords": paper.key, QUALITY_KEY: json.dumps(self.quality(paper.key))}
            meta.update(metadata(paper) if metadata else {})
            pdf = build_attachment(paper.pages, folder / f"{paper.key}.pdf", meta)
            text = "\n\f\n".join(p.text for p in paper.pages)
            out[paper.key] = Attachment(document_key=paper.key, pages=files, pdf=pdf, text=text,
                                        quality=self.quality(paper.key))
            log.info("scanned %s: %d page(s)", paper.key, len(paper.pages))
        if progress:
            progress(total, total)
        return out

    def suggestions(self) -> dict[str, list[str]]:
        """ID numbers, dates and names read on the pages (for the form to offer)."""
        merged: dict[str, list[str]] = {}
        for paper in self.papers.values():
            for page in paper.pages:
                for k, values in find_fields(page.text).items():
                    merged.setdefault(k, [])
                    merged[k] += [v for v in values if v not in merged[k]]
        return merged

    def quality(self, key: str) -> list[dict]:
        """The gate's verdict on each page of a paper (``good``/``doubtful``, reason codes, action):
        what the dossier's metadata carries, so an officer sees which pages to check."""
        out = []
        for i, page in enumerate(self.papers[key].pages):
            q = page.quality.as_json() if page.quality else {"verdict": "doubtful", "reasons": ["not_checked"]}
            out.append({"page": i + 1, **q})
        return out

    def quality_report(self) -> dict[str, list[dict]]:
        """:meth:`quality` for every paper with pages."""
        return {k: self.quality(k) for k, p in self.papers.items() if p.pages}

    def doubtful_pages(self) -> list[tuple[str, int]]:
        """(paper key, page index) of every page the gate did not pass as good."""
        return [(k, i) for k, p in self.papers.items() for i, page in enumerate(p.pages)
                if page.quality is None or not page.quality.good]

    def field_suggestions(self) -> dict[str, Suggestion]:
        """The surest value read for each form field, with its paper and page (provenance)."""
        best: dict[str, Suggestion] = {}
        for paper in self.papers.values():
            for page in paper.pages:
                for sug in page.suggestions:
                    if sug.field not in best or sug.confidence > best[sug.field].confidence:
                        best[sug.field] = sug
        return best

    def offers(self) -> dict[str, Offer]:
        """:meth:`field_suggestions` as the submit journey takes them (``SubmitJourney.scanned``): the form offers
        each beside its field. A select's value is shown by its option's label, anything else as the form stores it."""
        selects = set()
        if self.procedure is not None:
            selects = {f.key for f in self.procedure.form.fields if f.type == "select"}
        return {
            key: Offer(key, s.value, s.document, s.confidence, display=s.display if key in selects else s.value,
                       page=s.page)
            for key, s in self.field_suggestions().items()
        }
