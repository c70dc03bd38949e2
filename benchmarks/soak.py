"""Soak: N kiosks and M counters against the real server for a set time, with kill -9 twice and a disk that fills.

    python -m benchmarks.soak --minutes 10 --kiosks 16 --counters 8          # SQLite, then PostgreSQL
    python -m benchmarks.soak --minutes 1 --db sqlite --no-write             # a quick look

The server runs as its own process (``python -m server.main``, one uvicorn worker) with its
files folder on a small tmpfs (root only; otherwise an ordinary folder and no disk-full phase)
that a ballast file nearly fills: dossiers fill the rest, get 503 until the ballast goes at 3/4
of the run, and must then all arrive. At 1/3 and 2/3 the server is killed with SIGKILL and
started again. Afterwards the database is checked: every ticket number once and none skipped,
no ticket called twice, every dossier and rating the kiosks were told was received stored
exactly once (and each dossier's files intact), nothing left in the temp folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/pg.py: the throw-away PostgreSQL cluster

from benchmarks._results import write_section  # noqa: E402
from benchmarks._soak_load import Traffic  # noqa: E402

UNIT = "000.00.01.H22"
RATES = {"ticket": 2.0, "heartbeat": 10.0, "dossier": 20.0, "rating": 15.0, "lookup": 15.0, "counter": 1.0}


OFFICER_PASSWORD = "soak-officer-" + secrets.token_urlsafe(12)


def _seed(db_url: str, kiosks: list[tuple[str, str, str]], counters: int = 0) -> None:
    """The kiosks with their tokens, and one officer account per counter (``quay1``…)."""
    from server.auth import seed_kiosk
    from server.db import Database, make_engine, migrate
    from server.settings import utc_now
    from server.users import add_user

    engine = make_engine(db_url)
    migrate(engine)
    with Database(engine).write() as s:
        for kiosk_id, token, unit in kiosks:
            seed_kiosk(s, kiosk_id, token, unit, "Bộ phận Một cửa (soak)")
    with Database(engine).write() as s:
        for n in range(1, counters + 1):
            add_user(s, f"quay{n}", OFFICER_PASSWORD, "officer", UNIT, utc_now(), f"Quầy {n}")
    engine.dispose()


def _officer_bearers(url: str, counters: int) -> list[str]:
    """Each counter's officer logs in once (bearer) — counter calls need an officer, never a kiosk token."""
    import httpx

    return [httpx.post(f"{url}/auth/login", json={"username": f"quay{n}", "password": OFFICER_PASSWORD,
                                                   "bearer": True}, timeout=60).json()["access_token"]
            for n in range(1, counters + 1)]


class ServerProc:
    """The server as a child process on a fixed port, killed and restarted at will; its RSS sampled."""

    def __init__(self, db_url: str, files: Path, tmpdir: Path, log: Path, tree: Path = ROOT) -> None:
        from server.testing import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.cmd = [sys.executable, "-m", "server.main", "--db", db_url, "--port", str(self.port), "--files", str(files),
                    "--catalog", str(files.parent / "no-catalog"), "--log-level", "warning"]
        if tree == ROOT:  # an older tree (a baseline) may not know the flag
            self.cmd += ["--log-file", str(log)]
        self.env = dict(os.environ, TMPDIR=str(tmpdir), PYTHONPATH=str(tree))
        self.tree = tree
        self.proc: subprocess.Popen[bytes] | None = None
        self.rss: list[tuple[float, int, float]] = []  # (time, segment, MB)
        self.segment = 0
        self.downtime_s: list[float] = []
        self.restarts: list[tuple[float, float]] = []  # (killed, answering again) in time.monotonic()

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, cwd=self.tree, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill9_and_restart(self) -> None:
        t0 = time.monotonic()
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.segment += 1
        self.start()
        self.downtime_s.append(time.monotonic() - t0)
        self.restarts.append((t0, time.monotonic()))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def sample_rss(self, t: float) -> None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.rss.append((t, self.segment, int(line.split()[1]) / 1024))
        except (OSError, AttributeError):
            pass


