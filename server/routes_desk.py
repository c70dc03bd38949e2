"""The officer's dossier desk API: ``/desk/dossiers`` (list), ``/desk/dossiers/{code}`` (one), its status
changes, the apology of a late dossier and its PDF slip, and the dossier's files (inline or download).

Officers (cookie + CSRF, or bearer) of the dossier's department only; another department's dossier is a
404 like an unknown code. Kiosk tokens open none of these (:func:`server.officers.current_officer`).
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, Response

from server import apology_pdf, errors, receipt_pdf
from server import dossier_desk as desk
from server import dossier_flow as flow
from server.desk_models import ApologyIn, DeskDossierOut, DeskEventOut, DeskFileOut, DeskRowOut, StatusChangeIn
from server.models import Department, Dossier
from server.officers import Officer, current_officer

router = APIRouter(tags=["dossier desk"])
CodePath = Path(max_length=64, pattern=r"^[0-9A-Za-z.\-]+$")
NOT_FOUND = "Không tìm thấy hồ sơ này trong bộ phận của bạn."


def row_out(d: Dossier, now: datetime, tz) -> DeskRowOut:
    return DeskRowOut(code=d.code, procedure_code=d.procedure_code, procedure_name=d.procedure_name,
                      applicant=desk.applicant_name(d), status=d.status,
                      status_label=flow.LABEL_VI.get(d.status, d.status),
                      received_at=d.received_at.astimezone(tz), appointment_at=d.appointment_at.astimezone(tz),
                      due_at=desk.due_at(d).astimezone(tz), overdue=desk.overdue(d, now))


def dossier_out(s, d: Dossier, now: datetime, tz) -> DeskDossierOut:
    base = row_out(d, now, tz).model_dump()
    files = [DeskFileOut(no=i, name=f.name, size=f.size, content_type=f.content_type, sha256=f.sha256)
             for i, f in enumerate(d.files, 1)]
    history = [DeskEventOut(at=h.at.astimezone(tz), kind=h.kind, from_status=h.from_status, status=h.status,
                            status_label=flow.LABEL_VI.get(h.status, h.status), note=h.note, officer=h.officer)
               for h in desk.history(s, d)]
    return DeskDossierOut(**base, meta=d.meta, files=files, history=history, allowed=flow.allowed(d.status),
                          apology_reason=d.apology_reason,
                          result_at=d.result_at.astimezone(tz) if d.result_at else None)


def load(s, officer: Officer, code: str, *, lock: bool = False) -> Dossier:
    d = desk.find(s, officer.department_id, code, lock=lock)
    if d is None:
        raise HTTPException(404, NOT_FOUND)
    return d


def refused(e: flow.TransitionRefused) -> HTTPException:
    return HTTPException(e.status, str(e))


@router.get("/desk/dossiers", response_model=list[DeskRowOut], responses=errors.problems(401, 403))
def list_dossiers(
    request: Request,
    status: str | None = Query(None, max_length=16),
    since: date | None = Query(None, alias="from", description="received on or after this day"),
    until: date | None = Query(None, alias="to", description="received on or before this day"),
    procedure: str | None = Query(None, max_length=40),
    overdue: bool = False,
    q: str = Query("", max_length=200, description="a dossier code or part of the applicant's name"),
    officer: Officer = Depends(current_officer()),
) -> list[DeskRowOut]:
    cfg = request.app.state.settings
    now = cfg.now()
    f = desk.DeskFilter(status or None, since, until, procedure or None, overdue, q)
    with request.app.state.db.read() as s:
        try:
            rows = desk.list_dossiers(s, officer.department_id, f, now, cfg.tz)
        except flow.TransitionRefused as e:
            raise refused(e) from None
        return [row_out(d, now, cfg.tz) for d in rows]


@router.get("/desk/dossiers/{code}", response_model=DeskDossierOut, responses=errors.problems(401, 403, 404))
def get_dossier(request: Request, code: str = CodePath,
                officer: Officer = Depends(current_officer())) -> DeskDossierOut:
    cfg = request.app.state.settings
    with request.app.state.db.read() as s:
        return dossier_out(s, load(s, officer, code), cfg.now(), cfg.tz)


def change(request: Request, officer: Officer, code: str, status: str, note: str) -> DeskDossierOut:
    """One status change in one transaction (shared by the API and the desk page's forms)."""
    cfg = request.app.state.settings
    with request.app.state.db.write() as s:
        d = load(s, officer, code, lock=True)
        try:
            desk.change_status(s, d, status, note, officer, cfg.now(), cfg.calendar_file)
        except flow.TransitionRefused as e:
            raise refused(e) from None
    with request.app.state.db.read() as s:
        return dossier_out(s, load(s, officer, code), cfg.now(), cfg.tz)


def apologize(request: Request, officer: Officer, code: str, reason: str, new_date: date) -> DeskDossierOut:
    cfg = request.app.state.settings
    with request.app.state.db.write() as s:
        d = load(s, officer, code, lock=True)
        try:
            desk.apologize(s, d, reason, new_date, officer, cfg.now(), cfg.tz, cfg.calendar_file)
        except flow.TransitionRefused as e:
            raise refused(e) from None
    with request.app.state.db.read() as s:
        return dossier_out(s, load(s, officer, code), cfg.now(), cfg.tz)


@router.post("/desk/dossiers/{code}/status", response_model=DeskDossierOut,
             responses=errors.problems(401, 403, 404, 409))
def post_status(request: Request, body: StatusChangeIn, code: str = CodePath,
                officer: Officer = Depends(current_officer())) -> DeskDossierOut:
    """Move the dossier on; a change the workflow forbids is a 409 whose ``detail`` says what is allowed."""
    return change(request, officer, code, body.status, body.note)


@router.post("/desk/dossiers/{code}/apology", response_model=DeskDossierOut,
             responses=errors.problems(401, 403, 404, 409))
def post_apology(request: Request, body: ApologyIn, code: str = CodePath,
                 officer: Officer = Depends(current_officer())) -> DeskDossierOut:
    """Only for an overdue dossier (409 otherwise); the new date is a working day after today (422)."""
    return apologize(request, officer, code, body.reason, body.new_date)


@router.get("/desk/dossiers/{code}/apology.pdf", responses={200: {"content": {"application/pdf": {}}},
                                                           **errors.problems(401, 403, 404)})
def apology_slip(request: Request, code: str = CodePath, officer: Officer = Depends(current_officer())) -> Response:
    """The apology slip to print and hand over (phiếu xin lỗi và hẹn lại ngày trả kết quả)."""
    cfg = request.app.state.settings
    with request.app.state.db.read() as s:
        d = load(s, officer, code)
        if d.apology_at is None:
            raise HTTPException(404, "Hồ sơ này chưa có phiếu xin lỗi.")
        dept = s.get(Department, d.department_id)
        pdf = apology_pdf.render(d, dept.name if dept else "", officer.full_name or officer.username, cfg.tz)
        name = f"phieu-xin-loi-{d.code}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"',
                             "Cache-Control": "no-store"})


