"""Card placed / card lifted as events, from a worker thread — what the identify screen listens to.

:class:`CardWatcher` blocks in the reader's own status wait (``SCardGetStatusChange`` for
``pcsc:``), a slice at a time so :meth:`stop` is honoured within ``slice_s``; it calls
``on_placed()`` / ``on_lifted()`` on its thread (a screen hands them to the UI thread) and
``on_fault(error)`` once when the reader itself fails, then keeps trying every ``slice_s``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from devices.card_reader import CardReader, CardReaderError


class CardWatcher:
    def __init__(self, reader: CardReader, on_placed: Callable[[], None], on_lifted: Callable[[], None],
                 on_fault: Callable[[CardReaderError], None] | None = None, slice_s: float = 0.5) -> None:
        self.reader = reader
        self.on_placed, self.on_lifted, self.on_fault = on_placed, on_lifted, on_fault
        self.slice_s = slice_s
        self.present = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> CardWatcher:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True, name="card-watch")
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(self.slice_s + 5)
        self._thread = None

    def _run(self) -> None:
        faulted = False
        while not self._stop.is_set():
            try:
                if not self.present:
                    changed = self.reader.wait_for_card(self.slice_s)
                else:
                    changed = self.reader.wait_for_removal(self.slice_s)
                faulted = False
            except CardReaderError as e:
                if not faulted and self.on_fault is not None:
                    self.on_fault(e)
                faulted = True
                self._stop.wait(self.slice_s)
                continue
            if changed and not self._stop.is_set():
                self.present = not self.present
                (self.on_placed if self.present else self.on_lifted)()
