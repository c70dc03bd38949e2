"""Privacy at the end of a visit: after ID card, form and scans, nothing of the citizen remains.

Real components: the ID card is read from a camera image with zxing/zbar, a page is captured
into the visit's folder the way the scan screen does it, the kiosk logs through its masking
handlers to its own file. Then ``Visit.wipe`` (what "Kết thúc" and the idle timeout call) runs
and the kiosk's data directory, the temp directory and the log are searched byte by byte for the
citizen's name and ID number, and the Python heap for objects that still hold them.
"""

from __future__ import annotations

import gc
import logging
import tempfile
import unicodedata
from pathlib import Path

import cv2
import pytest
from PIL import Image, ImageDraw, ImageFont

from kiosk.base.logs import setup_logging
from kiosk.base.paths import FONT_REGULAR, PROJECT_ROOT
from kiosk.identity.payload import CitizenIdentity
from kiosk.identity.qr import read_identity
from kiosk.journeys.visit import Attachment
from kiosk.services import build_services

ID_IMAGE = PROJECT_ROOT / "assets" / "samples" / "camera" / "01_cccd_chip_front.jpg"


def _needles(identity: CitizenIdentity) -> list[bytes]:
    """The ways the citizen could be written down: name (NFC, NFD, UTF-16), 12-digit and old 9-digit number."""
    out = [identity.id_number.encode()]
    if identity.old_id_number:
        out.append(identity.old_id_number.encode())
    for form in ("NFC", "NFD"):
        name = unicodedata.normalize(form, identity.full_name)
        out += [name.encode("utf-8"), name.encode("utf-16-le")]
    return out


def _files_containing(roots: list[Path], needles: list[bytes]) -> list[str]:
    hits = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                hits += [f"{path}: {n!r}" for n in needles if n in data]
    return hits


def _capture_page(visit, identity: CitizenIdentity) -> Path:
    """A page the way the scan screen stores it: an image and its OCR text in the visit's folder."""
    folder = visit.workdir() / "scan"
    folder.mkdir(parents=True, exist_ok=True)
    page = Image.new("RGB", (1240, 600), "white")
    ImageDraw.Draw(page).text((60, 60), f"Họ và tên: {identity.full_name}\nSố định danh: {identity.id_number}",
                              font=ImageFont.truetype(str(FONT_REGULAR), 40), fill="black")
    path = folder / "page-1.png"
    page.save(path)
    (folder / "page-1.txt").write_text(f"{identity.full_name} {identity.id_number}", encoding="utf-8")
    visit.submit.attachments["to_khai"] = Attachment("to_khai", pages=[path], text=(folder / "page-1.txt").read_text())
    return path


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """This test's own temp dir (in-process and for child processes): the machine's /tmp is shared with
    other test runs, whose files (the same invented citizen) must not be taken for this visit's leftovers."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    monkeypatch.setenv("TMPDIR", str(path))
    return path


@pytest.fixture
def services(kiosk_config, private_tmp):
    kiosk_config.accessibility.voice_player = "none"
    setup_logging(kiosk_config.path(kiosk_config.logging.file), "DEBUG", stderr=False)
    svc = build_services(kiosk_config)
    yield svc
    svc.close()
    for h in list(logging.getLogger().handlers):
        if getattr(h, "_kiosk", False):
            logging.getLogger().removeHandler(h)
            h.close()


@pytest.mark.slow
def test_nothing_of_the_citizen_remains_after_the_visit(services, kiosk_config, private_tmp):
    visit = services.visit
    frame = cv2.imread(str(ID_IMAGE))
    identity = read_identity(frame)
    assert identity is not None
    needles = _needles(identity)
    del frame

    # The visit as the submit journey fills it.
    from kiosk.declarations import FormState

    visit.journey = "submit"
    visit.identity = identity
    visit.submit.procedure_code = "1.004222"
    visit.submit.form = FormState.start(services.catalog["1.004222"].form, identity)
    assert visit.submit.form.get("ho_ten") == identity.full_name
    page = _capture_page(visit, identity)
    workdir = visit.workdir()
    log = logging.getLogger("kiosk.test_visit")
    # What careless code could log: the masking handlers must keep it out of the file.
    log.info("identity read: %s", identity)
    payload = "|".join([identity.id_number, identity.old_id_number or "", identity.full_name,
                        identity.date_of_birth.strftime("%d%m%Y"), "Nam" if identity.sex == "male" else "Nữ",
                        identity.address, identity.issue_date.strftime("%d%m%Y") if identity.issue_date else ""])
    log.info("QR read: %s", payload)  # a decoder logging the raw card text
    del payload
    log.warning("form submitted for %s", identity.id_number)

    data_dir = kiosk_config.data_path()
    assert page.exists() and str(workdir).startswith(str(data_dir))
    # Before the wipe the search does find the citizen (so the search itself works).
    assert _files_containing([data_dir], needles)

    visit.wipe()
    assert not workdir.exists()  # moved out of the way at once; deleted on a worker
    assert visit.wait_deleted()
    del identity
    gc.collect()

    # Memory: the visit holds nothing, and no identity or attachment object is alive anywhere.
    assert visit.is_empty()
    alive = [o for o in gc.get_objects() if isinstance(o, (CitizenIdentity, Attachment))]
    assert alive == []
    # Files: the visit's folder with the captures is gone; nothing in the data dir or any temp file.
    assert not workdir.exists() and not page.exists()
    assert _files_containing([data_dir, private_tmp], needles) == []
    # Logs: the kiosk's own log file was written, and holds neither the name nor the number.
    log_file = kiosk_config.path(kiosk_config.logging.file)
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_bytes()
    assert b"identity read" in text and b"visit wiped" in text
    assert not [n for n in needles if n in text]


def test_wipe_deletes_captures_not_yet_in_the_outbox_but_keeps_the_outbox(services, kiosk_config):
    """Files handed to the outbox are copied there first; the visit's own captures go with the visit."""
    from kiosk import api
    visit = services.visit
    identity = read_identity(cv2.imread(str(ID_IMAGE)))
    page = _capture_page(visit, identity)
    meta = api.DossierIn(
        receiving_unit_id=kiosk_config.kiosk.receiving_unit_id, kiosk_id=kiosk_config.kiosk.id,
        procedure_code="2.000815", procedure_name="Chứng thực bản sao từ bản chính",
        applicant=api.Applicant(full_name="Người Nộp Thử"), rule=api.ProcessingRule(working_days=0),
    )
    queued = services.outbox.submit_dossier(meta, [page])
    second = _capture_page(visit, identity).with_name("page-2.png")
    page.rename(second)  # a capture taken after the dossier was queued
    visit.wipe()
    assert visit.wait_deleted()
    assert not second.exists() and not page.exists()
    stored = [i for i in services.outbox.items() if i.id == queued.item_id]
    assert stored and stored[0].files  # the outbox keeps its own copy, to send later