class SmallDisk:
    """A tmpfs of ``size_mb`` for the files folder, nearly filled by a ballast file (root only)."""

    def __init__(self, base: Path, size_mb: int) -> None:
        self.dir = base / "small-disk"
        self.dir.mkdir()
        self.mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs",
                                       str(self.dir)], capture_output=True).returncode == 0
        self.ballast = self.dir / "ballast.bin"

    def fill(self, leave_mb: int) -> None:
        if self.mounted:
            st = os.statvfs(self.dir)
            with self.ballast.open("wb") as f:
                f.write(bytes(max(0, st.f_bavail * st.f_frsize - leave_mb * 1024 * 1024)))

    def release(self) -> None:
        self.ballast.unlink(missing_ok=True)

    def free_mb(self) -> float:
        st = os.statvfs(self.dir)
        return st.f_bavail * st.f_frsize / 2**20

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.dir)], check=False)


def verify(db_url: str, files: Path, traffic: Traffic) -> dict[str, Any]:
    """What the database holds against what the kiosks and counters were told."""
    from sqlalchemy import select

    from server.db import Database, make_engine
    from server.models import Dossier, DossierFile, Rating, Ticket

    engine = make_engine(db_url)
    with Database(engine).read() as s:
        tickets = s.execute(select(Ticket.day, Ticket.service, Ticket.seq, Ticket.number, Ticket.idempotency_key)).all()
        dossiers = s.execute(select(Dossier.id, Dossier.idempotency_key, Dossier.meta)).all()
        dfiles = s.execute(select(DossierFile.dossier_id, DossierFile.sha256)).all()
        ratings = s.execute(select(Rating.idempotency_key)).all()
    engine.dispose()
    by_series: dict[tuple[str, str], list[int]] = {}
    for day, service, seq, _n, _k in tickets:
        by_series.setdefault((str(day), service), []).append(seq)
    skipped = sum(max(seqs) - len(set(seqs)) for seqs in by_series.values())
    duplicates = sum(len(seqs) - len(set(seqs)) for seqs in by_series.values())
    db_numbers = {f"{day}:{number}" for day, _s, _q, number, _k in tickets}
    told = traffic.stats.tickets
    acked = {key: a for k in traffic.kiosks for key, a in k.acked.items()}
    acked_dossiers = {key for key, a in acked.items() if a["kind"] == "dossier"}
    acked_ratings = {key for key, a in acked.items() if a["kind"] == "rating"}
    db_dossier_keys = [key for _id, key, _m in dossiers]
    markers = [m.get("form", {}).get("soak_marker") for _id, _k, m in dossiers]
    broken = 0
    for _dossier_id, sha in dfiles:
        blob = files / "blobs" / sha[:2] / sha
        if not blob.exists() or hashlib.sha256(blob.read_bytes()).hexdigest() != sha:
            broken += 1
    pending = sum(len(k.pending) for k in traffic.kiosks)
    return {
        "tickets": len(tickets), "ticket_duplicates": duplicates, "ticket_skipped": skipped,
        "tickets_told_not_stored": len(set(told.values()) - db_numbers),
        "tickets_same_number_two_keys": len(told) - len(set(told.values())),
        "called_twice": sum(1 for n in traffic.stats.called.values() if n > 1),
        "dossiers_acked": len(acked_dossiers), "dossiers_stored": len(dossiers),
        "dossiers_lost": len(acked_dossiers - set(db_dossier_keys)),
        "dossiers_duplicated": (len(db_dossier_keys) - len(set(db_dossier_keys))) + (len(markers) - len(set(markers))),
        "dossier_files_broken": broken,
        "ratings_acked": len(acked_ratings), "ratings_stored": len(ratings),
        "ratings_lost": len(acked_ratings - {r[0] for r in ratings}),
        "rejected": [r for k in traffic.kiosks for r in k.rejected][:10],
        "rejected_count": sum(len(k.rejected) for k in traffic.kiosks),
        "still_pending": pending,
        "tmp_leftovers": len(list((files / "tmp").iterdir())) if (files / "tmp").exists() else 0,
    }


