"""The technician audit log rotates, and reading its tail never reads the whole file."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from kiosk.ops import audit
from kiosk.ops.technician import read_audit, write_audit


def test_read_audit_reads_only_the_tail_of_a_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    line = json.dumps({"ts": "2026-01-01T00:00:00+00:00", "event": "wrong_pin", "pad": "x" * 200}) + "\n"
    with path.open("w", encoding="utf-8") as f:
        for _ in range(100_000):  # ~23 MB, an audit log nobody rotated
            f.write(line)
        f.write(json.dumps({"event": "entry"}) + "\n")
    tracemalloc.start()
    try:
        entries = read_audit(path, limit=50)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(entries) == 50 and entries[-1] == {"event": "entry"}
    assert peak < 2_000_000  # reading the whole file needs more than 23 MB


def test_the_audit_log_rotates_and_keeps_a_few_generations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "AUDIT_MAX_BYTES", 20_000, raising=False)
    path = tmp_path / "audit.jsonl"
    for i in range(2_000):
        write_audit(path, "wrong_pin", n=i, pad="y" * 50)
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("audit.jsonl"))
    assert "audit.jsonl" in files and "audit.jsonl.1" in files
    assert all((tmp_path / name).stat().st_size < 25_000 for name in files if not name.endswith(".lock"))
    assert len([n for n in files if n[-1].isdigit()]) <= 5
    assert read_audit(path, limit=3)[-1]["n"] == 1_999  # the newest entries are in the live file
