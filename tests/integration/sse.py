"""A small server-sent-events reader over httpx (a thread per stream), for the live-feed tests."""

from __future__ import annotations

import json
import queue
import socket
import threading
import time

import httpx


class EventStream:
    """Reads ``url`` in a thread; :meth:`next_state` waits (by condition, with a deadline) for a state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.events: queue.Queue = queue.Queue()
        self.comments = 0
        self._stop = threading.Event()
        self._response: httpx.Response | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=60))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._client.stream("GET", self.url) as r:
                self._response = r
                data = []
                for line in r.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith(":"):
                        self.comments += 1
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
                    elif line == "" and data:
                        self.events.put(json.loads("\n".join(data)))
                        data = []
        except (httpx.HTTPError, ValueError):
            self.events.put(None)  # the stream ended

    def next_state(self, until=lambda m: True, timeout: float = 15.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching event in time")
            m = self.events.get(timeout=left)
            if m is None:
                raise AssertionError("stream ended")
            if until(m):
                return m

    def wait_for(self, condition, timeout: float = 15.0) -> None:
        """Wait until ``condition()`` holds (polled), e.g. a heartbeat comment was read."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("condition not met in time")
            time.sleep(0.02)

    def close(self) -> None:
        self._stop.set()
        if self._response is not None:  # shut the socket down: the reader wakes, the server sees the display leave
            sock = self._response.extensions["network_stream"].get_extra_info("socket")
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._client.close()
        self._thread.join(timeout=5)
