"""A full disk under the files folder: dossiers get 503 (the kiosk keeps them and retries), nothing half-written,
everything else goes on; once space is back, the same dossier goes through once.

Needs root to mount a small tmpfs (as the PostgreSQL tests need root for their cluster).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.testing import ServerThread, sample_pdf

from .conftest import TOKEN, make_meta

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def small_disk() -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(prefix="kiosk-small-disk-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)], capture_output=True)
    if r.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {r.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def _fill(folder: Path, leave: int) -> Path:
    st = os.statvfs(folder)
    ballast = folder / "ballast.bin"
    with ballast.open("wb") as f:
        f.write(bytes(max(0, st.f_bavail * st.f_frsize - leave)))
    return ballast


def test_a_full_files_disk_gives_503_then_the_same_dossier_goes_through_once(tmp_path: Path, small_disk: Path):
    with ServerThread(tmp_path, kiosks=[("KIOSK-01", TOKEN, "000.00.01.H22")]) as srv:
        srv.app.state.files.__init__(small_disk / "files")  # the files folder on the small disk
        ballast = _fill(small_disk, leave=20_000)
        pdf = sample_pdf(os.urandom(200_000))
        meta = make_meta(files=["a.pdf"]).model_dump_json()

        def send() -> httpx.Response:
            return httpx.post(f"{srv.url}/dossiers", data={"meta": meta}, files=[("files", ("a.pdf", pdf))],
                              headers={**AUTH, "Idempotency-Key": "disk-full-key-01"}, timeout=30)

        r = send()
        assert r.status_code == 503 and r.headers.get("retry-after"), r.text
        assert "storage" in r.json()["detail"]
        assert not [p for p in (small_disk / "files").rglob("*") if p.is_file() and p.name != "blobs.lock"]
        assert httpx.post(f"{srv.url}/tickets", json={"service": "A"}, headers=AUTH).status_code == 201
        ballast.unlink()
        first = send()
        assert first.status_code == 201, first.text
        again = send()
        assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
