"""Rate journey, step 1: how satisfied was the citizen."""

from __future__ import annotations

from screens.base import KioskScreen, load_kv

load_kv(__file__)


class RateScreen(KioskScreen):
    """Rất hài lòng / Hài lòng / Không hài lòng."""
