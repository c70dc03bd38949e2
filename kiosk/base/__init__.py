"""The small base every capability stands on: settings, strings, logs, privacy, file locations, Vietnamese text.

- :mod:`~kiosk.base.config_schema` / :mod:`~kiosk.base.config`: the settings schema, loaded in layers, saved atomically;
- :mod:`~kiosk.base.i18n` (+ ``kiosk/locales/*.toml``): Vietnamese and English strings;
- :mod:`~kiosk.base.logs`, :mod:`~kiosk.base.privacy`: JSON-lines logs with personal data masked;
- :mod:`~kiosk.base.paths`: packaged defaults, assets, fonts;
- :mod:`~kiosk.base.vnkeys`: Vietnamese letters from Telex/VNI keys, accent stripping (keyboard, search, OCR checks);
- :mod:`~kiosk.base.lazy`: faces that load heavy submodules on first use.
"""

from kiosk.base import paths, vnkeys
from kiosk.base.config import ConfigError, load_config, save_config, updated
from kiosk.base.config_schema import KioskConfig, QueueSection, Service
from kiosk.base.i18n import LANGUAGES, Translator
from kiosk.base.logs import setup_logging
from kiosk.base.privacy import MaskingFilter, mask_id, mask_name, mask_text

__all__ = [
    "LANGUAGES", "ConfigError", "KioskConfig", "MaskingFilter", "QueueSection", "Service", "Translator",
    "load_config", "mask_id", "mask_name", "mask_text", "paths", "save_config", "setup_logging", "updated", "vnkeys",
]
