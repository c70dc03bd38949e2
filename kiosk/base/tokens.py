"""How strong a kiosk's backend token must be — one rule for the kiosk and (if it wants) the server.

A bearer token is the kiosk's only credential: anyone holding it issues tickets and files dossiers in
the kiosk's name. It must carry at least 32 random bytes — 43 characters of ``secrets.token_urlsafe(32)``
— and never be the example token the package ships for ``make run``. On loopback (the embedded server of
``make run``, a server on the same machine) the example token is fine: nothing crosses the network.

Pure: standard library only, no kiosk imports, so ``server/`` can share it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

EXAMPLE_TOKENS = frozenset({"dev-kiosk-token"})
MIN_TOKEN_CHARS = 43  # len(secrets.token_urlsafe(32))
MIN_DISTINCT_CHARS = 10  # "aaaa…" is long but not random
HOW_TO_MAKE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


def is_loopback(url: str) -> bool:
    """True for http(s)://127.x / ::1 / localhost — traffic that never leaves the machine."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_problem(token: str) -> str | None:
    """Why ``token`` is too weak for a backend across the network (never quoting it), or None."""
    if token in EXAMPLE_TOKENS:
        return "is the packaged example token"
    if len(token) < MIN_TOKEN_CHARS:
        return f"is shorter than {MIN_TOKEN_CHARS} characters (32 random bytes)"
    if len(set(token)) < MIN_DISTINCT_CHARS:
        return "is not random"
    return None


def backend_token_problem(url: str, token: str) -> str | None:
    """A one-line reason a technician can act on, or None when ``token`` is acceptable for ``url``."""
    if is_loopback(url):
        return None
    problem = token_problem(token)
    if problem is None:
        return None
    return f"[backend] token {problem}; make one with: {HOW_TO_MAKE}"
