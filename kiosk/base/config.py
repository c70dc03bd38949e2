"""Kiosk settings: a pydantic schema loaded in layers and saved atomically.

Layers, later wins: packaged defaults (``config/kiosk.toml``) < site file
(``/etc/motcua-kiosk/kiosk.toml`` or ``--config``) < environment
(``KIOSK_<SECTION>_<KEY>``, e.g. ``KIOSK_PRINTER_URI=tcp://10.0.0.5:9100``).

A bad value never half-configures the kiosk: :func:`load_config` raises one
:class:`ConfigError` whose message names the file (or variable), the key and
what is wrong, and the CLI turns it into a one-line error with exit code 2.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from kiosk.base.blocking import blocking
from kiosk.base import paths
from kiosk.base.config_schema import SECTIONS, KioskConfig

ENV_PREFIX = "KIOSK_"
ENV_SOURCE = "environment"


class ConfigError(Exception):
    """A configuration problem, with a message fit for one line of a terminal."""


# ---------------------------------------------------------------- loading


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except PermissionError:
        raise ConfigError(f"config file not readable (permission denied): {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config file {path}: not valid TOML: {e}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not UTF-8 text") from None


def merge_layers(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base`` (tables merge, everything else replaces)."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = merge_layers(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _env_value(raw: str) -> Any:
    s = raw.strip()
    if s[:1] in "[{":
        try:
            return json.loads(s)
        except json.JSONDecodeError:
            return raw
    return raw


def env_layer(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """``KIOSK_PRINTER_URI=…`` → ``{"printer": {"uri": …}}``.

    Variables whose name does not start with a known section are ignored, so
    unrelated ones (``KIOSK_TEST_PG_URL``) do not break the kiosk.
    """
    layer: dict[str, dict[str, Any]] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        rest = name[len(ENV_PREFIX):].lower()
        for section in sorted(SECTIONS, key=len, reverse=True):
            if rest.startswith(section + "_") and section != "services":
                key = rest[len(section) + 1:]
                layer.setdefault(section, {})[key] = _env_value(value)
                break
    return layer


def _locate(loc: tuple[Any, ...], layers: list[tuple[str, dict[str, Any]]]) -> str:
    """Name the layer (file or env) that set the value at ``loc``; the last one wins."""
    for source, data in reversed(layers):
        node: Any = data
        found = True
        for part in loc:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                found = False
                break
        if found:
            return source
    return layers[-1][0] if layers else "config"


def _key_name(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "(top level)"
    head, *tail = loc
    if head == "services" and tail and isinstance(tail[0], int):
        return f"[[services]] #{tail[0] + 1}" + (f" {'.'.join(map(str, tail[1:]))}" if tail[1:] else "")
    if not tail:
        return str(head)
    return f"[{head}] {'.'.join(map(str, tail))}"


def _describe(err: dict[str, Any]) -> str:
    msg = err.get("msg", "invalid value")
    if err.get("type") == "extra_forbidden":
        return "unknown key"
    if "input" in err and err.get("type") != "missing":
        shown = repr(err["input"])
        if len(shown) > 40:
            shown = shown[:37] + "..."
        return f"{msg} (got {shown})"
    return msg


def validate_layers(layers: list[tuple[str, dict[str, Any]]]) -> KioskConfig:
    """Merge layers (lowest first) and validate; one ConfigError for the first problem."""
    merged: dict[str, Any] = {}
    for _, data in layers:
        merged = merge_layers(merged, data)
    try:
        return KioskConfig.model_validate(merged)
    except ValidationError as e:
        errs = e.errors()
        first = errs[0]
        loc = tuple(first.get("loc", ()))
        source = _locate(loc, layers)
        more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
        key = _key_name(loc)
        if source == ENV_SOURCE and len(loc) >= 2:
            key = f"{ENV_PREFIX}{loc[0]}_{loc[1]}".upper()
        raise ConfigError(f"config error in {source}: {key}: {_describe(first)}{more}") from None


def default_layers() -> list[tuple[str, dict[str, Any]]]:
    return [(str(paths.DEFAULT_CONFIG_FILE), _read_toml(paths.DEFAULT_CONFIG_FILE))]


def site_config_path(explicit: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The site file in use: ``--config``, else ``$KIOSK_CONFIG``, else /etc/… when it exists."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Path(explicit)
    if environ.get("KIOSK_CONFIG"):
        return Path(environ["KIOSK_CONFIG"])
    return paths.SITE_CONFIG_FILE if paths.SITE_CONFIG_FILE.exists() else None


def load_config(
    site_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    use_env: bool = True,
) -> KioskConfig:
    """Load defaults < site file < environment. Raises ConfigError."""
    environ = os.environ if environ is None else environ
    layers = default_layers()
    site = site_config_path(site_file, environ)
    if site is not None:
        layers.append((str(site), _read_toml(site)))
    if use_env:
        env = env_layer(environ)
        if env:
            layers.append((ENV_SOURCE, env))
    return validate_layers(layers)


# ---------------------------------------------------------------- saving


def strip_none(obj: Any) -> Any:
    """``obj`` without ``None`` values (TOML has no null)."""
    if isinstance(obj, dict):
        return {k: strip_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [strip_none(v) for v in obj]
    return obj


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@blocking
def save_config(config: KioskConfig, path: str | Path) -> None:
    """Validate ``config`` again and write it atomically as TOML.

    Only a valid configuration reaches disk: the model is re-validated from its
    own dump first, so a value set by assignment elsewhere cannot slip through.
    """
    data = strip_none(config.model_dump(mode="json"))
    try:
        KioskConfig.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        raise ConfigError(f"refusing to save {path}: {_key_name(tuple(first['loc']))}: {_describe(first)}") from None
    atomic_write_bytes(Path(path), tomli_w.dumps(data).encode("utf-8"))


def updated(config: KioskConfig, section: str, **values: Any) -> KioskConfig:
    """A validated copy of ``config`` with ``values`` set in ``section`` (ConfigError if invalid)."""
    data = config.model_dump(mode="json")
    if section not in data or not isinstance(data[section], dict):
        raise ConfigError(f"unknown config section: {section}")
    data[section].update(values)
    return validate_layers([(f"[{section}] change", data)])
