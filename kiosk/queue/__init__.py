"""Queue tickets: fair numbering (backend first, this kiosk's reserved block offline), the wait, the printed slip.

- :mod:`~kiosk.queue.tickets`: the :class:`Ticket` (no personal data) and its number;
- :mod:`~kiosk.queue.store`: the kiosk's SQLite record of number blocks and tickets;
- :mod:`~kiosk.queue.wait`: people ahead and minutes;
- :mod:`~kiosk.queue.service`: :class:`QueueService` — issue, register offline tickets, record prints;
- :mod:`~kiosk.queue.slips`: the ticket rendered for the thermal printer (Pillow; loaded on first use).
"""

from kiosk.base.lazy import lazy_names
from kiosk.queue.service import OFFLINE_BASE, QueueService
from kiosk.queue.store import TicketStore
from kiosk.queue.tickets import QueueError, Ticket, ticket_number
from kiosk.queue.wait import estimate_ahead, wait_minutes


def _slips():  # type: ignore[no-untyped-def]
    from kiosk.queue import slips

    return slips


_SLIP_NAMES = ("print_ticket", "priority_name", "qr_payload", "render_ticket")
__getattr__ = lazy_names(__name__, {_slips: _SLIP_NAMES})

__all__ = [
    "OFFLINE_BASE", "QueueError", "QueueService", "Ticket", "TicketStore", "estimate_ahead", "ticket_number",
    "wait_minutes", *_SLIP_NAMES,
]
