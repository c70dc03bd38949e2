"""httpx client of the one-stop backend (``/api/v1``, docs/API.md).

Two kinds of failure, because the kiosk reacts differently to each:
:class:`BackendUnavailable` (network down, timeout, TLS failure, 5xx/429 after
retries) — keep the work and try later; :class:`BackendRejected` (other 4xx) —
the server will never accept this request as it is, so retrying is pointless.

Retries use exponential backoff with full jitter, only on retryable failures,
and every POST that creates something carries an ``Idempotency-Key`` so a retry
after a lost answer cannot create a second ticket, dossier or rating.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import random
import ssl
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from kiosk.base.blocking import blocking
from kiosk import __version__, api
from kiosk.base.config_schema import KioskConfig

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class BackendError(Exception):
    """Base of the client's errors."""


class BackendUnavailable(BackendError):
    """The backend could not be reached or kept failing (network, timeout, TLS, 5xx)."""


class BackendRejected(BackendError):
    """The backend refused the request (4xx); ``status`` and ``detail`` say why."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail
        self.errors = errors or []


def _verify(verify: bool, ca_file: str | Path | None) -> ssl.SSLContext | bool:
    """TLS verification on by default; a CA file (e.g. a department's own CA) replaces the system store."""
    if not verify:
        return False
    if ca_file:
        return ssl.create_default_context(cafile=str(ca_file))
    return True


class BackendClient:
    """One kiosk's connection to the backend. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        kiosk_id: str,
        timeout_s: float = 10.0,
        ca_file: str | Path | None = None,
        verify: bool = True,
        *,
        retries: int = 2,
        backoff_s: float = 0.2,
        max_backoff_s: float = 3.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.retries = max(0, retries)
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            verify=_verify(verify, ca_file),
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": f"motcua-kiosk/{__version__} (kiosk {kiosk_id})",
                "Accept": "application/json",
            },
        )

    @classmethod
    def from_config(cls, config: KioskConfig, *, retries: int = 2, max_timeout_s: float | None = None) -> BackendClient:
        """The client ``[backend]`` describes — the one way the kiosk makes one (app, CLI, doctor, technician)."""
        b = config.backend
        timeout = b.timeout_s if max_timeout_s is None else min(b.timeout_s, max_timeout_s)
        return cls(
            b.url, b.token, config.kiosk.id, timeout_s=timeout,
            ca_file=str(config.path(b.ca_file)) if b.ca_file else None, verify=b.verify_tls, retries=retries,
        )

    # ------------------------------------------------------------ plumbing

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sleep_before(self, attempt: int) -> None:
        """Full jitter: a random pause in [0, min(max, base·2^attempt)] so kiosks do not retry in step."""
        time.sleep(random.uniform(0, min(self.max_backoff_s, self.backoff_s * (2**attempt))))

    @blocking
    def _request(self, method: str, path: str, *, retries: int | None = None, **kwargs: Any) -> httpx.Response:
        """Send with retries on network errors, timeouts and 429/5xx; raise the right error otherwise."""
        retries = self.retries if retries is None else retries
        last: str = ""
        for attempt in range(retries + 1):
            if attempt:
                self._sleep_before(attempt - 1)
                for f in kwargs.get("files") or []:  # re-read uploads from the start
                    f[1][1].seek(0)
            try:
                r = self._http.request(method, path, **kwargs)
            except httpx.TransportError as e:  # connect, read/write timeout, TLS, protocol
                last = f"{type(e).__name__}: {e}"
                log.info("backend %s %s failed (attempt %d): %s", method, path, attempt + 1, last)
                continue
            if r.status_code in RETRY_STATUSES:
                last = f"HTTP {r.status_code}"
                log.info("backend %s %s: HTTP %d (attempt %d)", method, path, r.status_code, attempt + 1)
                continue
            if r.status_code >= 400:
                raise _rejected(r)
            return r
        raise BackendUnavailable(f"{method} {path}: {last}")

    def _json(self, method: str, path: str, model: type[BaseModel] | None = None, **kwargs: Any) -> Any:
        r = self._request(method, path, **kwargs)
        if r.status_code == 204 or not r.content:
            return None
        try:
            data = r.json()
        except ValueError:
            raise BackendUnavailable(f"{method} {path}: answer is not JSON") from None
        if model is None:
            return data
        try:
            return model.model_validate(data)
        except ValidationError as e:  # a server speaking another contract: not worth retrying now
            raise BackendUnavailable(f"{method} {path}: unexpected answer: {e.error_count()} field error(s)") from None

    # ------------------------------------------------------------ API

    def health(self) -> api.Health:
        return self._json("GET", "/health", api.Health, retries=0)

    def ping(self) -> float:
        """Round trip of ``GET /health`` in milliseconds (raises BackendUnavailable)."""
        t0 = time.perf_counter()
        self._request("GET", "/health", retries=0)
        return (time.perf_counter() - t0) * 1000.0

    def procedures(self) -> api.ProceduresOut:
        return self._json("GET", "/procedures", api.ProceduresOut)

    def issue_ticket(
        self, service: str, priority: str | None = None, *, seq: int | None = None, issued_at: Any = None
    ) -> api.TicketOut:
        """Number a ticket on the server (or, with ``seq``, register one numbered from this kiosk's block)."""
        body = api.TicketIn(service=service, priority=priority, seq=seq, issued_at=issued_at)
        return self._json(
            "POST", "/tickets", api.TicketOut,
            json=body.model_dump(mode="json", exclude_none=True),
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )

    def reserve_ticket_block(self, service: str, size: int) -> api.TicketBlock:
        body = api.TicketBlockIn(service=service, size=size)
        return self._json(
            "POST", "/tickets/blocks", api.TicketBlock,
            json=body.model_dump(mode="json"),
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )

    def call_next(self, counter: int, services: Sequence[str]) -> api.TicketOut | None:
        """The next ticket for ``counter``, or None when nobody waits — an officer's call: use this client
        with an officer's bearer (``POST /auth/login`` with ``"bearer": true``), a kiosk token gets 401."""
        body = api.CounterNextIn(services=list(services))
        return self._json("POST", f"/counters/{counter}/next", api.TicketOut, json=body.model_dump(mode="json"))

    def submit_dossier(
        self, meta: api.DossierIn | str, files: Sequence[Path | str], idempotency_key: str
    ) -> api.DossierReceipt:
        """Multipart upload: ``meta`` JSON + ``files``. Same key, same body → the same receipt, never a second dossier.

        ``meta`` may be the JSON text already made (the outbox sends what it stored, unchanged)."""
        handles = []
        try:
            parts = []
            for f in files:
                p = Path(f)
                fh = p.open("rb")
                handles.append(fh)
                ctype = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
                parts.append(("files", (p.name, fh, ctype)))
            return self._json(
                "POST", "/dossiers", api.DossierReceipt,
                data={"meta": meta if isinstance(meta, str) else meta.model_dump_json()},
                files=parts,
                headers={"Idempotency-Key": idempotency_key},
            )
        finally:
            for fh in handles:
                fh.close()

    def dossier_status(self, code: str, secret: str) -> api.DossierStatus:
        """Status of a dossier; a wrong code or secret is a BackendRejected(404), too many guesses a 429.

        The secret goes in a header, never the query string (which access logs and proxies keep).
        """
        return self._json("GET", f"/dossiers/{code}", api.DossierStatus, headers={"Dossier-Secret": secret})

    def post_rating(self, rating: api.RatingIn, idempotency_key: str) -> api.RatingAck:
        return self._json(
            "POST", "/ratings", api.RatingAck,
            content=rating.model_dump_json(), headers={"Idempotency-Key": idempotency_key,
                                                       "Content-Type": "application/json"},
        )

    def heartbeat(self, kiosk_id: str, status: dict[str, Any]) -> api.HeartbeatAck:
        body = api.HeartbeatIn(status=status)
        return self._json("POST", f"/kiosks/{kiosk_id}/heartbeat", api.HeartbeatAck,
                          content=json.dumps(body.model_dump(mode="json"), default=str),
                          headers={"Content-Type": "application/json"}, retries=0)


def _rejected(r: httpx.Response) -> BackendRejected:
    detail, errors = r.reason_phrase or "rejected", []
    try:
        body = r.json()
        if isinstance(body, dict):
            d = body.get("detail", detail)
            if isinstance(d, list):  # FastAPI's own validation format
                errors, detail = d, "validation error"
            else:
                detail = str(d)
            errors = body.get("errors", errors) or errors
    except ValueError:
        pass
    return BackendRejected(r.status_code, detail, errors)


@blocking
def ping_backend(config: KioskConfig) -> float:
    """Milliseconds for one round trip to the configured backend (the technician's "test connection").

    Raises :class:`BackendUnavailable` or :class:`BackendRejected` with the reason to show.
    """
    with BackendClient.from_config(config, retries=0, max_timeout_s=5.0) as client:
        return client.ping()
