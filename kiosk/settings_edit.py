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
from typing import Any

import tomli_w

from kiosk import paths
from kiosk.config import (
    ENV_SOURCE,
    ConfigError,
    KioskConfig,
    atomic_write_bytes,
    default_layers,
    env_layer,
    merge_layers,
    site_config_path,
    validate_layers,
)
from kiosk.technician import write_audit

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
    """Hash ``pin`` and save it (the PIN itself is never written anywhere)."""
    from kiosk.technician import hash_pin

    return apply_changes(config, {"technician": {"pin_hash": hash_pin(pin)}}, config_file, **kw)


def apply_to_services(services: Any, new_config: KioskConfig, changes: Mapping[str, Any]) -> list[str]:
    """Put a saved change into effect on the running kiosk; returns what still needs a restart.

    The printer and the cameras are swapped at once (so a test print uses the new printer);
    the backend client is swapped for the outbox and the queue too, and the queue reads the new
    config. Returns the parts that only a restart can apply (none today).
    """
    old = services.config
    services.config = new_config
    pending: list[str] = []
    queue = getattr(services, "queue", None)
    if queue is not None and hasattr(queue, "config"):
        queue.config = new_config  # services, priority categories and ages are read from it live
    if "printer" in changes and old.printer != new_config.printer:
        from kiosk.tickets import make_printer

        previous = services.printer
        try:
            services.printer = make_printer(new_config)
        except Exception as e:  # an unusable URI leaves no printer, like at start
            log.error("new printer unusable: %s", e)
            services.printer = None
        if previous is not None:
            previous.close()
        if services.printer is not None:
            services.on_close(services.printer.close)
    if "camera" in changes and old.camera != new_config.camera:
        from kiosk.cameras import make_camera

        c = new_config.camera
        for attr, uri in (("id_camera", c.uri), ("document_camera", c.document_uri)):
            previous = getattr(services, attr)
            cam = make_camera(uri, c.width, c.height, c.fps)
            setattr(services, attr, cam)
            services.on_close(cam.close)
            if previous is not None:
                previous.close()
    if "backend" in changes and old.backend != new_config.backend:
        from kiosk.backend import BackendClient

        b = new_config.backend
        client = BackendClient(
            b.url, b.token, new_config.kiosk.id, timeout_s=b.timeout_s,
            ca_file=str(new_config.path(b.ca_file)) if b.ca_file else None, verify=b.verify_tls,
        )
        previous, services.backend = services.backend, client
        services.on_close(client.close)
        if getattr(services, "outbox", None) is not None and hasattr(services.outbox, "client"):
            services.outbox.client = client
        if queue is not None and hasattr(queue, "backend"):
            queue.backend = client
        if previous is not None:
            previous.close()
    if "logging" in changes and old.logging.level != new_config.logging.level:
        logging.getLogger().setLevel(new_config.logging.level)
    return pending
