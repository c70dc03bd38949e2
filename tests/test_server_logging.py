"""The server's logs hold no personal data and stay bounded: masking filter, rotation, hidden SQL parameters.

Audit: SQLAlchemy logged bound values (names, numbers) when a statement failed; the server had
no masking filter; its log was never rotated.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from kiosk import api
from server.db import make_engine
from server.main import main as server_main

NAME, NUMBER = "Nguyễn Văn An", "036089001234"
LEAKS = [
    f"citizen {NUMBER} came",
    "old id 123456789 here",
    "spaced 036 089 001 234 and dotted 036.089.001.234",
    "phone-style 0912 345 678 9",
    f"{{'full_name': '{NAME}', 'address': 'Xóm 2, Hải Vân', 'id_number': '{NUMBER}'}}",
    f'{{"full_name": "{NAME}", "phone": "0912345678"}}',
]


@pytest.fixture
def server_log(tmp_path: Path):
    """The server's logging set up as `kiosk-server --log-file` does, restored afterwards."""
    from server.logs import configure

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    log_file = tmp_path / "log" / "server.log"
    configure(log_file, "INFO", max_bytes=20_000, backups=3)
    yield log_file
    for h in root.handlers[:]:
        if h not in saved[0]:
            root.removeHandler(h)
            h.close()
    root.setLevel(saved[1])


def test_personal_data_is_masked_in_messages_arguments_and_tracebacks(server_log: Path):
    log = logging.getLogger("server.test")
    for line in LEAKS:
        log.warning(line)
        log.warning("as an argument: %s", line)
    try:
        api.Applicant(full_name=NAME + "\x00", id_number=NUMBER + "9")
    except ValidationError as e:
        log.error("validation failed: %s", e)
        log.exception("with traceback")
    for h in logging.getLogger().handlers:
        h.flush()
    written = server_log.read_text(encoding="utf-8")
    assert "validation failed" in written and "with traceback" in written and "Traceback" in written
    for secret in (NUMBER, "123456789", "036 089 001 234", "036.089.001.234", "0912 345 678 9", "0912345678",
                   NAME, "Xóm 2, Hải Vân"):
        assert secret not in written, secret
    assert "*********234" in written  # the last three digits stay, to tell records apart


def test_the_server_log_rotates(server_log: Path):
    log = logging.getLogger("server.test")
    for i in range(3000):
        log.warning("line %d of a long day at the department", i)
    files = sorted(server_log.parent.glob("server.log*"))
    assert len(files) == 4  # the log and 3 backups, no more
    assert all(f.stat().st_size <= 21_000 for f in files)


def test_failed_statements_never_carry_bound_values(tmp_path: Path):
    for url in (f"sqlite:///{tmp_path / 'x.db'}",):
        engine = make_engine(url)
        with pytest.raises(Exception) as e, engine.connect() as c:
            c.execute(text("SELECT :who FROM no_such_table"), {"who": f"{NAME} {NUMBER}"})
        assert NUMBER not in str(e.value) and NAME not in str(e.value)
        engine.dispose()


def test_kiosk_server_takes_a_rotating_log_file(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KIOSK_SERVER_TOKEN", "a-long-enough-token-for-this-test-0123456789")
    log_file = tmp_path / "log" / "server.log"
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert server_main(["--db", db, "--kiosk", "K1", "--add-only", "--log-file", str(log_file),
                        "--log-max-mb", "1", "--log-backups", "2", "--log-level", "info"]) == 0
    root = logging.getLogger()
    handlers = [h for h in root.handlers if getattr(h, "baseFilename", "") == str(log_file)]
    assert handlers and handlers[0].maxBytes == 1024 * 1024 and handlers[0].backupCount == 2
    for h in handlers:
        root.removeHandler(h)
        h.close()
