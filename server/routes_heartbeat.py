"""Kiosk heartbeats: the last status of each kiosk, for the operations page (routes_kiosks.py)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, HTTPException, Path

import kiosk.api as api
from server import deps, errors
from server.auth import KioskIdentity, current_kiosk
from server.db import Database
from server.models import Kiosk
from server.settings import ServerSettings

router = APIRouter(tags=["kiosks"])
MAX_STATUS_BYTES = 64 * 1024


@router.post("/kiosks/{kiosk_id}/heartbeat", response_model=api.HeartbeatAck, responses=errors.problems(401, 403))
def heartbeat(
    body: api.HeartbeatIn,
    kiosk_id: str = Path(max_length=64),
    kiosk: KioskIdentity = Depends(current_kiosk),
    db: Database = Depends(deps.database),
    cfg: ServerSettings = Depends(deps.settings),
) -> api.HeartbeatAck:
    if kiosk_id != kiosk.kiosk_id:
        raise HTTPException(403, "a kiosk may only report for itself")
    if len(json.dumps(body.status, default=str)) > MAX_STATUS_BYTES:
        raise HTTPException(413, "status too large")
    now = cfg.now()
    with db.write() as s:
        row = s.get(Kiosk, kiosk_id)
        row.last_heartbeat_at = now
        row.last_status = json.loads(json.dumps(body.status, default=str))
    return api.HeartbeatAck(kiosk_id=kiosk_id, received_at=now.astimezone(cfg.tz))
