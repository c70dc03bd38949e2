"""How we call tesseract: one thread (STACK-NOTES: OpenMP threads make it 2–80× slower here)."""

from __future__ import annotations

import os
import shutil


def tesseract_cmd() -> str:
    """The tesseract binary (``$TESSERACT`` overrides, for a kiosk with its own build)."""
    return os.environ.get("TESSERACT") or shutil.which("tesseract") or "tesseract"


def tesseract_env() -> dict[str, str]:
    """The environment for a tesseract subprocess, always with ``OMP_THREAD_LIMIT=1``."""
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env
