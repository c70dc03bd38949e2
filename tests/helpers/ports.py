"""Loopback ports for tests, without the free-port race.

A port found free and closed again can be taken by anyone before it is used (another test run on
this machine, any outgoing connection), and then a "backend down" test talks to a stranger's server.
So a server the test runs itself binds port 0 and keeps its socket (``ServerThread``, the loopback
printer); "nobody answers here" is a :class:`ClosedPort` — bound by the test and never listened on, so
a connection is refused at once and nobody else can bind it meanwhile. Only a child process that must
be told its port in advance (PostgreSQL) gets :func:`free_port`, and retries when it lost the race.
"""

from __future__ import annotations

import socket


class ClosedPort:
    """A loopback port this test holds without listening: connecting to it is refused at once."""

    def __init__(self) -> None:
        # No SO_REUSEADDR: while this socket holds the port, no other socket can bind it.
        self._sock: socket.socket | None = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]

    @property
    def url(self) -> str:
        """A backend URL where nobody answers."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def tcp(self) -> str:
        """A printer URI where nobody answers."""
        return f"tcp://127.0.0.1:{self.port}"

    def release(self) -> int:
        """Let go of the port so a server can start on it now (the backend comes back); returns it."""
        self.close()
        return self.port

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> ClosedPort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def free_port() -> int:
    """A port free right now, for a child process that must be given one (retry if the child cannot bind it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
