"""The technician dashboard shows what the server refused: a count apart from what is waiting, and the list."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiosk import api
from kiosk.backend.client import BackendClient
from kiosk.backend.outbox import Outbox
from server.testing import ServerThread

pytestmark = pytest.mark.ui

TOKEN = "token-for-dashboard-outbox"
UNIT = "000.00.01.H22"


def test_dashboard_lists_items_the_server_refused(make_driver, kiosk_config, tmp_path, artifacts):
    path = kiosk_config.data_path("outbox", "outbox.db")
    with ServerThread(tmp_path / "srv", kiosks=[("KIOSK-01", TOKEN, UNIT)]) as srv:
        client = BackendClient(srv.url, TOKEN, "KIOSK-01", retries=0)
        bad = tmp_path / "scan.pdf"
        bad.write_bytes(b"GIF89a not a pdf")
        meta = api.DossierIn(receiving_unit_id=UNIT, kiosk_id="KIOSK-01", procedure_code="2.000815",
                             procedure_name="Chứng thực bản sao từ bản chính",
                             applicant=api.Applicant(full_name="Trần Thị Bình"), rule=api.ProcessingRule(),
                             documents=[api.DocumentIn(key="ban_chinh", name="Bản chính", files=["scan.pdf"])])
        Outbox(path, client).submit_dossier(meta, [bad], wait_s=5)
        client.close()
    Outbox(path).submit_rating(api.RatingIn(level="satisfied", at=datetime.now(timezone.utc)))
    kiosk_config.camera.uri = kiosk_config.camera.document_uri = "none:"
    d = make_driver(config=kiosk_config)
    d.app.go("tech_dashboard")
    d.wait_screen("tech_dashboard")
    screen = d.app.screen("tech_dashboard")
    d.wait_for(lambda: not screen.checking and screen.checks, timeout=30, what="checks")
    d.pump(0.3)
    assert screen.rejected_text == d.app.tr("outbox.rejected_count", n=1)
    rows = d.find("rejected_rows").children
    assert len(rows) == 1
    text = rows[0].text
    assert "415" in text and "2.000815" in text and "Bình" not in text
    d.screenshot(artifacts / "tech_dashboard_rejected.png")
