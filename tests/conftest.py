"""Shared test set-up: a private Kivy home, quiet libraries, a throw-away kiosk config."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_KIVY_HOME = Path(tempfile.mkdtemp(prefix="kiosk-test-kivy-"))
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_USE_DEFAULTCONFIG", "1")
os.environ.setdefault("KIVY_HOME", str(_KIVY_HOME))
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(Path(tempfile.gettempdir()) / "kiosk-escpos-cache"))

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def kiosk_config(tmp_path: Path):
    """The packaged defaults with everything stateful redirected into ``tmp_path``."""
    from kiosk.base.config import load_config

    config = load_config(environ={}, use_env=False)
    config.storage.data_dir = str(tmp_path / "data")
    config.printer.uri = f"file:{tmp_path / 'printer.bin'}"
    config.backend.embedded = False
    config.catalog.cache_file = str(tmp_path / "catalog-cache.json")
    config.logging.file = str(tmp_path / "log" / "kiosk.jsonl")
    return config


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """A folder for this test's artefacts (screenshots), kept after the run."""
    path = ARTIFACTS / request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    path.mkdir(parents=True, exist_ok=True)
    return path
