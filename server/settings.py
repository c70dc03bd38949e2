"""Settings of one reference-server process (from ``kiosk-server`` flags or a test)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


# The kiosk's packaged defaults (config/kiosk.toml, kiosk/base/config.py): the embedded server is given the
# kiosk's own lists; a department's server sets its lists with --priority-categories / --rating-reasons.
PRIORITY_CATEGORIES = ("elderly", "disabled", "pregnant", "child", "merit")
RATING_REASONS = ("wait", "attitude", "unclear", "late", "resubmit", "kiosk")


@dataclass
class ServerSettings:
    """Limits and places. ``clock`` is injectable so tests can cross local midnight without waiting."""

    db_url: str = "sqlite:///var/server.db"
    files_dir: Path = Path("var/server-files")
    catalog_dir: Path | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    max_files: int = 30
    max_file_bytes: int = 20 * 1024 * 1024
    max_total_bytes: int = 100 * 1024 * 1024
    max_meta_bytes: int = 256 * 1024  # the dossier's metadata JSON
    max_json_bytes: int = 128 * 1024  # any other request body
    max_priority_in_a_row: int = 2
    max_regular_wait_min: float = 20.0  # a regular ticket waiting this long goes before priority ones (policy)
    no_show_after_recalls: int = 1  # recalls needed before an officer may mark a ticket no-show
    no_show_action: str = "requeue"  # requeue: once to the end of the line, then dropped; drop: at once
    service_minutes: float = 5.0  # the follow page's estimate until the day has measured service times
    sse_heartbeat_s: float = 15.0  # comment lines on idle live streams (proxies cut silent ones)
    voice_dir: Path | None = None  # cached announcement clips (default: files_dir / "voice")
    priority_categories: tuple[str, ...] = PRIORITY_CATEGORIES
    rating_reasons: tuple[str, ...] = RATING_REASONS
    public_satisfaction: bool = False  # the aggregated satisfaction page without a login (a lobby screen)
    lookup_failures_per_code: int = 5  # wrong secrets per dossier code per window (then 429)
    lookup_failures_per_client: int = 20  # failed lookups per kiosk per window
    lookup_window_s: float = 900.0
    login_failures_per_user: int = 5
    login_failures_per_client: int = 20
    login_window_s: float = 900.0
    session_hours: float = 12.0  # an officer's login lasts a working day
    scrypt_n: int | None = None  # None: the strong default; the test harness lowers it for speed
    token_cache_ttl_s: float = 30.0  # how long a token lookup is trusted (tests shorten it)
    token_negative_ttl_s: float = 5.0  # how long an unknown token is remembered as unknown
    db_lock_timeout_s: float = 10.0  # longest wait for the database write lock, then 503
    sweep_every_s: float = 60.0  # temp files of dead uploads removed this often (and at start)
    tmp_grace_s: float = 5.0  # a temp file this young may be an upload just starting
    blob_sweep_every_s: float = 3600.0  # blobs no dossier names removed this often
    blob_grace_s: float = 600.0  # … once untouched this long
    retention_every_s: float = 6 * 3600.0  # the retention job runs this often (and at start)
    retention_ticket_days: int = 90  # tickets, offline blocks, daily sequences (0 = keep for ever)
    retention_rating_days: int = 400  # ratings: the satisfaction report reaches back 366 days
    retention_dossier_days: int = 730  # dossiers with the applicant's data and files
    clock: Callable[[], datetime] = field(default=utc_now)

    @property
    def max_upload_bytes(self) -> int:
        """Cap of a whole ``POST /dossiers`` body: files, metadata and the multipart framing."""
        return self.max_total_bytes + self.max_meta_bytes + 4096 * (self.max_files + 2)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def calendar_file(self) -> Path | None:
        """The province's working calendar next to the catalog (read by kiosk.declarations.workdays)."""
        return self.catalog_dir / "_calendar.toml" if self.catalog_dir else None

    def now(self) -> datetime:
        return self.clock()

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.tz)
