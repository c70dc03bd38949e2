"""Technician changes to the kiosk's settings: validated first, then written atomically to the site file.

Only the site layer is rewritten (``--config`` / ``$KIOSK_CONFIG`` / /etc/motcua-kiosk/kiosk.toml):
packaged defaults stay defaults, and environment overrides are not frozen into the file.
A change is checked twice before anything touches the disk — on the running config
and on the layers as the next start will read them — so an invalid value never reaches disk.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from kiosk.base.blocking import blocking
from kiosk.base import paths
from kiosk.base.config import (
    ENV_SOURCE,
    ConfigError,
    atomic_write_bytes,
    default_layers,
    env_layer,
    merge_layers,
    site_config_path,
    validate_layers,
)
from kiosk.base.config_schema import KioskConfig
from kiosk.ops.technician import write_audit

if TYPE_CHECKING:
    from kiosk.services import Services

log = logging.getLogger(__name__)

SECRET_KEYS = {("backend", "token"), ("technician", "pin_hash")}


def target_file(config_file: str | Path | None = None) -> Path:
    """The file technician changes go to: the one in use, else the standard site path."""
    return site_config_path(config_file) or paths.SITE_CONFIG_FILE


def _read_site(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path}: cannot be updated, it is not valid TOML: {e}") from None


def _jsonable(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Turn pydantic models inside ``changes`` (e.g. a list of Service) into plain data."""
    def plain(v: Any) -> Any:
        if hasattr(v, "model_dump"):
            return v.model_dump(mode="json")
        if isinstance(v, Mapping):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    return {k: plain(v) for k, v in changes.items()}


def describe(changes: Mapping[str, Any]) -> list[str]:
    """``["printer.uri", "services"]`` — what changed, never the secret values."""
    keys = []
    for section, value in changes.items():
        if isinstance(value, Mapping):
            keys.extend(f"{section}.{k}" for k in value)
        else:
            keys.append(section)
    return keys


@blocking
def apply_changes(
    config: KioskConfig,
    changes: Mapping[str, Any],
    config_file: str | Path | None = None,
    *,
    audit_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> KioskConfig:
    """Validate ``changes`` (``{"printer": {"uri": …}, "services": [...]}``), save them, return the new config.

    Raises :class:`ConfigError` naming the bad key; then the file on disk is untouched.
    """
    changes = _jsonable(changes)
    for section in changes:
        if section not in KioskConfig.model_fields:
            raise ConfigError(f"unknown config section: {section}")
    # 1. the running config with the change
    running = validate_layers([("change", merge_layers(config.model_dump(mode="json"), changes))])
    # 2. what the next start will load from disk
    target = target_file(config_file)
    site = merge_layers(_read_site(target), changes)
    layers = [*default_layers(), (str(target), site)]
    env = env_layer(os.environ if environ is None else environ)
    if env:
        layers.append((ENV_SOURCE, env))
    validate_layers(layers)
    try:
        atomic_write_bytes(target, tomli_w.dumps(site).encode("utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot write {target}: {e.strerror or e}") from None
    keys = describe(changes)
    log.info("settings saved to %s: %s", target, ", ".join(keys))
    write_audit((audit_dir or config.data_path("technician")) / "audit.jsonl", "settings_changed", keys=keys, file=str(target))
    return running


def set_pin(config: KioskConfig, pin: str, config_file: str | Path | None = None, **kw: Any) -> KioskConfig:
    """Hash ``pin`` and save it (the PIN itself is never written anywhere); a lockout is cleared with it.

    Whoever may write the site file (``kiosk set-pin`` in a shell) is the way back into a kiosk whose
    technician is locked out or still has a PIN from before the 6-digit rule.
    """
    from kiosk.ops.technician import gate_for, hash_pin

    new = apply_changes(config, {"technician": {"pin_hash": hash_pin(pin)}}, config_file, **kw)
    gate_for(new).reset(source="set_pin")
    return new


@blocking
def apply_to_services(services: Services, new_config: KioskConfig, changes: Mapping[str, Any]) -> list[str]:
    """Put a saved change into effect on the running kiosk; returns what still needs a restart.

    The printer and the cameras are swapped at once (so a test print uses the new printer);
    the backend client is swapped through :meth:`Services.swap`, which tells the outbox, the
    queue and tracking; the queue reads the new config. Returns the parts that only a restart
    can apply (none today).
    """
    from kiosk.backend.client import BackendClient
    from kiosk.services import make_cameras, make_printer_or_none

    old = services.config
    services.config = new_config
    if services.queue is not None:
        services.queue.use_config(new_config)
    if services.rating is not None:
        services.rating.config = new_config
    if "printer" in changes and old.printer != new_config.printer:
        services.swap("printer", make_printer_or_none(new_config))
    if "camera" in changes and old.camera != new_config.camera:
        id_camera, document_camera = make_cameras(new_config)
        services.swap("id_camera", id_camera)
        services.swap("document_camera", document_camera)
    if "backend" in changes and old.backend != new_config.backend:
        services.swap("backend", BackendClient.from_config(new_config))
    if "logging" in changes and old.logging.level != new_config.logging.level:
        logging.getLogger().setLevel(new_config.logging.level)
    return []
