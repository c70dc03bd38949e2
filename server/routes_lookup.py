"""``GET /dossiers/{code}``: a dossier's status for the citizen who holds its code and lookup secret.

The secret travels in the ``Dossier-Secret`` header (query strings end up in access logs, proxies and
browser histories; a query secret is refused with 400). Guessing is limited per code and per kiosk
before any work (429 with Retry-After); even the right secret waits while a code is locked, else the
lock would tell a hit from a miss. An unknown code, a wrong secret and another department's dossier do
the same work — one indexed query, one SHA-256 comparison in constant time — and get the same 404.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

import kiosk.api as api
from server import deps, errors, ratelimit
from server import dossier_desk as desk
from server.auth import KioskIdentity, current_kiosk
from server.models import Dossier
from server.settings import ServerSettings

router = APIRouter(tags=["dossiers"])
SECRET_HEADER = "Dossier-Secret"
_UNKNOWN_SECRET = "A" * api.SECRET_LENGTH  # compared against when the code is unknown: the same work
_FIND = select(Dossier.id, Dossier.secret, Dossier.department_id).where(Dossier.code == bindparam("code"))


def secret_matches(stored: str, given: str) -> bool:
    """Constant time whatever the lengths: compare fixed-size digests."""
    return hmac.compare_digest(hashlib.sha256(stored.encode()).digest(), hashlib.sha256(given.encode()).digest())


def normalize_secret(raw: str) -> str:
    """As typed from a receipt: case, spaces and dashes do not matter."""
    return "".join(raw.split()).replace("-", "").upper()


def _limits(request: Request) -> tuple[ratelimit.FailureLimiter, ...]:
    cfg: ServerSettings = request.app.state.settings
    return ratelimit.on_app(request.app.state, "lookup_limits", (cfg.lookup_failures_per_code, cfg.lookup_window_s),
                            (cfg.lookup_failures_per_client, cfg.lookup_window_s))


@router.get("/dossiers/{code}", response_model=api.DossierStatus,
            responses=errors.problems(401, 404, 429))
def dossier_status(
    request: Request,
    code: str = Path(max_length=64),
    secret: str | None = Header(None, alias=SECRET_HEADER, max_length=32,
                                description="the lookup secret printed on the receipt"),
    kiosk: KioskIdentity = Depends(current_kiosk),
    cfg: ServerSettings = Depends(deps.settings),
) -> api.DossierStatus:
    """Status and history — only with the secret; a wrong secret looks exactly like an unknown code."""
    if "secret" in request.query_params:
        raise HTTPException(400, f"send the lookup secret in the {SECRET_HEADER} header, not in the query string")
    if not secret:
        raise HTTPException(400, f"the {SECRET_HEADER} header is required")
    code, given = code.strip().upper(), normalize_secret(secret)
    per_code, per_client = _limits(request)
    code_key, client_key = f"code:{code}", f"kiosk:{kiosk.kiosk_id}"
    ratelimit.check((per_code, code_key), (per_client, client_key))
    with request.app.state.db.read() as s:
        row = s.execute(_FIND, {"code": code}).first()
        stored, dept = (row.secret, row.department_id) if row is not None else (_UNKNOWN_SECRET, None)
        ok = secret_matches(stored, given) & (dept == kiosk.department_id)  # both, never short-circuited
        if not ok:
            per_code.fail(code_key)
            per_client.fail(client_key)
            raise HTTPException(404, "no dossier with this code and secret")
        d = s.execute(select(Dossier).options(selectinload(Dossier.events)).where(Dossier.id == row.id)).scalar_one()
        return status_of(d, cfg)


def status_of(d: Dossier, cfg: ServerSettings) -> api.DossierStatus:
    """What the citizen may read: the status in plain Vietnamese, the date last promised, what is missing."""
    tz = cfg.tz
    return api.DossierStatus(
        code=d.code, procedure_code=d.procedure_code, procedure_name=d.procedure_name, status=d.status,
        status_vi=api.STATUS_VI.get(d.status, d.status), received_at=d.received_at.astimezone(tz),
        appointment_at=d.appointment_at.astimezone(tz), due_at=desk.due_at(d).astimezone(tz),
        new_appointment_at=d.new_appointment_at.astimezone(tz) if d.new_appointment_at else None,
        apology_reason=d.apology_reason or "", overdue=desk.overdue(d, cfg.now()),
        supplement_note=desk.supplement_note(d), refusal_note=desk.refusal_note(d),
        history=[api.StatusEvent(at=e.at.astimezone(tz), status=e.status, note=e.note) for e in d.events],
    )
