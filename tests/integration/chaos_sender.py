"""A kiosk's outbox sender as its own process, for the chaos test to SIGKILL at random moments."""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.backend.client import BackendClient
from kiosk.backend.outbox import Outbox


def main(argv: list[str]) -> int:
    path, url, token, kiosk_id = argv
    client = BackendClient(url, token, kiosk_id, timeout_s=3, retries=0)
    Outbox(Path(path), client, backoff_s=0.05, max_backoff_s=0.5, poll_s=0.2).run_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
