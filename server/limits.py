"""Request bodies are bounded before the app reads a byte: by Content-Length, by credential, and while streaming.

A pure ASGI middleware in front of the app. FastAPI parses a request's body (spooling
multipart files to disk) before any dependency runs, so a token checked by a dependency
comes too late: an anonymous client could fill the disk. Here, for every request:

- on upload routes (the only ones allowed big bodies) the bearer token is checked first
  → ``401`` at once, nothing read (an anonymous client learns nothing, not even the caps);
- a ``Content-Length`` above the route's cap → ``413`` at once, nothing read;
- a body without a length (chunked) is counted as it arrives and cut off at the cap → ``413``;
- a path or query with control or format characters (``%00``, escapes, bidi marks) → ``400``.

Refusals close the connection, so a client does not go on sending the rest.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

from fastapi import HTTPException
from starlette.datastructures import Headers

from kiosk.api import unclean_char
from server.auth import bearer_token

Authenticate = Callable[[str], Awaitable[bool]]


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its cap (FastAPI re-raises HTTPExceptions)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes", headers={"Connection": "close"})


class TrackedSend:
    """An ASGI ``send`` that remembers whether the answer has started (after that, no error can be answered)."""

    def __init__(self, send: Any) -> None:
        self.send, self.started = send, False

    async def __call__(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


async def send_problem(send: Any, status: int, detail: str, extra: dict[str, str] | None = None,
                       close: bool = True) -> None:
    """A Problem answer straight from a middleware; ``close`` ends the connection (the body is not read)."""
    body = json.dumps({"detail": detail, "errors": []}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _unclean_url(scope: dict) -> bool:
    """No request has a reason to carry NUL, escapes or bidi marks in its path or query (PostgreSQL refuses NUL)."""
    query = unquote(scope.get("query_string", b"").decode("latin-1"), errors="replace")
    return unclean_char(scope.get("path", "")) is not None or unclean_char(query) is not None


class RequestLimits:
    """``uploads`` maps (method, path) of the routes that take big bodies to their cap; others get ``json_limit``."""

    def __init__(self, app: Any, *, json_limit: int, uploads: dict[tuple[str, str], int],
                 authenticate: Authenticate) -> None:
        self.app, self.json_limit, self.uploads, self.authenticate = app, json_limit, uploads, authenticate

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if _unclean_url(scope):
            return await send_problem(send, 400, "control or format characters in the URL")
        upload = self.uploads.get((scope["method"], scope["path"]))
        limit = upload if upload is not None else self.json_limit
        headers = Headers(scope=scope)
        if upload is not None and not await self.authenticate(bearer_token(headers.get("authorization"))):
            return await send_problem(send, 401, "invalid or missing token", {"WWW-Authenticate": "Bearer"})
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit() or len(length) > 18:
                return await send_problem(send, 400, "invalid Content-Length")
            if int(length) > limit:
                return await send_problem(send, 413, f"request body larger than {limit} bytes")
        received = 0
        tracked = TrackedSend(send)

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, limited_receive, tracked)
        except BodyTooLarge:  # raised where no handler turned it into an answer
            if tracked.started:
                raise
            await send_problem(send, 413, f"request body larger than {limit} bytes")
