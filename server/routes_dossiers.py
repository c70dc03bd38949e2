"""Dossiers: multipart submission with an Idempotency-Key (the lookup is in routes_lookup.py).

Order of work, so nothing is half-written: validate everything (metadata, file count,
sizes, content types) → stage files → replay check → blobs fsynced → one transaction
(code from the daily sequence, dossier, files, first event) → commit. The same key
with the same body returns the first receipt; with another body, 422.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Request, Response, UploadFile
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

import kiosk.api as api
from server import codes, deps, errors
from server.appointments import appointment
from server.auth import KioskIdentity, current_kiosk
from server.db import Database
from server.errors import ApiError, field_errors, unprocessable
from server.filecheck import FileRejected, clean_name, name_key
from server.filestore import FileStore, StagedFile
from server.models import Dossier, DossierEvent, DossierFile
from server.settings import ServerSettings

router = APIRouter(tags=["dossiers"])


def _receipt(d: Dossier, tz) -> api.DossierReceipt:
    return api.DossierReceipt(
        code=d.code, secret=d.secret, received_at=d.received_at.astimezone(tz),
        appointment_at=d.appointment_at.astimezone(tz), procedure_code=d.procedure_code, status=d.status,
        files=[api.FileReceipt(name=f.name, size=f.size, sha256=f.sha256, content_type=f.content_type)
               for f in d.files],
    )


def _existing(s: Session, kiosk_id: str, key: str) -> Dossier | None:
    return s.execute(
        select(Dossier).options(selectinload(Dossier.files))
        .where(Dossier.kiosk_id == kiosk_id, Dossier.idempotency_key == key)
    ).scalar_one_or_none()


def _referenced(db: Database, shas: set[str]) -> set[str]:
    with db.read() as s:
        return set(s.execute(select(DossierFile.sha256).where(DossierFile.sha256.in_(shas))).scalars())


def _replay(d: Dossier, fp: str, tz, response: Response) -> api.DossierReceipt:
    if d.fingerprint != fp:
        raise HTTPException(422, "idempotency key reused with a different request")
    response.status_code = 200
    response.headers["Idempotent-Replayed"] = "true"
    return _receipt(d, tz)


def _parse_meta(raw: str) -> api.DossierIn:
    try:
        return api.DossierIn.model_validate_json(raw)
    except ValidationError as e:
        raise unprocessable(field_errors(e.errors(), prefix=("meta",))) from None


def _create(s: Session, dossier: api.DossierIn, meta_json: str, staged: list[StagedFile], kiosk: KioskIdentity,
            cfg: ServerSettings, idempotency_key: str, fp: str) -> api.DossierReceipt:
    """The one transaction: code from the daily sequence, dossier, files, first event; the receipt before commit."""
    received = cfg.local_now()
    day = received.date()
    seq = codes.next_value(s, codes.dossier_sequence_name(kiosk.unit_id), day)
    if seq > codes.MAX_DOSSIERS_PER_DAY:
        raise HTTPException(503, "daily dossier numbers exhausted for this unit")
    d = Dossier(
        code=codes.dossier_code(kiosk.unit_id, day, seq), secret=codes.new_secret(),
        department_id=kiosk.department_id, kiosk_id=kiosk.kiosk_id,
        procedure_code=dossier.procedure_code, procedure_name=dossier.procedure_name,
        meta=json.loads(meta_json), status="received", received_at=received,
        appointment_at=appointment(received, dossier, cfg.calendar_file), idempotency_key=idempotency_key,
        fingerprint=fp,
    )
    d.files = [DossierFile(name=sf.name, size=sf.size, sha256=sf.sha256, content_type=sf.content_type)
               for sf in staged]
    s.add(d)
    s.flush()
    s.add(DossierEvent(dossier_id=d.id, at=received, status="received", note=f"kiosk {kiosk.kiosk_id}"))
    s.flush()
    return _receipt(d, cfg.tz)


@router.post("/dossiers", response_model=api.DossierReceipt, status_code=201,
             responses={200: {"model": api.DossierReceipt, "description": "a replay: the first receipt"},
                        **errors.problems(401, 403, 415)})
def submit_dossier(
    request: Request,
    response: Response,
    meta: str = Form(..., description="DossierIn as JSON"),
    files: list[UploadFile] = File(default_factory=list),
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=100, pattern=deps.IDEMPOTENCY_KEY),
    kiosk: KioskIdentity = Depends(current_kiosk),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
) -> api.DossierReceipt:
    dossier = _parse_meta(meta)
    if dossier.kiosk_id != kiosk.kiosk_id or dossier.receiving_unit_id != kiosk.unit_id:
        raise HTTPException(403, "this kiosk may only submit for its own department")
    if len(files) > cfg.max_files:
        raise unprocessable([{"field": "files", "message": f"at most {cfg.max_files} files"}])
    store: FileStore = request.app.state.files
    staged: list[StagedFile] = []
    try:
        total = 0
        names: set[str] = set()
        for i, up in enumerate(files):
            key = name_key(clean_name(up.filename, f"files[{i}]"))
            if key in names:
                raise FileRejected(422, "another file of this dossier has the same name", f"files[{i}]")
            names.add(key)
            sf = store.stage(up.file, up.filename, f"files[{i}]", cfg.max_file_bytes)
            staged.append(sf)
            total += sf.size
            if total > cfg.max_total_bytes:
                raise FileRejected(413, f"files larger than {cfg.max_total_bytes} bytes in total", "files")
        known = {sf.name for sf in staged}
        missing = [(i, n) for i, d in enumerate(dossier.documents) for n in d.files if n not in known]
        if missing:
            raise unprocessable([{"field": f"meta.documents[{i}].files", "message": f"no uploaded file {n!r}"}
                                 for i, n in missing])
        meta_json = dossier.model_dump_json()  # once: fingerprinted and stored
        fp = deps.fingerprint(meta_json, *[f"{sf.name}:{sf.sha256}" for sf in staged])
        with db.read() as s:
            old = _existing(s, kiosk.kiosk_id, idempotency_key)
            if old is not None:
                return _replay(old, fp, cfg.tz, response)
        created: list[str] = []
        done = False
        try:
            with store.naming():
                for sf in staged:  # durable before the transaction that names them (fsyncs outside the write lock)
                    if store.commit(sf):
                        created.append(sf.sha256)
                try:
                    with db.write() as s:
                        receipt = _create(s, dossier, meta_json, staged, kiosk, cfg, idempotency_key, fp)
                    done = True
                    return receipt
                except IntegrityError:  # the same key raced in from a resend: answer as a replay
                    with db.read() as s:
                        old = _existing(s, kiosk.kiosk_id, idempotency_key)
                        if old is None:
                            raise
                        return _replay(old, fp, cfg.tz, response)
        finally:
            if created and not done:  # failed after its files were stored: no blob may stay unnamed
                store.drop_unreferenced(created, lambda shas: _referenced(db, shas))
    except FileRejected as e:
        raise ApiError(e.status, e.detail, [{"field": e.field, "message": e.detail}]) from None
    finally:
        store.discard(staged)
