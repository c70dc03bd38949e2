"""Dossier lookup timing: an unknown code vs a wrong secret vs another department's dossier (issue 13, finding 8).

The audit measured 4.9 ms (unknown code) vs 3.9 ms (wrong secret) medians: the answer's timing told which
codes exist. Here the reference server runs as its own process on SQLite; one kiosk submits a dossier,
then the paths are timed interleaved (so drift hits all alike), ``--rounds`` each. ``--baseline-root DIR``
runs the same against another checkout of the project (e.g. the commit before the fix, which took the
secret as ``?secret=``) in the same run, for the table's baseline rows. Failure limits are lifted for the
run (they would answer 429 long before the end). Figures go to benchmarks/RESULTS.md.

    python -m benchmarks.lookup [--rounds 300] [--baseline-root /tmp/base]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._results import median, write_section  # noqa: E402

UNIT, OTHER_UNIT = "000.00.01.H22", "000.00.02.H22"
TOKEN = hashlib.sha256(b"lookup-bench-kiosk-01").hexdigest()
OTHER = hashlib.sha256(b"lookup-bench-kiosk-99").hexdigest()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m server.main`` of the checkout at ``root`` (its own code: cwd comes first on sys.path)."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root, self.db = root, f"sqlite:///{workdir / 'server.db'}"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        for kiosk, token, unit in (("K01", TOKEN, UNIT), ("K99", OTHER, OTHER_UNIT)):
            subprocess.run([sys.executable, "-m", "server.main", "--db", self.db, "--kiosk", kiosk, "--token", token,
                            "--unit", unit, "--add-only"], cwd=root, check=True, capture_output=True)
        code = ("import sys, uvicorn; from server.app import create_app; from server.settings import ServerSettings; "
                "from pathlib import Path; kw = {}; fields = ServerSettings.__dataclass_fields__; "
                "kw.update({k: 10**9 for k in ('lookup_failures_per_code', 'lookup_failures_per_client') if k in fields}); "
                f"app = create_app(ServerSettings(db_url={self.db!r}, files_dir=Path({str(workdir / 'files')!r}), **kw)); "
                f"uvicorn.run(app, host='127.0.0.1', port={self.port}, log_level='warning', access_log=False)")
        self.p = subprocess.Popen([sys.executable, "-c", code], cwd=root, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server of {root} did not start")

    def stop(self) -> None:
        self.p.terminate()
        self.p.wait(10)


def _submit(url: str) -> tuple[str, str]:
    meta = {"receiving_unit_id": UNIT, "kiosk_id": "K01", "procedure_code": "1.001193",
            "procedure_name": "Đăng ký khai sinh", "applicant": {"full_name": "Nguyễn Văn An"},
            "rule": {"working_days": 3}}
    import json

    r = httpx.post(f"{url}/dossiers", data={"meta": json.dumps(meta)},
                   headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": uuid.uuid4().hex}, timeout=30)
    r.raise_for_status()
    return r.json()["code"], r.json()["secret"]


def _lookup(client: httpx.Client, url: str, code: str, secret: str, token: str, header: bool) -> tuple[float, int]:
    auth = {"Authorization": f"Bearer {token}"}
    t0 = time.perf_counter()
    if header:
        r = client.get(f"{url}/dossiers/{code}", headers={**auth, "Dossier-Secret": secret})
    else:
        r = client.get(f"{url}/dossiers/{code}", params={"secret": secret}, headers=auth)
    return (time.perf_counter() - t0) * 1000.0, r.status_code


def measure(root: Path, rounds: int) -> tuple[dict[str, list[float]], dict[str, set[int]]]:
    with tempfile.TemporaryDirectory(prefix="lookup-bench-") as tmp:
        srv = Server(root, Path(tmp))
        try:
            code, secret = _submit(srv.url)
            wrong = ("A" if secret[0] != "A" else "B") + secret[1:]
            unknown = code[:-4] + "9999"
            with httpx.Client(timeout=10) as c:
                header = _lookup(c, srv.url, code, secret, TOKEN, True)[1] == 200
                paths = {"right secret": (code, secret, TOKEN), "wrong secret": (code, wrong, TOKEN),
                         "unknown code": (unknown, secret, TOKEN), "other department": (code, secret, OTHER)}
                times: dict[str, list[float]] = {k: [] for k in paths}
                statuses: dict[str, set[int]] = {k: set() for k in paths}
                for _ in range(20):  # warm-up
                    for args in paths.values():
                        _lookup(c, srv.url, *args, header)
                for _ in range(rounds):
                    for name, args in paths.items():
                        ms, status = _lookup(c, srv.url, *args, header)
                        times[name].append(ms)
                        statuses[name].add(status)
            return times, statuses
        finally:
            srv.stop()


def _p90(v: list[float]) -> float:
    return statistics.quantiles(v, n=10)[-1] if len(v) >= 10 else float("nan")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.lookup")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3, help="server starts per checkout (median of their medians)")
    ap.add_argument("--baseline-root", type=Path, default=None)
    args = ap.parse_args(argv)
    trees = [("this tree", ROOT)] + ([("baseline", args.baseline_root)] if args.baseline_root else [])
    rows = []
    for label, root in trees:
        runs = [measure(root, args.rounds) for _ in range(args.runs)]
        for name in ("right secret", "wrong secret", "unknown code", "other department"):
            meds = [median(times[name]) for times, _ in runs]
            p90s = [_p90(times[name]) for times, _ in runs]
            status = "/".join(str(x) for x in sorted(set().union(*(st[name] for _, st in runs))))
            rows.append(f"| {label} | {name} | {status} | {median(meds):.2f} | {median(p90s):.2f} |")
            print(rows[-1], flush=True)
    body = (f"`GET /dossiers/{{code}}` over loopback HTTP, reference server in its own process on SQLite, one kiosk; "
            f"the four paths interleaved, {args.rounds} lookups each after 20 warm-ups, {args.runs} server starts "
            "(median of their medians). Goal (issue 13): unknown code, wrong secret and another department's "
            "dossier indistinguishable (same status, same work). Audit baseline: 4.9 ms unknown code vs 3.9 ms wrong "
            "secret.\n\n| server | path | status | median ms | p90 ms |\n|---|---|---:|---:|---:|\n" + "\n".join(rows))
    write_section("lookup", "Dossier lookup timing (issue 13, finding 8)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
