"""Service-quality ratings (Decision 766/QĐ-TTg), stored once per Idempotency-Key."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, HTTPException, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import kiosk.api as api
from server import deps, errors
from server.auth import KioskIdentity, current_kiosk
from server.db import Database
from server.errors import unprocessable
from server.models import Rating
from server.settings import ServerSettings

router = APIRouter(tags=["ratings"])


def _find(s: Session, kiosk_id: str, key: str) -> Rating | None:
    return s.execute(select(Rating).where(Rating.kiosk_id == kiosk_id, Rating.idempotency_key == key)).scalar_one_or_none()


def _ack(r: Rating, fp: str, tz, response: Response) -> api.RatingAck:
    if r.fingerprint != fp:
        raise HTTPException(422, "idempotency key reused with a different request")
    response.status_code = 200
    return api.RatingAck(id=r.id, received_at=r.received_at.astimezone(tz))


@router.post("/ratings", response_model=api.RatingAck, status_code=201,
             responses={200: {"model": api.RatingAck, "description": "a replay: the first answer"},
                        **errors.problems(401)})
def post_rating(
    body: api.RatingIn,
    response: Response,
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=100, pattern=deps.IDEMPOTENCY_KEY),
    kiosk: KioskIdentity = Depends(current_kiosk),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
) -> api.RatingAck:
    unknown = [{"field": f"reasons[{i}]", "message": f"not a configured reason ({', '.join(cfg.rating_reasons)})"}
               for i, tag in enumerate(body.reasons) if tag not in cfg.rating_reasons]
    if unknown:
        raise unprocessable(unknown)
    fp = deps.fingerprint(body.model_dump_json())
    try:
        with db.write() as s:
            old = _find(s, kiosk.kiosk_id, idempotency_key)
            if old is not None:
                return _ack(old, fp, cfg.tz, response)
            at = body.at if body.at.tzinfo else body.at.replace(tzinfo=cfg.tz)
            r = Rating(
                department_id=kiosk.department_id, kiosk_id=kiosk.kiosk_id, level=body.level,
                dossier_code=body.dossier_code, ticket_number=body.ticket_number, procedure_code=body.procedure_code,
                service=body.service, counter=body.counter, reasons=list(body.reasons), text=body.text, at=at,
                received_at=cfg.now(), channel=body.channel, idempotency_key=idempotency_key, fingerprint=fp,
            )
            s.add(r)
            s.flush()
            return api.RatingAck(id=r.id, received_at=r.received_at.astimezone(cfg.tz))
    except IntegrityError:  # the same key raced in from a resend (PostgreSQL): the first answer
        with db.read() as s:
            old = _find(s, kiosk.kiosk_id, idempotency_key)
            if old is None:
                raise
            return _ack(old, fp, cfg.tz, response)
