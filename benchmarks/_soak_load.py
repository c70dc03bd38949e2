"""The soak's traffic: kiosks (tickets, heartbeats, dossiers with PDFs, ratings, lookups) and counters calling.

Each kiosk is a thread with its own HTTP client and a small outbox of its own: a dossier or a
rating is kept, with one Idempotency-Key for its whole life, until the server acknowledges it
(retried after network errors, 429 and 5xx with backoff and jitter, as the kiosk's outbox
does); a 4xx other than 429 marks it rejected. Everything is timed and counted in :class:`Stats`.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx

from kiosk import api
from server.testing import counter_call, sample_pdf

REQUEST_TIMEOUT_S = 30.0
STALL_S = 5.0  # an answer slower than this is a stall


class Stats:
    """Latencies and outcomes by kind of request, shared by every worker thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[tuple[float, float]]] = defaultdict(list)  # kind → (when, ms)
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.longest = (0.0, "")
        self.tickets: dict[str, str] = {}  # idempotency key → number received
        self.called: Counter[tuple[str, str]] = Counter()  # (day, number) → times called

    def timed(self, kind: str, call: Any) -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            r = call()
            outcome = str(r.status_code)
        except httpx.TimeoutException:
            r, outcome = None, "timeout"
        except httpx.HTTPError as e:
            r, outcome = None, f"network:{type(e).__name__}"
        ms = (time.perf_counter() - t0) * 1000
        with self.lock:
            self.outcomes[(kind, outcome)] += 1
            if r is not None:
                self.latency[kind].append((time.monotonic(), ms))
            if ms > self.longest[0]:
                self.longest = (ms, f"{kind} → {outcome}")
        return r

    def summary(self, quiet: list[tuple[float, float]] = ()) -> dict[str, Any]:
        """Figures of every answer, and ``steady_*`` of the answers outside the ``quiet`` windows (restarts)."""
        with self.lock:
            every = [ms for values in self.latency.values() for _t, ms in values]
            steady = [ms for values in self.latency.values() for t, ms in values
                      if not any(a <= t <= b for a, b in quiet)]
            by_kind = {k: (len(v), _pct([ms for _t, ms in v], 50), _pct([ms for _t, ms in v], 99))
                       for k, v in sorted(self.latency.items())}
            outcomes = dict(self.outcomes)
        return {"answered": len(every), "p50": _pct(every, 50), "p99": _pct(every, 99), "by_kind": by_kind,
                "steady_n": len(steady), "steady_p50": _pct(steady, 50), "steady_p99": _pct(steady, 99),
                "outcomes": outcomes, "longest_ms": self.longest[0], "longest_what": self.longest[1],
                "stalls": sum(1 for v in every if v > STALL_S * 1000)
                + sum(n for (_, o), n in outcomes.items() if o == "timeout")}


def _pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) < 100:
        return statistics.median(values) if q == 50 else max(values)
    return statistics.quantiles(values, n=100)[q - 1]


@dataclass
class Pending:
    """A dossier or rating the kiosk holds until the server acknowledges it."""

    kind: str
    key: str
    marker: int
    payload: Any
    due: float = 0.0
    tries: int = 0


@dataclass
class KioskState:
    kiosk_id: str
    token: str
    unit: str
    pending: list[Pending] = field(default_factory=list)
    acked: dict[str, dict[str, Any]] = field(default_factory=dict)  # key → receipt (dossiers) or ack
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    submitted: int = 0


