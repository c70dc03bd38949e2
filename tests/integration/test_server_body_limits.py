"""A huge body is refused before it is written anywhere: size from Content-Length, the token first, chunked capped.

The audit sent 300 MB with a bad token: 293 MB were written to the server's temp dir before
the 401; with a good token, 194 MB before the 413. Here the same 300 MB bodies (generated
while they are sent) must be answered long before they end, with almost nothing on disk.
"""

from __future__ import annotations

import pytest

from server.testing import ServerThread

from .conftest import TOKEN, make_meta
from .rawhttp import TempBytesWatch, post_streamed

HUGE = 300 * 1024 * 1024
SMALL_ON_DISK = 2 * 1024 * 1024  # the fixture's caps are 500 KB per dossier: nothing near 300 MB may land
BOUNDARY = "kioskboundary7MA4YWxkTrZu0gW"


def _multipart() -> tuple[bytes, bytes, dict[str, str]]:
    meta = make_meta(files=["big.pdf"]).model_dump_json()
    prefix = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{meta}\r\n"
              f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n"
              f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    suffix = f"\r\n--{BOUNDARY}--\r\n".encode()
    return prefix, suffix, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                            "Idempotency-Key": "huge-body-key-0001"}


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("token", ["not-a-token-of-ours-at-all", TOKEN], ids=["bad-token", "good-token"])
def test_a_300_mb_dossier_is_refused_before_it_is_written(server: ServerThread, tmp_path, token: str, chunked: bool):
    prefix, suffix, headers = _multipart()
    headers["Authorization"] = f"Bearer {token}"
    port = int(server.url.split(":")[2].split("/")[0])
    with TempBytesWatch(server.settings.files_dir) as watch:
        answer = post_streamed(port, "/api/v1/dossiers", headers, prefix, HUGE, suffix, chunked=chunked)
    assert watch.grown < SMALL_ON_DISK, f"{watch.grown / 2**20:.1f} MB written to disk"
    expected = 401 if token != TOKEN else 413
    assert answer.status == expected, answer.head[:300]
    assert answer.sent < HUGE // 4, f"the server waited for {answer.sent / 2**20:.0f} MB before answering"
    assert not list((server.settings.files_dir / "tmp").iterdir())


def test_json_endpoints_refuse_a_huge_body_by_content_length(server: ServerThread):
    port = int(server.url.split(":")[2].split("/")[0])
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for path in ("/api/v1/tickets", "/api/v1/ratings", "/api/v1/kiosks/KIOSK-01/heartbeat"):
        answer = post_streamed(port, path, headers, b'{"service": "A", "x": "', HUGE, b'"}')
        assert answer.status == 413 and answer.sent < HUGE // 4, (path, answer.head[:200])
        answer = post_streamed(port, path, headers, b'{"service": "A", "x": "', HUGE, b'"}', chunked=True)
        assert answer.status == 413 and answer.sent < HUGE // 4, (path, answer.head[:200])
