"""The office's web pages, served by the server itself (no CDN, fonts bundled): the counter desk ``/desk``,
the hall display ``/display``, a ticket's follow page ``/q/{day}/{number}`` (the URL its QR prints),
their static files and the announcements' audio ``/audio/call/{number}/{counter}.wav``."""

from __future__ import annotations

from pathlib import Path as FsPath

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

import kiosk.api as api
from server.models import Department
from server.officers import authenticate
from server.queue import snapshot, states
from server.queue.voice import Voice, VoiceUnavailable
from server.routes_follow import DayPath, NumberPath, parse_day

router = APIRouter(include_in_schema=False)
HERE = FsPath(__file__).resolve().parent
STATIC = HERE / "static"
FONTS = HERE.parent / "assets" / "fonts"
FONT_FILES = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"}
templates = Jinja2Templates(directory=str(HERE / "templates"))
NO_STORE = {"Cache-Control": "no-store"}

FOLLOW_TEXT = {
    "vi": {"title": "Theo dõi số", "ticket": "Số thứ tự của bạn", "updated": "Cập nhật lúc", "other_lang": "English",
           "unknown": "Không tìm thấy số này", "unknown_hint": "Số chưa được cấp hôm đó, hoặc đã quá hạn lưu.",
           "ahead": "Còn {n} người trước bạn · khoảng {m} phút", "next": "Bạn là người tiếp theo",
           "called": "Mời bạn đến quầy ngay", "done": "Cảm ơn bạn", "no_show": "Xin hỏi tại quầy hướng dẫn",
           "counter": "quầy"},
    "en": {"title": "Follow ticket", "ticket": "Your ticket number", "updated": "Updated at", "other_lang": "Tiếng Việt",
           "unknown": "Ticket not found", "unknown_hint": "No such ticket was issued that day, or it is too old.",
           "ahead": "{n} people ahead of you · about {m} min", "next": "You are next",
           "called": "Please go to the counter now", "done": "Thank you", "no_show": "Please ask at the reception desk",
           "counter": "counter"},
}


def _texts(status: dict, lang: str) -> tuple[str, str]:
    t = FOLLOW_TEXT[lang]
    word = (states.VI if lang == "vi" else states.EN)[status["status"]]
    word = word[0].upper() + word[1:]
    if status["status"] in (states.CALLED, states.SERVING):
        return f"{word}, {t['counter']} {status['counter']}", t["called"] if status["status"] == states.CALLED else ""
    if status["status"] == states.WAITING:
        n = status["people_ahead"]
        return word, t["next"] if n == 0 else t["ahead"].format(n=n, m=status["wait_minutes"])
    return word, t["done"] if status["status"] == states.DONE else t["no_show"]


@router.get("/q/{day}/{number}", response_class=HTMLResponse)
def follow_page(request: Request, day: str = DayPath, number: str = NumberPath,
                lang: str = Query("vi", pattern="^(vi|en)$")) -> HTMLResponse:
    d = parse_day(day)
    cfg = request.app.state.settings
    with request.app.state.db.read() as s:
        t = snapshot.find_ticket(s, d, number)
        status = snapshot.follow(s, t, cfg) if t is not None else None
        dept = s.get(Department, t.department_id) if t is not None else snapshot.department(s, None)
        department, unit = (dept.name, dept.unit_id) if dept is not None else ("", "")
    status_text, detail_text = _texts(status, lang) if status else ("", "")
    ctx = {"lang": lang, "t": FOLLOW_TEXT[lang], "day": day, "number": number, "status": status, "unit": unit,
           "department": department, "status_text": status_text, "detail_text": detail_text,
           "updated": cfg.local_now().strftime("%H:%M:%S")}
    return templates.TemplateResponse(request, "follow.html", ctx, status_code=200 if status else 404,
                                      headers=NO_STORE)


@router.get("/display", response_class=HTMLResponse)
def display_page(request: Request, unit: str | None = Query(None, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")):
    with request.app.state.db.read() as s:
        dept = snapshot.department(s, unit)
        ctx = None if dept is None else {"department": dept.name, "unit": dept.unit_id}
    if ctx is None:
        return HTMLResponse("<p>Không có bộ phận này (unknown department).</p>", status_code=404)
    return templates.TemplateResponse(request, "display.html", ctx, headers=NO_STORE)


@router.get("/desk", response_class=HTMLResponse)
def desk_page(request: Request, counter: int | None = Query(None, ge=1, le=api.MAX_COUNTER)):
    try:
        officer = authenticate(request, None, None)
    except HTTPException:
        officer = None
    if officer is not None and counter is None:
        officer = None  # ask for the counter again
    return templates.TemplateResponse(request, "desk.html", {"officer": officer, "counter": counter}, headers=NO_STORE)


@router.get("/static/fonts/{name}")
def font(name: str) -> FileResponse:
    if name not in FONT_FILES:
        raise HTTPException(404, "no such font")
    return FileResponse(FONTS / name, media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})


@router.get("/static/{name}")
def static(name: str = Path(pattern=r"^[a-z]+\.(css|js)$")) -> FileResponse:
    path = STATIC / name
    if not path.is_file():
        raise HTTPException(404, "no such file")
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(path, media_type=kind, headers={"Cache-Control": "no-cache"})


def voice(request: Request) -> Voice:
    v = getattr(request.app.state, "voice", None)
    if v is None:
        cfg = request.app.state.settings
        v = request.app.state.voice = Voice(cfg.voice_dir or FsPath(cfg.files_dir) / "voice")
    return v


@router.get("/audio/call/{number}/{counter}.wav")
async def announcement(request: Request, number: str = NumberPath,
                       counter: int = Path(ge=1, le=api.MAX_COUNTER)) -> FileResponse:
    try:
        path = await run_in_threadpool(voice(request).announcement, number, counter)
    except VoiceUnavailable:
        raise HTTPException(503, "no voice on this server (espeak-ng missing): the call is shown as text") from None
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "max-age=86400"})
