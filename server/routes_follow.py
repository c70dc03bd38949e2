"""A ticket's follow data (public: the QR on the ticket links here): ``GET /follow/{day}/{number}``.

``day`` is ``YYYYMMDD`` and ``number`` the printed number (``A024``): the same parts as the QR's
``/q/{day}/{number}`` page. Nothing personal: state, counter, people ahead, an estimated wait.
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, HTTPException, Path, Request

from server import errors
from server.queue import snapshot

router = APIRouter(tags=["display"])
DayPath = Path(pattern=r"^[0-9]{8}$", description="the ticket's day, YYYYMMDD")
NumberPath = Path(pattern=r"^[A-Z][0-9]{3,5}$", description="the printed number, e.g. A024")


def parse_day(day: str) -> date:
    try:
        return datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise HTTPException(422, "day must be a real date, YYYYMMDD") from None


def ticket_status(request: Request, day: str, number: str) -> dict | None:
    d = parse_day(day)
    with request.app.state.db.read() as s:
        t = snapshot.find_ticket(s, d, number)
        return None if t is None else snapshot.follow(s, t, request.app.state.settings)


@router.get("/follow/{day}/{number}", responses=errors.problems(404))
def follow(request: Request, day: str = DayPath, number: str = NumberPath) -> dict:
    out = ticket_status(request, day, number)
    if out is None:
        raise HTTPException(404, "no such ticket on that day")
    return out
