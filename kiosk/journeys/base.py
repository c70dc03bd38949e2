"""What every journey controller shares: its step, going back, blocking work, telling its screens.

A journey is plain Python (no Kivy): state lives in its part of the :class:`~kiosk.journeys.visit.Visit`,
transitions are methods the screens call when the citizen touches something. Three things come
from outside, so the same controller runs in the app and in a test without a window:

- ``run`` — how blocking work (issuing, printing, HTTP) is run: the app runs it on a worker and
  delivers the outcome on the UI thread; a test runs it inline (:func:`run_inline`);
- ``navigate(journey, step)`` — called on every step change; :class:`~kiosk.journeys.navigation.Journeys`
  turns it into a screen through the flow table;
- ``handoff(journey, **context)`` — start another journey (the receipt's "Đánh giá" starts rating).

Work started for one visit is dropped when it ends after a wipe: the visit's part was replaced.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from kiosk.journeys.visit import JourneyName, JourneyPart, Visit

log = logging.getLogger(__name__)

T = TypeVar("T")
P = TypeVar("P", bound=JourneyPart)
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Runner = Callable[[Callable[[], Any], Done, Failed], None]
Navigate = Callable[[JourneyName, str], None]
Handoff = Callable[..., None]


class HasVisit(Protocol):
    """The one service every journey reads: the current visit."""

    @property
    def visit(self) -> Visit: ...


def run_inline(fn: Callable[[], Any], done: Done, failed: Failed) -> None:
    """Run ``fn`` now, in this thread, and report its outcome (tests, the CLI)."""
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001 - the journey turns it into a message for the citizen
        failed(e)
        return
    done(result)


def _ignore(*_args: Any, **_kwargs: Any) -> None:
    pass


class Journey(Generic[P]):
    """Base of the four controllers: ``step``, ``back()``, ``watch()`` and guarded blocking work."""

    name: ClassVar[JourneyName]

    def __init__(self, services: HasVisit, run: Runner = run_inline) -> None:
        self.services = services
        self._run = run
        self.navigate: Navigate = _ignore
        self.handoff: Handoff = _ignore
        self._watchers: list[Callable[[], Callable[[], None] | None]] = []  # each gives the watcher, or None once it is gone

    # ------------------------------------------------------------ state

    @property
    def visit(self) -> Visit:
        return self.services.visit

    @property
    def part(self) -> P:
        """This journey's part of the current visit (a new object after every wipe)."""
        return getattr(self.visit, self.name)  # type: ignore[no-any-return]

    @property
    def step(self) -> str | None:
        return self.part.step

    @property
    def active(self) -> bool:
        return self.visit.journey == self.name

    def watch(self, fn: Callable[[], None]) -> None:
        """Call ``fn()`` after every change of this journey's state (screens re-render).

        A bound method is held weakly: a screen the app drops after a visit is not kept alive
        (nor called) by the journey it watched."""
        if hasattr(fn, "__self__") and hasattr(fn, "__func__"):
            self._watchers.append(weakref.WeakMethod(fn))  # type: ignore[arg-type]
        else:
            self._watchers.append(lambda: fn)

    def changed(self) -> None:
        for ref in list(self._watchers):
            fn = ref()
            if fn is None:
                self._watchers.remove(ref)
                continue
            try:
                fn()
            except Exception:  # one broken view must not stop the journey
                log.exception("%s journey: a watcher failed", self.name)

    # ------------------------------------------------------------ steps

    def _go(self, step: str) -> None:
        """Move to ``step`` (remembered for :meth:`back`) and show it."""
        part = self.part
        if part.step is not None and part.step != step:
            part.history.append(part.step)
        part.step = step
        self.visit.journey = self.name
        self.navigate(self.name, step)
        self.changed()

    def _restart(self, step: str) -> None:
        """Start over at ``step`` with no history (a new journey, or "Tra cứu hồ sơ khác")."""
        part = self.part
        part.step = None
        part.history.clear()
        self._go(step)

    def back(self) -> bool:
        """Go to the previous step; False when this was the journey's first step."""
        part = self.part
        if not part.history:
            return False
        part.step = part.history.pop()
        self.navigate(self.name, part.step)
        self.changed()
        return True

    # ------------------------------------------------------------ blocking work

    def _work(
        self, fn: Callable[[], T], done: Callable[[T], None], failed: Failed, dropped: Callable[[], None] | None = None
    ) -> None:
        """Run blocking ``fn`` through the runner; its outcome is dropped if the visit was wiped meanwhile.

        ``dropped()`` then cleans up what the work left behind for a visit that is over."""
        part = self.part

        def deliver(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                if self.part is part:
                    callback(value)
                    return
                log.info("%s journey: a result for an ended visit was dropped", self.name)
                if dropped is not None:
                    dropped()

            return call

        self._run(fn, deliver(done), deliver(failed))

    def work(self, fn: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        """:meth:`_work` for a journey's helpers in other modules (the submit journey's chip step)."""
        self._work(fn, done, failed)
