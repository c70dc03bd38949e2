"""A citizen's visit and the journeys through it (ticket, submit, track, rate).

:class:`Visit` holds one citizen's data from the first touch to "Kết thúc" and is wiped at the end.
"""

from kiosk.journeys.visit import Attachment, Visit

__all__ = ["Attachment", "Visit"]