@router.get("/desk/dossiers/{code}/receipt.pdf", responses={200: {"content": {"application/pdf": {}}},
                                                            **errors.problems(401, 403, 404)})
def receipt_again(request: Request, code: str = CodePath, officer: Officer = Depends(current_officer())) -> Response:
    """The receipt again, for a citizen who lost theirs (its QR opens the kiosk's tracking as the first one did)."""
    cfg = request.app.state.settings
    with request.app.state.db.read() as s:
        d = load(s, officer, code)
        dept = s.get(Department, d.department_id)
        pdf = receipt_pdf.render(d, dept.name if dept else "", officer.full_name or officer.username, cfg.now(), cfg.tz)
        name = f"giay-hen-{d.code}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})


@router.get("/desk/dossiers/{code}/files/{file_no}", responses={200: {"content": {"application/pdf": {}}},
                                                              **errors.problems(401, 403, 404)})
def dossier_file(request: Request, code: str = CodePath, file_no: int = Path(ge=1, le=1000),
                 download: bool = False, officer: Officer = Depends(current_officer())) -> FileResponse:
    """A received file, shown in the browser (``inline``) or saved (``?download=true``)."""
    with request.app.state.db.read() as s:
        d = load(s, officer, code)
        if file_no > len(d.files):
            raise HTTPException(404, "Hồ sơ không có tệp này.")
        f = d.files[file_no - 1]
        sha, kind, name = f.sha256, f.content_type, f.name
    path = request.app.state.files.blob_path(sha)
    if not path.is_file():
        raise HTTPException(404, "Tệp không còn trên máy chủ.")
    return FileResponse(path, media_type=kind, filename=name,
                        content_disposition_type="attachment" if download else "inline",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
