"""What the journey tests without a window share: real services, a loopback printer, the reference server.

Fixtures are imported by the ``test_journeys_*.py`` modules (``from journeys_support import …``).
:class:`Deferred` runs a journey's blocking work later, when the test says so, as the app's worker
pool does — so a test can wipe the visit while work is in flight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kiosk.base import paths

ID_PAYLOAD = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"
ELDER_PAYLOAD = "036050001234|163456789|Nguyễn Văn An|15031950|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"


def closed_port() -> int:
    """A loopback port nobody listens on (the backend is down)."""
    from server.testing import free_port

    return free_port()


class Deferred:
    """A journey runner that queues work; :meth:`run_all` runs it (as a worker would, then the UI thread)."""

    def __init__(self) -> None:
        self.queue: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]] = []

    def __call__(self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[BaseException], None]) -> None:
        self.queue.append((fn, done, failed))

    def run_one(self) -> bool:
        """Run the oldest queued work and deliver its outcome; False when nothing was queued."""
        if not self.queue:
            return False
        fn, done, failed = self.queue.pop(0)
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - as the worker pool
            failed(e)
        else:
            done(result)
        return True

    def run_all(self) -> int:
        n = 0
        while self.queue:
            fn, done, failed = self.queue.pop(0)
            try:
                result = fn()
            except Exception as e:  # noqa: BLE001 - as the worker pool: every failure goes to the journey
                failed(e)
            else:
                done(result)
            n += 1
        return n


@pytest.fixture
def printer() -> Iterator[Any]:
    from devices.loopback_printer import LoopbackPrinter

    with LoopbackPrinter() as lp:
        yield lp


@pytest.fixture
def server(tmp_path: Any) -> Iterator[Any]:
    from server.testing import ServerThread

    with ServerThread(tmp_path / "srv", catalog_dir=paths.resolve("config/procedures")) as srv:
        yield srv


@pytest.fixture
def make_services(kiosk_config: Any) -> Iterator[Callable[..., Any]]:
    """``make_services(backend_url, printer_uri)`` → the kiosk's real services (closed after the test)."""
    from kiosk.services import build_services

    built: list[Any] = []

    def make(backend_url: str | None = None, printer_uri: str | None = None) -> Any:
        kiosk_config.backend.url = backend_url or f"http://127.0.0.1:{closed_port()}/api/v1"
        if printer_uri:
            kiosk_config.printer.uri = printer_uri
        kiosk_config.printer.timeout_s = 3
        services = build_services(kiosk_config)
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()


def journeys_over(services: Any, run: Any = None) -> tuple[Any, list[str]]:
    """The journeys over ``services`` and the list of screens their navigation showed."""
    from kiosk.journeys import Journeys, run_inline

    shown: list[str] = []
    return Journeys(services, run or run_inline, shown.append), shown
