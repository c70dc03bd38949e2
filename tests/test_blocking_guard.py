"""The blocking-call guard: marked functions are caught on the UI thread, never on workers."""

from __future__ import annotations

import threading

import pytest

from kiosk.base import blocking as guard


@guard.blocking
def _slow_disk_write() -> str:
    return "written"


@pytest.fixture
def ui_thread():
    guard.reset_violations()
    guard.set_ui_thread(threading.current_thread(), strict=True)
    yield
    guard.set_ui_thread(None, strict=False)
    guard.reset_violations()


def test_a_blocking_call_on_the_ui_thread_fails_in_strict_mode(ui_thread):
    with pytest.raises(guard.BlockingOnUIThread, match="_slow_disk_write"):
        _slow_disk_write()
    assert guard.violations() == [f"{__name__}._slow_disk_write"]


def test_the_same_call_on_a_worker_is_fine(ui_thread):
    out: list[str] = []
    worker = threading.Thread(target=lambda: out.append(_slow_disk_write()))
    worker.start()
    worker.join()
    assert out == ["written"] and guard.violations() == []


def test_without_strict_mode_the_call_runs_and_is_recorded(ui_thread):
    guard.set_ui_thread(threading.current_thread(), strict=False)
    assert _slow_disk_write() == "written"
    assert guard.violations() == [f"{__name__}._slow_disk_write"]


def test_no_ui_thread_named_means_no_checks():
    guard.set_ui_thread(None)
    guard.reset_violations()
    assert _slow_disk_write() == "written" and guard.violations() == []


def test_with_turns_only_the_code_between_frames_is_not_counted(ui_thread):
    """The UI tests' thread runs the test's own code between frames: only a frame's work counts."""
    guard.set_ui_thread(threading.current_thread(), strict=True, turns_only=True)
    try:
        assert _slow_disk_write() == "written"  # the test's own code
        with guard.ui_turn(), pytest.raises(guard.BlockingOnUIThread):
            _slow_disk_write()  # the same call inside a frame
    finally:
        guard.set_ui_thread(None, turns_only=False)


def test_wiping_a_visit_on_the_ui_thread_deletes_its_files_on_a_worker(ui_thread, tmp_path):
    """"Kết thúc" runs on the UI thread: the folder leaves at once, the delete runs elsewhere (strict: no raise)."""
    from kiosk.journeys.visit import Visit

    visit = Visit(_base_dir=tmp_path)
    folder = visit.workdir()
    for i in range(50):
        (folder / f"page-{i}.png").write_bytes(b"x" * 10_000)
    visit.wipe()
    assert not folder.exists()
    assert visit.wait_deleted()
    assert list(tmp_path.iterdir()) == []  # nothing left, not even the renamed folder
    assert guard.violations() == []
