"""Track journey, step 1: scan the receipt's QR or type the dossier code."""

from __future__ import annotations

from screens.base import KioskScreen, load_kv

load_kv(__file__)


class TrackScreen(KioskScreen):
    """Dossier lookup by code and secret."""
