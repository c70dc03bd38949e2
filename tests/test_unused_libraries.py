"""``kiosk run`` keeps trio, anyio, click, rich and pygments out of its process, and the backend client
still talks to the real server without them (kiosk/base/unused_libraries.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from kiosk.cli import _command

CHILD = r"""
import json, sys
from kiosk.base.unused_libraries import UNUSED_IN_THE_APP, keep_out_unused_libraries
keep_out_unused_libraries()
from kiosk.backend.client import BackendClient
client = BackendClient(sys.argv[1], token="dev-kiosk-token", kiosk_id="KIOSK-01", retries=0)
ms = client.ping()
loaded = [m for m in UNUSED_IN_THE_APP if sys.modules.get(m) is not None]
print(json.dumps({"loaded": loaded, "ping_ms": ms}))
"""


def test_the_sub_command_is_found_after_the_global_config_option():
    assert _command(["--config", "site.toml", "run", "--orientation", "portrait"]) == "run"
    assert _command(["run"]) == "run"
    assert _command(["doctor", "--json"]) == "doctor"
    assert _command(["--version"]) is None


def test_the_backend_client_works_with_the_unused_libraries_kept_out(server):
    out = subprocess.run([sys.executable, "-c", CHILD, server.url], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert report["loaded"] == []
    assert report["ping_ms"] > 0
