"""App factory of the reference backend: ``create_app(settings)`` → FastAPI with every router under /api/v1.

Another feature adds its router with one line in :data:`ROUTERS` (plain imports: a router that
cannot be imported stops the server at once, not at the first request).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from kiosk.api import API_PREFIX
from server import (
    __version__,
    errors,
    housekeeping,
    routes_auth,
    routes_catalog,
    routes_counters,
    routes_desk,
    routes_desk_pages,
    routes_desk_report,
    routes_docs,
    routes_dossiers,
    routes_events,
    routes_follow,
    routes_heartbeat,
    routes_kiosks,
    routes_lookup,
    routes_pages,
    routes_ratings,
    routes_satisfaction,
    routes_stats,
    routes_tickets,
)
from server.auth import TokenCache, identify
from server.db import Database, make_engine, migrate
from server.filestore import FileStore
from server.queue import events
from server.limits import RequestLimits
from server.settings import ServerSettings

log = logging.getLogger(__name__)

# (router, prefix). Add yours here — one line.
ROUTERS: tuple[tuple[APIRouter, str], ...] = (
    (routes_catalog.router, API_PREFIX),
    (routes_tickets.router, API_PREFIX),
    (routes_dossiers.router, API_PREFIX),
    (routes_ratings.router, API_PREFIX),
    (routes_heartbeat.router, API_PREFIX),
    (routes_satisfaction.router, API_PREFIX),
    (routes_kiosks.router, API_PREFIX),
    (routes_lookup.router, API_PREFIX),
    (routes_auth.router, API_PREFIX),
    (routes_counters.router, API_PREFIX),
    (routes_desk.router, API_PREFIX),
    (routes_desk_report.router, API_PREFIX),
    (routes_events.router, API_PREFIX),
    (routes_follow.router, API_PREFIX),
    (routes_stats.router, API_PREFIX),
    (routes_stats.page_router, ""),  # /stats, the supervisors' page
    (routes_desk_report.page_router, ""),  # /desk/report, the supervisors' on-time report
    (routes_desk_pages.router, ""),  # /desk/dossiers…, the officers' dossier desk
    (routes_pages.router, ""),  # /desk, /display, /q/{day}/{number}, /static, /audio
    (routes_docs.router, ""),  # /openapi.json and /docs, for officers only
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The housekeeping thread runs while the server serves."""
    jobs = housekeeping.build(app.state)
    jobs.start()
    app.state.hub.bind(asyncio.get_running_loop())
    listener = None
    if app.state.engine.dialect.name == "postgresql":  # several workers: changes cross them by LISTEN/NOTIFY
        listener = events.PgListener(app.state.settings.db_url, app.state.hub)
        listener.start()
    try:
        yield
    finally:
        if listener is not None:
            listener.stop()
        jobs.stop()


def create_app(settings: ServerSettings, *, run_migrations: bool = True) -> FastAPI:
    """Build the app on ``settings.db_url`` (schema migrated to the newest revision first)."""
    engine = make_engine(settings.db_url, lock_timeout_s=settings.db_lock_timeout_s)
    if run_migrations:
        migrate(engine)
    app = FastAPI(
        lifespan=_lifespan,
        title="motcua-kiosk reference one-stop backend",
        version=__version__,
        description="The kiosk ↔ backend contract (docs/API.md). Bearer token per kiosk; officer login for the office side.",
        docs_url=None, redoc_url=None, openapi_url=None,  # served by routes_docs, behind an officer login
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.db = Database(engine)
    app.state.sessions = app.state.db.writers  # scripts and tests that seed or inspect the database
    app.state.files = FileStore(settings.files_dir)
    app.state.hub = events.Hub(lambda dept: routes_events.hall_state(app, dept))
    app.state.token_cache = TokenCache(settings.token_cache_ttl_s, settings.token_negative_ttl_s)
    errors.install(app)

    async def _known_kiosk(token: str) -> bool:
        return await identify(app, token) is not None

    app.add_middleware(errors.CatchAll)  # inner: added first
    app.add_middleware(RequestLimits, json_limit=settings.max_json_bytes, authenticate=_known_kiosk,
                       uploads={("POST", f"{API_PREFIX}/dossiers"): settings.max_upload_bytes})
    for router, prefix in ROUTERS:
        app.include_router(router, prefix=prefix)
    return app
