"""A ticket's life: waiting → called → serving → done; a called ticket may also end as no_show.

A recall keeps a ticket ``called``; a no-show may send it back to ``waiting`` at the end of the line
(setting ``no_show_action``); a transfer sends a called or serving ticket back to ``waiting`` for another
service or counter, with its place in line kept (its ``queue_at``).
"""

from __future__ import annotations

WAITING, CALLED, SERVING, DONE, NO_SHOW = "waiting", "called", "serving", "done", "no_show"
STATES = (WAITING, CALLED, SERVING, DONE, NO_SHOW)
AT_COUNTER = (CALLED, SERVING)  # the ticket a counter is busy with

# action → states it may start from
ALLOWED = {
    "recall": (CALLED,),
    "no_show": (CALLED,),
    "start": (CALLED,),
    "finish": (CALLED, SERVING),
    "transfer": (CALLED, SERVING),
}

# Vietnamese words of each state (the follow page, the desk)
VI = {WAITING: "đang chờ", CALLED: "đã gọi", SERVING: "đang phục vụ", DONE: "đã xong", NO_SHOW: "vắng mặt"}
EN = {WAITING: "waiting", CALLED: "called", SERVING: "being served", DONE: "done", NO_SHOW: "missed (no-show)"}


def may(action: str, state: str) -> bool:
    return state in ALLOWED[action]