def run(db_name: str, db_url: str, work: Path, minutes: float, kiosks: int, counters: int,
        tree: Path = ROOT) -> dict[str, Any]:
    tokens = [(f"SOAK-{i:02d}", f"soak-{i:02d}-{secrets.token_urlsafe(32)}", UNIT) for i in range(kiosks)]
    current = tree == ROOT  # a baseline tree knows neither officers nor the secret header
    _seed(db_url, tokens, counters if current else 0)
    disk = SmallDisk(work, 64)
    files, tmpdir = disk.dir / "files", disk.dir / "tmp-spool"
    tmpdir.mkdir(parents=True)
    server = ServerProc(db_url, files, tmpdir, work / "server.log", tree)
    server.start()
    disk.fill(leave_mb=12)
    traffic = Traffic(server.url, tokens, counters, RATES,
                      counter_credentials=_officer_bearers(server.url, counters) if current else None,
                      secret_in_header=current)
    duration = minutes * 60
    events: list[str] = []
    t0 = time.monotonic()
    traffic.start()
    done = threading.Event()
    full_seen = [0.0]

    def watch() -> None:
        while not done.wait(5):
            server.sample_rss(time.monotonic() - t0)
            if disk.mounted and disk.free_mb() < 0.5 and not full_seen[0]:
                full_seen[0] = time.monotonic() - t0

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        for at, action in sorted([(duration / 3, "kill"), (2 * duration / 3, "kill"), (0.75 * duration, "release")]):
            time.sleep(max(0.0, t0 + at - time.monotonic()))
            if action == "kill":
                server.kill9_and_restart()
                events.append(f"kill -9 at {at:.0f} s, answering again after {server.downtime_s[-1]:.1f} s")
            else:
                disk.release()
                events.append(f"disk space released at {at:.0f} s")
        time.sleep(max(0.0, t0 + duration - time.monotonic()))
        elapsed = time.monotonic() - t0
        traffic.drain(timeout_s=180)
        server.sample_rss(time.monotonic() - t0)
    finally:
        done.set()
        server.stop()
    # "steady": leave out each restart and the 30 s after it (kiosks' backlogs and a cold process)
    summary = traffic.stats.summary([(a, b + 30) for a, b in server.restarts])
    checks = verify(db_url, files, traffic)
    disk.close()
    if full_seen[0]:
        events.append(f"disk full at {full_seen[0]:.0f} s")
    elif disk.mounted:
        events.append("the disk never filled")
    else:
        events.append("no small disk (not root?): disk-full phase not exercised")
    return {"db": db_name, "elapsed_s": elapsed, "summary": summary, "checks": checks, "events": events,
            "rss": server.rss, "kiosks": kiosks, "counters": counters}


def _rss_line(rss: list[tuple[float, int, float]]) -> str:
    if not rss:
        return "–"
    last = [r for r in rss if r[1] == rss[-1][1]]
    first_min = [m for t, _s, m in last if t - last[0][0] <= 60] or [last[0][2]]
    return (f"{min(m for *_, m in rss):.0f}–{max(m for *_, m in rss):.0f} MB; last process "
            f"{first_min[-1]:.0f} MB after its first minute → {last[-1][2]:.0f} MB at the end")


