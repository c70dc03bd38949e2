"""``kiosk-server``: run the reference backend (SQLite file by default, PostgreSQL by URL).

    kiosk-server --db sqlite:///var/server.db --port 8765 \
        --kiosk KIOSK-01 --unit 000.00.01.H22 --department "Bộ phận Một cửa …"   # token from $KIOSK_SERVER_TOKEN

``--kiosk`` (with ``--token`` or ``$KIOSK_SERVER_TOKEN``, ≥ 32 random bytes) creates or updates that
kiosk and its department before serving; ``--add-only`` does just that and exits. ``kiosk-server token …``
and ``kiosk-server user …`` manage kiosk tokens and officer accounts (:mod:`server.manage`).

The packaged example token (``dev-kiosk-token``) is served only with ``--embedded``, the flag the kiosk's
embedded launcher passes for ``make run``, and only on loopback: a department's server holding it refuses
to start.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

from server.settings import PRIORITY_CATEGORIES, RATING_REASONS

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PRIVATE_UMASK = 0o077

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # relative paths are taken from here, as the kiosk does


def _sqlite_file_url(url: str, base: Path) -> str:
    """Relative SQLite paths are taken from ``base`` (the project root), like the kiosk's own paths."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:" and not Path(u.database).is_absolute():
        return str(u.set(database=str(base / u.database)))
    return url


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-server", description="Reference one-stop backend for motcua-kiosk.")
    p.add_argument("--db", default=os.environ.get("KIOSK_SERVER_DB", "sqlite:///var/server.db"),
                   help="SQLAlchemy URL (sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--files", default=None, help="folder for received files (default: next to the SQLite file, or var/server-files)")
    p.add_argument("--catalog", default="config/procedures", help="procedure catalog folder served at /procedures")
    p.add_argument("--timezone", default="Asia/Ho_Chi_Minh")
    p.add_argument("--max-priority-in-a-row", type=int, default=2)
    p.add_argument("--max-regular-wait-min", type=float, default=20,
                   help="a regular ticket waiting this long is called before priority ones")
    p.add_argument("--no-show-after-recalls", type=int, default=1, help="recalls before a ticket may be marked no-show")
    p.add_argument("--no-show-action", choices=("requeue", "drop"), default="requeue",
                   help="a no-show goes once to the end of the line (requeue) or is dropped")
    p.add_argument("--max-file-mb", type=float, default=20)
    p.add_argument("--max-files", type=int, default=30)
    p.add_argument("--keep-tickets-days", type=int, default=90, help="delete tickets older than this (0: never)")
    p.add_argument("--keep-ratings-days", type=int, default=400, help="delete ratings older than this (0: never)")
    p.add_argument("--keep-dossiers-days", type=int, default=730,
                   help="delete dossiers (applicant data and files) older than this (0: never)")
    p.add_argument("--kiosk", metavar="ID", help="create/update this kiosk at start")
    p.add_argument("--token", help="its token (prefer $KIOSK_SERVER_TOKEN: command lines are visible to others)")
    p.add_argument("--unit", default="000.00.01.H22", help="its department's receiving unit id")
    p.add_argument("--department", default="", help="its department's name")
    p.add_argument("--add-only", action="store_true", help="add the kiosk and exit")
    p.add_argument("--priority-categories", default=",".join(PRIORITY_CATEGORIES),
                   help="priority codes tickets may carry (comma-separated; the kiosks' [queue] categories)")
    p.add_argument("--rating-reasons", default=",".join(RATING_REASONS),
                   help="reason tags ratings may carry (comma-separated; the kiosks' [rating] reasons)")
    p.add_argument("--public-satisfaction", action="store_true",
                   help="serve the aggregated satisfaction page without a login (a screen in the hall)")
    p.add_argument("--embedded", action="store_true",
                   help="started by the kiosk for `make run`: loopback only, the example token allowed")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--log-file", default=os.environ.get("KIOSK_SERVER_LOG") or None,
                   help="write the log here, rotated (default: stderr); personal data is masked either way")
    p.add_argument("--log-max-mb", type=float, default=10, help="rotate the log file at this size")
    p.add_argument("--log-backups", type=int, default=5, help="rotated log files kept")
    return p


