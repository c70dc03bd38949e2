"""What makes a credential acceptable: kiosk tokens (≥ 32 random bytes) and officer passwords (scrypt).

Kiosk tokens are machine secrets: they must carry at least 256 bits, which we can check only by their
shape (length × bits per character of their alphabet, and no long runs of one character). The packaged
example token (``dev-kiosk-token``) is known to everyone who has the source; the server accepts it only
in ``make run``'s embedded mode on loopback. Officer passwords are human secrets: stored as scrypt with
OWASP's strongest listed parameters (N=2¹⁷, r=8, p=1: 128 MiB and about a second here), so a stolen
database does not give them away; the parameters are kept in each hash so they can be raised later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import string

EXAMPLE_TOKEN = "dev-kiosk-token"  # config/kiosk.toml's packaged value
TOKEN_BYTES = 32
MIN_TOKEN_BITS = 8 * TOKEN_BYTES
OFFICER_TOKEN_PREFIX = "mco_"  # officer sessions/bearers, so a kiosk token can never be one
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_SCRYPT_MAXMEM = 256 * 1024 * 1024

_HEX = set(string.hexdigits)
_B64URL = set(string.ascii_letters + string.digits + "-_")
_B64 = _B64URL | set("+/=")


class WeakCredential(ValueError):
    """A token or password the server will not accept; the message says why (never the value)."""


def new_token() -> str:
    """A kiosk token: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_bits(token: str) -> float:
    """An upper bound of the bits a token can hold, from its length and the alphabet it is drawn from."""
    chars = set(token)
    per_char = 4.0 if chars <= _HEX else 6.0 if chars <= _B64 else math.log2(94)
    return len(token) * per_char


def check_token(token: str) -> None:
    """Raise :class:`WeakCredential` unless ``token`` can carry ≥ 256 random bits."""
    if token == EXAMPLE_TOKEN:
        raise WeakCredential(f"the packaged example token {EXAMPLE_TOKEN!r} is public; make one with "
                             "`kiosk-server token add` (or python3 -c 'import secrets;print(secrets.token_urlsafe(32))')")
    if token.startswith(OFFICER_TOKEN_PREFIX):
        raise WeakCredential(f"kiosk tokens may not start with {OFFICER_TOKEN_PREFIX!r}")
    if not token.isascii() or not token.isprintable() or " " in token:
        raise WeakCredential("a token is printable ASCII without spaces")
    if token_bits(token) < MIN_TOKEN_BITS:
        raise WeakCredential(f"a token needs at least {TOKEN_BYTES} random bytes "
                             f"(e.g. 43 URL-safe base64 characters or 64 hex digits)")
    if len(set(token)) < min(12, len(token) // 4) or _longest_run(token) > 8:
        raise WeakCredential("this token does not look random")


def _longest_run(s: str) -> int:
    best = run = 0
    prev = ""
    for c in s:
        run = run + 1 if c == prev else 1
        prev = c
        best = max(best, run)
    return best


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakCredential(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakCredential(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if len(set(password)) < 5:
        raise WeakCredential("this password repeats too few characters")


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64). Lower ``n`` only in tests: the CLI always uses the default."""
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(dk)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against :func:`hash_password`'s output; False for a damaged hash."""
    try:
        algo, n, r, p, salt, want = stored.split("$")
        if algo != "scrypt":
            return False
        dk = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                            maxmem=_SCRYPT_MAXMEM, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(dk, base64.b64decode(want))


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
