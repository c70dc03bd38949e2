"""Health and the procedure catalog (loaded from config/procedures with kiosk.declarations.catalog, cached by mtime)."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

import kiosk.api as api
from server import deps, errors
from server.auth import KioskIdentity, current_kiosk
from server.settings import ServerSettings

router = APIRouter(tags=["catalog"])
_lock = threading.Lock()


@router.get("/health", response_model=api.Health, responses=errors.problems())
def health(cfg: ServerSettings = Depends(deps.settings)) -> api.Health:
    from server import __version__

    return api.Health(version=__version__, time=cfg.local_now())


def _stamp(folder: Path) -> tuple[tuple[str, float, int], ...]:
    return tuple(sorted((p.name, p.stat().st_mtime, p.stat().st_size) for p in folder.iterdir() if p.is_file()))


def _dump(obj: Any) -> dict[str, Any]:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if hasattr(obj, "__dataclass_fields__"):
        import dataclasses

        return json.loads(json.dumps(dataclasses.asdict(obj), default=str))
    return dict(obj)


def load_procedures(folder: Path | None) -> list[dict[str, Any]]:
    """Every procedure as JSON-able dicts, through kiosk.declarations.catalog (the kiosk's own loader and schema)."""
    if folder is None or not folder.is_dir():
        return []
    import kiosk.declarations.catalog as catalog

    loaded = catalog.load_catalog(folder) if hasattr(catalog, "load_catalog") else catalog.Catalog.load(folder)
    procs = loaded.procedures if hasattr(loaded, "procedures") else loaded
    if isinstance(procs, dict):
        procs = list(procs.values())
    return [_dump(p) for p in procs]


@router.get("/procedures", response_model=api.ProceduresOut,
            responses={304: {"description": "not modified (If-None-Match)"}, **errors.problems(401)})
def procedures(
    request: Request,
    response: Response,
    _: KioskIdentity = Depends(current_kiosk),
    cfg: ServerSettings = Depends(deps.settings),
):
    folder = cfg.catalog_dir
    stamp = _stamp(folder) if folder and folder.is_dir() else ()
    with _lock:
        cached = getattr(request.app.state, "catalog_cache", None)
        if cached is None or cached[0] != stamp:
            procs = load_procedures(folder)
            version = hashlib.sha256(json.dumps(procs, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
            cached = (stamp, api.ProceduresOut(version=version, procedures=procs))
            request.app.state.catalog_cache = cached
    out: api.ProceduresOut = cached[1]
    etag = f'"{out.version}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return out
