"""Items the server refuses (4xx) are marked rejected, not retried for ever, and the technician sees them:
``kiosk doctor`` / the dashboard count them apart from what is merely waiting, and list them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kiosk import api
from kiosk.backend.client import BackendClient
from kiosk.backend.outbox import Outbox
from kiosk.ops.doctor import run_checks
from server.testing import ServerThread

TOKEN = "token-for-outbox-rejected-tests"
UNIT = "000.00.01.H22"


def _dossier() -> api.DossierIn:
    return api.DossierIn(receiving_unit_id=UNIT, kiosk_id="KIOSK-01", procedure_code="2.000815",
                         procedure_name="Chứng thực bản sao từ bản chính",
                         applicant=api.Applicant(full_name="Trần Thị Bình"), rule=api.ProcessingRule(),
                         documents=[api.DocumentIn(key="ban_chinh", name="Bản chính", files=["scan.pdf"])])


def _outbox_with_one_rejected_and_one_waiting(tmp_path: Path, kiosk_config) -> Outbox:  # type: ignore[no-untyped-def]
    path = kiosk_config.data_path("outbox", "outbox.db")
    with ServerThread(tmp_path / "srv", kiosks=[("KIOSK-01", TOKEN, UNIT)]) as srv:
        client = BackendClient(srv.url, TOKEN, "KIOSK-01", retries=0)
        box = Outbox(path, client)
        bad = tmp_path / "scan.pdf"
        bad.write_bytes(b"GIF89a not a pdf")  # the server answers 415
        box.submit_dossier(_dossier(), [bad], wait_s=5)
        client.close()
    box = Outbox(path)
    box.submit_rating(api.RatingIn(level="satisfied", at=datetime.now(timezone.utc)))
    return box


def test_a_4xx_marks_the_item_rejected_and_it_is_not_sent_again(tmp_path: Path, kiosk_config) -> None:
    box = _outbox_with_one_rejected_and_one_waiting(tmp_path, kiosk_config)
    states = sorted(i.state for i in box.pending())
    assert states == ["pending", "rejected"]
    rejected = next(i for i in box.pending() if i.state == "rejected")
    assert rejected.attempts == 0 and rejected.next_attempt_at == 0  # no backoff, no retry scheduled


def test_doctor_counts_rejected_items_apart_and_lists_them(tmp_path: Path, kiosk_config) -> None:
    _outbox_with_one_rejected_and_one_waiting(tmp_path, kiosk_config)
    check = run_checks(kiosk_config, only=["outbox"]).checks[0]
    assert check.state == "red"  # nothing will send it: someone must look
    assert "1 refused by the server" in check.reason and "1 waiting" in check.reason
    assert check.details["pending"] == 1 and check.details["rejected"] == 1
    [item] = check.details["rejected_items"]
    assert item["kind"] == "dossier" and "415" in item["error"] and item["summary"] == "2.000815"
    assert "Bình" not in str(check.details)  # no personal data on the dashboard or in heartbeats