class Traffic:
    """Starts the kiosk and counter threads; :meth:`stop` ends them, :meth:`drain` waits for the outboxes."""

    def __init__(self, url: str, kiosks: list[tuple[str, str, str]], counters: int, rates: dict[str, float],
                 seed: int = 7, counter_credentials: list[str] | None = None, secret_in_header: bool = True) -> None:
        """``counter_credentials``: one officer bearer per counter (else the kiosks' tokens, for an old server);
        ``secret_in_header``: the lookup secret as ``Dossier-Secret`` (False: the old query parameter)."""
        self.url, self.rates = url, rates
        self.counter_credentials = counter_credentials or [t for _k, t, _u in kiosks]
        self.secret_in_header = secret_in_header
        self.stats = Stats()
        self.kiosks = [KioskState(k, t, u) for k, t, u in kiosks]
        self.counters = counters
        self.stop_event, self.draining = threading.Event(), threading.Event()
        self.rng = random.Random(seed)
        self.markers = iter(range(1, 10**9))
        self.marker_lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def _marker(self) -> int:
        with self.marker_lock:
            return next(self.markers)

    # ------------------------------------------------------------------ kiosk

    def _send(self, http: httpx.Client, k: KioskState, item: Pending) -> None:
        headers = {"Idempotency-Key": item.key}
        if item.kind == "dossier":
            meta, files = item.payload
            r = self.stats.timed("dossier", lambda: http.post(
                f"{self.url}/dossiers", data={"meta": meta}, headers=headers,
                files=[("files", (name, content, "application/pdf")) for name, content in files]))
        else:
            r = self.stats.timed("rating", lambda: http.post(f"{self.url}/ratings", content=item.payload,
                                                             headers={**headers, "Content-Type": "application/json"}))
        item.tries += 1
        if r is not None and r.status_code in (200, 201):
            k.acked[item.key] = {"marker": item.marker, "kind": item.kind, **r.json()}
            k.pending.remove(item)
        elif r is None or r.status_code == 429 or r.status_code >= 500:
            retry_after = float(r.headers.get("retry-after", 0)) if r is not None else 0.0
            backoff = min(30.0, 0.5 * 2 ** min(item.tries, 6))
            item.due = time.monotonic() + min(30.0, max(retry_after, backoff)) * self.rng.uniform(0.5, 1.0)
        else:
            k.rejected.append((item.kind, r.status_code, r.text[:200]))
            k.pending.remove(item)

    def _new_dossier(self, k: KioskState) -> Pending:
        marker = self._marker()
        files = [(f"trang-{j}.pdf", sample_pdf(random.randbytes(self.rng.randint(30_000, 150_000))))
                 for j in range(self.rng.choice((1, 1, 2)))]
        meta = api.DossierIn(
            receiving_unit_id=k.unit, kiosk_id=k.kiosk_id, procedure_code="1.001193",
            procedure_name="Đăng ký khai sinh", applicant=api.Applicant(full_name="Nguyễn Văn An"),
            rule=api.ProcessingRule(working_days=3), form={"soak_marker": marker},
            documents=[api.DocumentIn(key="to_khai", name="Tờ khai", files=[n for n, _ in files])],
        ).model_dump_json()
        return Pending("dossier", uuid.uuid4().hex, marker, (meta, files))

    def _new_rating(self) -> Pending:
        level = self.rng.choice(["very_satisfied", "satisfied", "satisfied", "neutral", "unsatisfied"])
        body = api.RatingIn(level=level, reasons=["wait"] if level == "unsatisfied" else [],
                            at=api_now()).model_dump_json()
        return Pending("rating", uuid.uuid4().hex, self._marker(), body)

    def _ticket(self, http: httpx.Client, k: KioskState) -> None:
        key = uuid.uuid4().hex
        for _ in range(2):  # a lost answer is asked again with the same key: the same ticket comes back
            r = self.stats.timed("ticket", lambda: http.post(f"{self.url}/tickets", json={"service": "AB"[hash(key) % 2]},
                                                             headers={"Idempotency-Key": key}))
            if r is not None and r.status_code in (200, 201):
                with self.stats.lock:
                    self.stats.tickets[key] = f"{r.json()['day']}:{r.json()['number']}"
                return

    def _lookup(self, http: httpx.Client, k: KioskState) -> None:
        receipts = [a for a in k.acked.values() if a["kind"] == "dossier"]
        if not receipts:
            return
        a = self.rng.choice(receipts)
        secret = a["secret"] if self.rng.random() < 0.8 else "WRONG2345"
        url = f"{self.url}/dossiers/{a['code']}"
        r = self.stats.timed("lookup", lambda: http.get(url, headers={"Dossier-Secret": secret})
                             if self.secret_in_header else http.get(url, params={"secret": secret}))
        if r is not None and r.status_code not in ((200,) if secret == a["secret"] else (404, 429)):
            k.rejected.append(("lookup", r.status_code, r.text[:200]))

    def _kiosk(self, k: KioskState) -> None:
        rates = self.rates
        next_at = {name: time.monotonic() + self.rng.uniform(0, every) for name, every in rates.items()}
        with httpx.Client(timeout=REQUEST_TIMEOUT_S, headers={"Authorization": f"Bearer {k.token}"}) as http:
            while not (self.stop_event.is_set() or (self.draining.is_set() and not k.pending)):
                now = time.monotonic()
                if not self.draining.is_set():
                    if now >= next_at["ticket"]:
                        self._ticket(http, k)
                    if now >= next_at["heartbeat"]:
                        self.stats.timed("heartbeat", lambda: http.post(
                            f"{self.url}/kiosks/{k.kiosk_id}/heartbeat", json={"status": {"overall": "green"}}))
                    if now >= next_at["dossier"]:
                        k.pending.append(self._new_dossier(k))
                        k.submitted += 1
                    if now >= next_at["rating"]:
                        k.pending.append(self._new_rating())
                        k.submitted += 1
                    if now >= next_at["lookup"]:
                        self._lookup(http, k)
                    for name, at in next_at.items():
                        if now >= at:
                            next_at[name] = now + rates[name] * self.rng.uniform(0.5, 1.5)
                for item in [p for p in k.pending if p.due <= time.monotonic()][:4]:
                    self._send(http, k, item)
                self.stop_event.wait(0.05)

    # ------------------------------------------------------------------ counter

    def _counter(self, n: int) -> None:
        credential = self.counter_credentials[n % len(self.counter_credentials)]
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            while not (self.stop_event.is_set() or self.draining.is_set()):
                r = self.stats.timed("counter", lambda: counter_call(http, self.url, n + 1, ["A", "B"], credential))
                if r is not None and r.status_code == 200:
                    t = r.json()
                    with self.stats.lock:
                        self.stats.called[(t["day"], t["number"])] += 1
                self.stop_event.wait(self.rates["counter"] * self.rng.uniform(0.5, 1.5))

    def start(self) -> None:
        self.threads = [threading.Thread(target=self._kiosk, args=(k,), daemon=True) for k in self.kiosks]
        self.threads += [threading.Thread(target=self._counter, args=(n,), daemon=True) for n in range(self.counters)]
        for t in self.threads:
            t.start()

    def drain(self, timeout_s: float) -> None:
        """Stop making new work; wait until every kiosk's outbox is empty (or ``timeout_s``)."""
        self.draining.set()
        deadline = time.monotonic() + timeout_s
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        self.stop_event.set()
        for t in self.threads:
            t.join(REQUEST_TIMEOUT_S + 5)


def api_now() -> Any:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