def report(results: list[dict[str, Any]], note: str) -> str:
    r0 = results[0]
    head = (f"{r0['kiosks']} kiosks (a ticket every ~{RATES['ticket']:g} s, a heartbeat every ~{RATES['heartbeat']:g} s, "
            f"a dossier with 1–2 PDFs of 30–150 KB every ~{RATES['dossier']:g} s, a rating and a lookup every "
            f"~{RATES['rating']:g} s) and {r0['counters']} counters (a call every ~{RATES['counter']:g} s) against the "
            f"server as its own process; kill -9 of the server at 1/3 and 2/3 of the run; its files folder on a "
            f"64 MB tmpfs filled by a ballast to 12 MB free, the ballast removed at 3/4. The 503s are that disk-full "
            f"phase (\"storage full, retry later\"): each kiosk kept its dossiers and sent them once space was back; "
            f"network errors are the two restarts. Ticket numbers are checked per service and day in the database "
            f"(none twice, none skipped), every dossier and rating a kiosk was told was received must be stored exactly "
            f"once, with its files intact. {note}")
    rows = []
    for r in results:
        s, c = r["summary"], r["checks"]
        out = s["outcomes"]
        five = sum(n for (_k, o), n in out.items() if o.startswith("5") and o != "503")
        busy = sum(n for (_k, o), n in out.items() if o == "503")
        net = sum(n for (_k, o), n in out.items() if o.startswith("network") or o == "timeout")
        rows.append(
            f"| {r['db']} | {r['elapsed_s'] / 60:.1f} min | {s['answered'] / r['elapsed_s']:.1f} req/s "
            f"({s['by_kind'].get('ticket', (0,))[0] / r['elapsed_s']:.1f} tickets/s) | {s['p50']:.1f} / {s['p99']:.1f} ms "
            f"(steady {s['steady_p50']:.1f} / {s['steady_p99']:.1f} ms) "
            f"| {s['longest_ms'] / 1000:.2f} s ({s['longest_what']}) | {s['stalls']} | {five} | {busy} | {net} "
            f"| {c['ticket_duplicates']} / {c['ticket_skipped']} / {c['called_twice']} "
            f"| {c['dossiers_acked']} → {c['dossiers_stored']}: {c['dossiers_lost']} lost, {c['dossiers_duplicated']} dup, "
            f"{c['dossier_files_broken']} broken, {c['still_pending']} never acknowledged (still held by the kiosks) "
            f"| {c['ratings_lost']} | {c['rejected_count']} | {c['tmp_leftovers']} "
            f"| {_rss_line(r['rss'])} |")
    table = ("| database | run | throughput | p50 / p99 (steady: outside restarts + 30 s) | longest wait | stalls (>5 s) | 5xx (not 503) | 503 "
             "| network errors | ticket dup / skipped / called twice | dossiers acked → stored | ratings lost "
             "| rejected (4xx) | temp leftovers | server RSS |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
             + "\n".join(rows))
    kinds = sorted({k for r in results for k in r["summary"]["by_kind"]})
    per_kind = ("| kind | " + " | ".join(f"{r['db']} n, p50 / p99" for r in results) + " |\n|---|"
                + "---|" * len(results) + "\n" + "\n".join(
                    f"| {k} | " + " | ".join(
                        "{0}, {1:.1f} / {2:.1f} ms".format(*r["summary"]["by_kind"].get(k, (0, float("nan"), float("nan"))))
                        for r in results) + " |" for k in kinds))
    outcomes = "\n".join(
        f"- {r['db']}: " + ", ".join(f"{k} {o}: {n}" for (k, o), n in sorted(r["summary"]["outcomes"].items())
                                     if not o.startswith("2"))
        + "; " + "; ".join(r["events"]) for r in results)
    return f"{head}\n\n{table}\n\nLatency by kind of request:\n\n{per_kind}\n\nAnswers other than 2xx, and events:\n\n{outcomes}\n"


def _brief(r: dict[str, Any]) -> None:
    s = dict(r["summary"], outcomes={f"{k} {o}": n for (k, o), n in r["summary"]["outcomes"].items()})
    print(json.dumps({"db": r["db"], **s, **r["checks"], "events": r["events"]}, default=str), flush=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.soak")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--kiosks", type=int, default=16)
    ap.add_argument("--counters", type=int, default=8)
    ap.add_argument("--db", choices=["both", "sqlite", "postgres"], default="both")
    ap.add_argument("--server-tree", type=Path, default=ROOT, help="run the server from another source tree (a baseline)")
    ap.add_argument("--section", default="soak", help="RESULTS.md section to write")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    results, note = [], ""
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        work = Path(tmp)
        if args.db in ("both", "sqlite"):
            (work / "sqlite").mkdir()
            results.append(run("SQLite", f"sqlite:///{work / 'sqlite' / 'server.db'}", work / "sqlite", args.minutes,
                               args.kiosks, args.counters, args.server_tree))
            _brief(results[-1])
        if args.db in ("both", "postgres"):
            import pg

            try:
                with pg.server_url() as server_url:
                    (work / "pg").mkdir()
                    results.append(run("PostgreSQL", pg.create_database(server_url), work / "pg", args.minutes,
                                       args.kiosks, args.counters, args.server_tree))
                    _brief(results[-1])
            except Exception as e:  # noqa: BLE001 — report, keep the SQLite figures
                note = f"PostgreSQL not measured: {e}."
    load = os.getloadavg()
    note += f" Load average at the end {load[0]:.1f} on {os.cpu_count()} cores (shared with other work)."
    body = report(results, note)
    print(body)
    if not args.no_write:
        title = "Soak: kiosks and counters for minutes, kill -9 twice, a disk that fills (issue 13)"
        if args.server_tree != ROOT:
            title += f" — the server of another tree ({args.section})"
        write_section(args.section, title, body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
