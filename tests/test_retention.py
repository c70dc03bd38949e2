"""Nothing grows for ever on the kiosk: old queue tickets are deleted, the embedded server's log rotates
(and is masked like the kiosk's own)."""

from __future__ import annotations

import sqlite3
import sys
import textwrap
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from kiosk.backend.embedded import EmbeddedServer
from kiosk.queue.store import TicketStore
from kiosk.queue.tickets import Ticket
from server.testing import free_port


def _ticket(day: date) -> Ticket:
    return Ticket(number="", service="A", seq=0, day=day, issued_at=datetime.combine(day, datetime.min.time()))


def _days(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute(f"SELECT day FROM {table}")}


def test_tickets_and_blocks_older_than_a_day_are_deleted(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite"
    today = date.today()
    store = TicketStore(path)
    old, yesterday = today - timedelta(days=3), today - timedelta(days=1)
    ancient = today - timedelta(days=40)
    store.issue_local(_ticket(ancient), block_size=10, base=1)
    store.mark_synced(store.issued(ancient)[0]["id"])
    for day in (old, old, yesterday, today):
        store.issue_local(_ticket(day), block_size=10, base=1)
    online = _ticket(old)
    online.seq, online.number = 500, "A500"
    store.record_online(online)
    store.mark_synced(store.issued(old)[0]["id"])
    store.close()
    store = TicketStore(path)  # the kiosk starts again
    try:
        kept = _days(path, "tickets")
        assert old.isoformat() in kept  # an offline ticket the backend has not registered yet stays…
        assert len(store.issued(old)) == 1 and not store.issued(old)[0]["synced"]
        assert {yesterday.isoformat(), today.isoformat()} <= kept
        # blocks (a few rows a day) stay a month: numbers of a day are never handed out twice,
        # even if the clock goes back a few days
        assert _days(path, "blocks") == {old.isoformat(), yesterday.isoformat(), today.isoformat()}
        assert ancient.isoformat() not in kept
    finally:
        store.close()


def test_unsynced_tickets_go_too_after_a_week(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite"
    store = TicketStore(path)
    store.issue_local(_ticket(date.today() - timedelta(days=8)), block_size=10, base=1)
    store.issue_local(_ticket(date.today()), block_size=10, base=1)
    assert _days(path, "tickets") == {date.today().isoformat()}
    store.close()


def test_a_kiosk_running_for_days_prunes_at_the_first_ticket_of_a_new_day(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite"
    store = TicketStore(path)
    day = date.today() - timedelta(days=4)
    t = store.issue_local(_ticket(day), block_size=10, base=1)
    store.mark_synced(t.ticket_id)
    store.issue_local(_ticket(date.today()), block_size=10, base=1)  # no restart in between
    assert _days(path, "tickets") == {date.today().isoformat()}
    store.close()


NOISY_SERVER = """
import http.server, sys, threading
for i in range(20000):
    print(f"warning {i}: citizen 036089001234 asked for dossier of Nguyễn", flush=(i % 1000 == 0))
sys.stdout.flush()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def test_the_embedded_servers_log_is_rotated_and_masked(kiosk_config, tmp_path: Path) -> None:
    port = free_port()
    kiosk_config.backend.url = f"http://127.0.0.1:{port}/api/v1"
    kiosk_config.logging.max_bytes = 50_000
    kiosk_config.logging.backups = 3
    script = tmp_path / "noisy.py"
    script.write_text(textwrap.dedent(NOISY_SERVER), encoding="utf-8")
    server = EmbeddedServer(kiosk_config)
    server.command = lambda: [sys.executable, str(script), str(port)]  # type: ignore[method-assign]
    server.start()
    try:
        log_dir = kiosk_config.data_path("log")
        deadline = datetime.now() + timedelta(seconds=30)
        def done() -> bool:
            live = log_dir / "server-console.log"
            return live.exists() and "warning 19999" in live.read_text(encoding="utf-8")

        while not done() and datetime.now() < deadline:
            time.sleep(0.05)
        files = sorted(p for p in log_dir.iterdir() if p.name.startswith("server-console.log"))
        assert [p.name for p in files] == ["server-console.log", "server-console.log.1", "server-console.log.2", "server-console.log.3"]
        assert all(p.stat().st_size <= 50_000 + 200 for p in files)
        text = "".join(p.read_text(encoding="utf-8") for p in files)
        assert "warning 19999" in text
        assert "036089001234" not in text and "*********234" in text
    finally:
        server.stop()
