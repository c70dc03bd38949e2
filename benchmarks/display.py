"""Live feed latency: the time from a counter's call to the event on 50 connected hall displays / follow pages,
and the server's CPU per connected client (issue 14; goal ≤ 200 ms p99).

The reference server runs as its own process on SQLite (one process, the in-process hub); ``--clients``
streams (``GET /events``, what the display and the follow page hold open) are read by one asyncio loop in
this process. An officer calls ``--calls`` tickets, one every ``--gap-ms``; each call's latency is taken from
just before its POST to the moment each stream has read the event that announces it. CPU is the server
process's user+system time (/proc) over an idle window with every client connected (heartbeats only) and
over the calls, per client. ``--runs`` runs; medians go to benchmarks/RESULTS.md.

    python -m benchmarks.display [--clients 50] [--calls 40] [--runs 3] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._results import median, write_section  # noqa: E402
from benchmarks._server_process import ServerProcess  # noqa: E402

UNIT = "000.00.01.H22"
TOKEN = hashlib.sha256(b"display-bench-kiosk-01").hexdigest()
PASSWORD = "mat-khau-benchmark-01"



def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(db: str, workdir: Path) -> None:
    from server.app import create_app
    from server.auth import seed_kiosk
    from server.settings import ServerSettings, utc_now
    from server.users import add_user

    app = create_app(ServerSettings(db_url=db, files_dir=workdir / "files"))
    with app.state.db.write() as s:
        seed_kiosk(s, "K01", TOKEN, UNIT, "Bộ phận Một cửa (benchmark)")
        add_user(s, "can-bo-1", PASSWORD, "officer", UNIT, utc_now(), "", scrypt_n=2**12)
    app.state.engine.dispose()


class Server(ServerProcess):
    def __init__(self, workdir: Path, db: str) -> None:
        super().__init__(db, workdir, "--log-level", "error", start_s=30.0)


class Stream:
    """One display's stream on a raw socket: the bytes read so far and when each announcement arrived."""

    def __init__(self) -> None:
        self.buf = b""
        self.seen: dict[str, float] = {}

    async def run(self, port: int, ready: asyncio.Event, counter: list[int], total: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        await writer.drain()
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.perf_counter()
                self.buf += chunk
                if b'"resync":true' in self.buf and not getattr(self, "_ready", False):
                    self._ready = True
                    counter[0] += 1
                    if counter[0] == total:
                        ready.set()
                while b'"announce":[{"number":"' in self.buf:
                    head, _, rest = self.buf.partition(b'"announce":[{"number":"')
                    number = rest.split(b'"', 1)[0].decode()
                    self.seen.setdefault(number, now)
                    self.buf = rest
                if len(self.buf) > 1_000_000:
                    self.buf = self.buf[-2000:]
        finally:
            writer.close()


async def _run_once(clients: int, calls: int, gap_ms: float, idle_s: float, pg_url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="display-bench-") as tmp:
        db = pg_url or f"sqlite:///{Path(tmp) / 'server.db'}"
        seed(db, Path(tmp))
        srv = Server(Path(tmp), db)
        # PostgreSQL: a second server process (a second worker); half the streams are on it, the calls on the first
        other = Server(Path(tmp), db) if pg_url else None
        try:
            async with httpx.AsyncClient(timeout=30) as http:
                kiosk = {"Authorization": f"Bearer {TOKEN}"}
                for _ in range(calls):
                    (await http.post(f"{srv.url}/tickets", json={"service": "A"}, headers=kiosk)).raise_for_status()
                login = await http.post(f"{srv.url}/auth/login", json={"username": "can-bo-1", "password": PASSWORD,
                                                                        "bearer": True})
                officer = {"Authorization": f"Bearer {login.json()['access_token']}"}
                ready, counter = asyncio.Event(), [0]
                streams = [Stream() for _ in range(clients)]
                ports = [srv.port] if other is None else [srv.port, other.port]
                tasks = [asyncio.create_task(s.run(ports[i % len(ports)], ready, counter, clients))
                         for i, s in enumerate(streams)]
                await asyncio.wait_for(ready.wait(), 60)
                pids = [srv.p.pid] + ([other.p.pid] if other is not None else [])

                def cpu() -> float:
                    return sum(_cpu_s(p) for p in pids)

                cpu0, t0 = cpu(), time.perf_counter()
                await asyncio.sleep(idle_s)
                idle_cpu = (cpu() - cpu0) / (time.perf_counter() - t0)
                sent: dict[str, float] = {}
                cpu1, t1 = cpu(), time.perf_counter()
                for _ in range(calls):
                    start = time.perf_counter()
                    r = await http.post(f"{srv.url}/counters/1/next", json={"services": ["A"]}, headers=officer)
                    r.raise_for_status()
                    sent[r.json()["number"]] = start
                    await asyncio.sleep(gap_ms / 1000)
                deadline = time.perf_counter() + 10
                while time.perf_counter() < deadline and not all(len(s.seen) >= calls for s in streams):
                    await asyncio.sleep(0.01)
                busy_cpu = (cpu() - cpu1) / (time.perf_counter() - t1)
                for t in tasks:
                    t.cancel()
                lat = sorted((s.seen[n] - t) * 1000 for s in streams for n, t in sent.items() if n in s.seen)
                missing = clients * calls - len(lat)
            return {"p50": lat[len(lat) // 2], "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))], "max": lat[-1],
                    "missing": missing, "idle_cpu_pct_per_client": 100 * idle_cpu / clients,
                    "busy_cpu_pct_per_client": 100 * busy_cpu / clients, "busy_cpu_pct": 100 * busy_cpu}
        finally:
            srv.stop()
            if other is not None:
                other.stop()


def _pct(v: float) -> str:
    """Idle CPU is often below the kernel's accounting tick (10 ms over the whole window)."""
    return f"{v:.3f} % of a core" if v > 0 else "below one clock tick (< 0.002 % of a core)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--calls", type=int, default=40)
    ap.add_argument("--gap-ms", type=float, default=250)
    ap.add_argument("--idle-s", type=float, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--postgres", action="store_true",
                    help="PostgreSQL (a throw-away local cluster, tests/pg.py) with two server processes")
    a = ap.parse_args(argv)
    cluster = None
    if a.postgres:
        sys.path.insert(0, str(ROOT / "tests"))
        import pg

        cluster = pg.LocalCluster()
        cluster.start()
    try:
        runs = [asyncio.run(_run_once(a.clients, a.calls, a.gap_ms, a.idle_s,
                                      pg.create_database(cluster.url) if cluster else None)) for _ in range(a.runs)]
    finally:
        if cluster is not None:
            cluster.stop()
    for r in runs:
        print({k: round(v, 2) for k, v in r.items()}, flush=True)
    m = {k: median([r[k] for r in runs]) for k in runs[0]}
    where = ("two server processes on PostgreSQL (half the streams on each, the calls on the first: the events "
             "cross by LISTEN/NOTIFY)") if a.postgres else "one server process (SQLite, in-process hub)"
    body = (f"{a.clients} streams (`GET /events`, as many hall displays / follow pages) on {where}; "
            f"{a.calls} counter calls {a.gap_ms:g} ms apart; medians of {a.runs} runs.\n\n"
            "| figure | value |\n|---|---|\n"
            f"| call → event, p50 | {m['p50']:.1f} ms |\n| call → event, p99 | {m['p99']:.1f} ms (goal ≤ 200 ms) |\n"
            f"| call → event, max | {m['max']:.1f} ms |\n| events missed | {m['missing']:.0f} |\n"
            f"| server CPU per connected client, idle ({a.idle_s:g} s window) | {_pct(m['idle_cpu_pct_per_client'])} |\n"
            f"| server CPU per connected client, during calls | {m['busy_cpu_pct_per_client']:.3f} % of a core |\n"
            f"| server CPU during calls, all clients | {m['busy_cpu_pct']:.1f} % of a core |\n\n"
            "The latency includes the call's own request (the POST is timed from before it is sent). Each change "
            "is snapshotted once per department and the same bytes go to every stream.")
    if not a.no_write:
        name, title = ("display-pg", "Hall display live feed on PostgreSQL, two workers (benchmarks/display.py --postgres)") \
            if a.postgres else ("display", "Hall display / follow page live feed (benchmarks/display.py)")
        write_section(name, title, body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
