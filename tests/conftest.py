"""Shared test set-up: a private Kivy home, quiet libraries, and the fixtures every area uses.

Fixtures: ``kiosk_config`` (packaged defaults, state in ``tmp_path``, the backend down), ``closed_port``
(a loopback port where nobody answers), ``printer`` (the loopback TCP printer that decodes what it got),
``server`` (the real reference server on loopback, with ``server.faults``), ``artifacts``, ``chip_rig``
(pcscd + vpcd + the virtual CCCD of tests/helpers/chipcard, one per process; skipped where pcscd cannot run).
The helpers behind them are in ``tests/helpers/``; ID-card payloads in ``helpers.cards``.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CATALOG = ROOT / "config" / "procedures"

_KIVY_HOME = Path(tempfile.mkdtemp(prefix="kiosk-test-kivy-"))
atexit.register(shutil.rmtree, _KIVY_HOME, True)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_USE_DEFAULTCONFIG", "1")
os.environ.setdefault("KIVY_HOME", str(_KIVY_HOME))
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _escpos_cache() -> None:
    """python-escpos pickles its printer database on first import, writing the file in place.

    In a cache shared by every checkout on the machine, one process reads the pickle while another
    (a different venv, a different python-escpos) rewrites it, and ``import escpos`` fails now and then.
    So the cache belongs to this venv, and it is written here once, before any test starts a subprocess.
    """
    cache = Path(os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(sys.prefix) / "escpos-cache")))
    cache.mkdir(parents=True, exist_ok=True)
    spec = importlib.util.find_spec("escpos")
    if spec is None or spec.origin is None:
        return
    source = Path(spec.origin).with_name("capabilities.json")
    pickle = cache / f"{platform.python_version()}.capabilities.pickle"
    if not pickle.exists() or (source.exists() and source.stat().st_mtime > pickle.stat().st_mtime):
        import escpos.capabilities  # noqa: F401  (writes the pickle)


_escpos_cache()


@pytest.fixture
def closed_port() -> Iterator[object]:
    """A loopback port held by this test and never listened on: ``.url`` (backend), ``.tcp`` (printer), ``.port``."""
    from helpers.ports import ClosedPort

    with ClosedPort() as port:
        yield port


@pytest.fixture
def kiosk_config(tmp_path: Path, closed_port):
    """The packaged defaults with everything stateful redirected into ``tmp_path``.

    The backend is down (``closed_port``) unless a test gives one: the packaged 127.0.0.1:8765 may be
    a developer's running kiosk on this machine.
    """
    from kiosk.base.config import load_config

    config = load_config(environ={}, use_env=False)
    config.storage.data_dir = str(tmp_path / "data")
    config.printer.uri = f"file:{tmp_path / 'printer.bin'}"
    config.backend.embedded = False
    config.backend.url = closed_port.url
    config.catalog.cache_file = str(tmp_path / "catalog-cache.json")
    config.logging.file = str(tmp_path / "log" / "kiosk.jsonl")
    return config


@pytest.fixture
def printer() -> Iterator[object]:
    """A loopback TCP printer (``printer.uri``); ``printer.pages()`` decodes the finished jobs."""
    from helpers.printer import RecordingPrinter

    with RecordingPrinter() as lp:
        yield lp


@pytest.fixture
def server(tmp_path: Path) -> Iterator[object]:
    """The reference server on loopback over real HTTP (SQLite in ``tmp_path``, the packaged catalog).

    Its one kiosk is the packaged ``KIOSK-01`` / ``dev-kiosk-token``; ``server.faults.set(...)`` makes
    the next answers fail (500s, slow answers) — see ``server.testing.Faults``.
    """
    from server.testing import Faults, ServerThread

    with ServerThread(tmp_path / "server", catalog_dir=CATALOG, faults=Faults()) as srv:
        yield srv


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """A folder for this test's artefacts (screenshots), kept after the run."""
    path = ARTIFACTS / request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def chip_rig() -> Iterator[object]:
    """The chip test rig (``helpers.chipcard.rig.Rig``): a pcscd of its own, vpcd, a virtual card to place."""
    from helpers.chipcard.pcscd import PcscdUnavailable
    from helpers.chipcard.rig import shared_rig

    try:
        rig = shared_rig()
    except PcscdUnavailable as e:
        pytest.skip(f"pcscd with vpcd cannot run here: {e}")
    yield rig
    rig.lift()