def _codes(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip() for c in value.split(",") if c.strip()))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.umask(PRIVATE_UMASK)  # the database, received files and logs hold personal data: the server's user only
    if argv and argv[0] in ("token", "user"):
        from server import manage

        return manage.main(argv)
    args = build_parser().parse_args(argv)
    from server.logs import configure

    log_file = Path(args.log_file) if args.log_file else None
    configure(log_file if log_file is None or log_file.is_absolute() else PROJECT_ROOT / log_file, args.log_level,
              max_bytes=int(args.log_max_mb * 1024 * 1024), backups=args.log_backups)
    return run(args, PROJECT_ROOT)


def run(args: argparse.Namespace, root: Path) -> int:
    import uvicorn

    from server import tokens
    from server.app import create_app
    from server.auth import seed_kiosk
    from server.credentials import EXAMPLE_TOKEN, WeakCredential
    from server.settings import ServerSettings

    if args.embedded and args.host not in LOOPBACK:
        print("kiosk-server: --embedded serves on loopback only (--host 127.0.0.1)", file=sys.stderr)
        return 2

    db = _sqlite_file_url(args.db, root)
    u = make_url(db)
    if args.files:
        files = Path(args.files)
    elif u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        files = Path(u.database).with_name(Path(u.database).stem + "-files")
    else:
        files = root / "var" / "server-files"
    catalog = Path(args.catalog)
    settings = ServerSettings(
        db_url=db, files_dir=files if files.is_absolute() else root / files,
        catalog_dir=catalog if catalog.is_absolute() else root / catalog, timezone=args.timezone,
        max_priority_in_a_row=args.max_priority_in_a_row, max_regular_wait_min=args.max_regular_wait_min,
        no_show_after_recalls=args.no_show_after_recalls, no_show_action=args.no_show_action, max_file_bytes=int(args.max_file_mb * 1024 * 1024),
        max_files=args.max_files, priority_categories=_codes(args.priority_categories),
        rating_reasons=_codes(args.rating_reasons), public_satisfaction=args.public_satisfaction,
        retention_ticket_days=args.keep_tickets_days,
        retention_rating_days=args.keep_ratings_days, retention_dossier_days=args.keep_dossiers_days,
    )
    app = create_app(settings)
    if args.kiosk:
        token = args.token or os.environ.get("KIOSK_SERVER_TOKEN", "")
        try:
            with app.state.db.write() as s:
                seed_kiosk(s, args.kiosk, token, args.unit, args.department,
                           weak_ok=args.embedded and token == EXAMPLE_TOKEN)
        except (WeakCredential, ValueError) as e:
            print(f"kiosk-server: --kiosk {args.kiosk}: {e} (--token or $KIOSK_SERVER_TOKEN)", file=sys.stderr)
            return 2
    if args.add_only:
        return 0
    if not args.embedded:
        with app.state.db.read() as s:
            exposed = tokens.example_token_in_use(s)
        if exposed:
            print(f"kiosk-server: kiosk(s) {', '.join(exposed)} still accept the public example token "
                  f"{EXAMPLE_TOKEN!r}; refusing to serve. Give each its own: kiosk-server token rotate ID",
                  file=sys.stderr)
            return 2
    print(f"kiosk-server: serving {u.render_as_string(hide_password=True)} on http://{args.host}:{args.port}/api/v1",
          file=sys.stderr, flush=True)
    # log_config=None: uvicorn's records go to our (masked, rotated) handler instead of its own.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False, log_config=None,
                timeout_graceful_shutdown=3)  # displays' live streams never end by themselves: a restart cuts them
    return 0


if __name__ == "__main__":
    sys.exit(main())
