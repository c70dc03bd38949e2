"""Submit journey, step 1: identify with the ID card's QR code."""

from __future__ import annotations

from screens.base import KioskScreen, load_kv

load_kv(__file__)


class IdentifyScreen(KioskScreen):
    """Shows where the QR is on both card types; the camera pipeline fills it in."""
