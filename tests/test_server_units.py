"""Pieces of the reference server that need no HTTP: migrations, tokens, codes, file checks, appointments."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.orm import sessionmaker

from kiosk import api
from server import codes
from server.appointments import appointment
from server.auth import hash_token, seed_kiosk
from server.db import make_engine, migrate, session_scope
from server.filecheck import FileRejected, clean_name, sniff
from server.main import main as server_main

VN = ZoneInfo("Asia/Ho_Chi_Minh")
STRONG_TOKEN = "Zq3vXo0dYk8G5bNfT2wHj7LmRcP1sUaE9yKiV4xQ6_-"  # 32 bytes of base64url


def test_schema_is_migrated_at_start_and_again_is_a_no_op(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"dossiers", "dossier_files", "tickets", "ticket_blocks", "ratings", "kiosks", "alembic_version"} <= tables
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from server.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head >= "0003"  # users, officer sessions, token revocation (issue 13)
    assert {"users", "officer_sessions", "auth_revision"} <= tables
    with engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head


def test_tokens_are_stored_hashed_only(tmp_path: Path):
    db = tmp_path / "s.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    with session_scope(sessionmaker(engine)) as s:
        seed_kiosk(s, "KIOSK-01", STRONG_TOKEN, "000.00.01.H22", "Bộ phận Một cửa")
    with engine.connect() as c:
        stored = c.execute(text("SELECT token_hash FROM kiosks")).scalar_one()
    engine.dispose()
    assert stored == hash_token(STRONG_TOKEN)
    for f in tmp_path.glob("s.db*"):  # the database and its WAL
        assert STRONG_TOKEN.encode() not in f.read_bytes()


def test_dossier_code_and_secret_formats():
    code = codes.dossier_code("000.00.01.H22", date(2025, 7, 15), 7)
    assert code == "000.00.01.H22-250715-0007" and api.DOSSIER_CODE_RE.match(code)
    secrets = {codes.new_secret() for _ in range(200)}
    assert len(secrets) > 190 and all(len(s) == api.SECRET_LENGTH == 9 and set(s) <= set(api.SECRET_ALPHABET) for s in secrets)
    assert not set("0O1IL") & set(api.SECRET_ALPHABET)


def test_file_types_are_told_by_content_and_names_are_made_safe():
    assert sniff(b"%PDF-1.7 ...") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff(b"GIF89a") is None and sniff(b"<html>") is None and sniff(b"") is None
    assert clean_name("../../etc/passwd", "f") == "passwd"
    assert clean_name("C:\\Users\\a\\Tờ khai.pdf", "f") == "Tờ khai.pdf"
    assert clean_name("", "f") == clean_name(" . ", "f") == "file"
    for bad in ("\x00\x1f", "a\u202efdp.exe", "a\u200b.pdf", "x" * 201):
        with pytest.raises(FileRejected) as e:
            clean_name(bad, "files[3]")
        assert (e.value.status, e.value.field) == (422, "files[3]")


def _meta(rule: api.ProcessingRule) -> api.DossierIn:
    return api.DossierIn(receiving_unit_id="000.00.01.H22", kiosk_id="K", procedure_code="1.001193",
                         procedure_name="Đăng ký khai sinh", applicant=api.Applicant(full_name="A"), rule=rule)


def test_appointment_comes_from_kiosk_workdays():
    from kiosk.declarations import workdays
    received = datetime(2026, 3, 6, 16, 0, tzinfo=VN)  # a Friday, after the 15:00 cut-off
    for rule in (api.ProcessingRule(), api.ProcessingRule(working_days=3)):
        assert appointment(received, _meta(rule)) == workdays.appointment(received, rule)
    assert appointment(received, _meta(api.ProcessingRule())).date() == date(2026, 3, 9)


def test_kiosk_server_add_only_seeds_a_kiosk_and_refuses_short_tokens(tmp_path: Path, monkeypatch):
    db = f"sqlite:///{tmp_path / 's.db'}"
    monkeypatch.setenv("KIOSK_SERVER_TOKEN", STRONG_TOKEN)
    assert server_main(["--db", db, "--kiosk", "KIOSK-05", "--unit", "000.00.09.H22", "--add-only"]) == 0
    engine = make_engine(db)
    with engine.connect() as c:
        assert c.execute(text("SELECT id FROM kiosks")).scalar_one() == "KIOSK-05"
    engine.dispose()
    for weak in ("short", "long-enough-token", "dev-kiosk-token"):
        monkeypatch.setenv("KIOSK_SERVER_TOKEN", weak)
        assert server_main(["--db", db, "--kiosk", "KIOSK-06", "--add-only"]) == 2


def test_uploads_left_by_a_crashed_server_are_swept_at_start(tmp_path: Path):
    import os
    import time

    from server.filestore import FileStore

    (tmp_path / "tmp").mkdir()
    old, fresh = tmp_path / "tmp" / "old", tmp_path / "tmp" / "fresh"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    FileStore(tmp_path)
    assert not old.exists() and fresh.exists()


def test_a_live_upload_is_never_swept_and_a_dead_one_is(tmp_path: Path):
    import io
    import os
    import time

    from server.filestore import FileStore
    from server.testing import sample_pdf

    store = FileStore(tmp_path)
    staged = store.stage(io.BytesIO(sample_pdf()), "a.pdf", "files[0]", 10**6)
    old = time.time() - 3600
    os.utime(staged.tmp, (old, old))
    assert store.sweep_tmp(grace_s=1) == 0 and staged.tmp.exists()  # its upload holds the lock
    dead = tmp_path / "tmp" / "tmp-dead"
    dead.write_bytes(b"partial")
    os.utime(dead, (old, old))
    assert store.sweep_tmp(grace_s=1) == 1 and not dead.exists()
    store.discard([staged])
    assert not staged.tmp.exists()


def test_unreferenced_blobs_are_swept_after_their_grace(tmp_path: Path):
    import io
    import os
    import time
    from types import SimpleNamespace

    from server.db import Database
    from server.filestore import FileStore
    from server.housekeeping import sweep_blobs
    from server.models import DossierFile
    from server.settings import ServerSettings
    from server.testing import sample_pdf

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    migrate(engine)
    store = FileStore(tmp_path / "files")
    shas = []
    for pad in (b"named", b"orphan", b"young orphan"):
        sf = store.stage(io.BytesIO(sample_pdf(pad)), "a.pdf", "files[0]", 10**6)
        with store.naming():
            store.commit(sf)
        shas.append(sf.sha256)
    old = time.time() - 3600
    for sha in shas[:2]:
        os.utime(store.blob_path(sha), (old, old))
    db = Database(engine)
    with db.write() as s:
        s.execute(text("INSERT INTO departments (id, unit_id, name) VALUES (1, 'U', 'U')"))
        s.execute(text("INSERT INTO dossiers (id, code, secret, department_id, kiosk_id, procedure_code, procedure_name,"
                       " meta, status, received_at, appointment_at, idempotency_key, fingerprint) VALUES (1, 'C', 'S', 1,"
                       " 'K', 'P', 'P', '{}', 'received', '2026-01-01', '2026-01-02', 'key', 'fp')"))
        s.add(DossierFile(dossier_id=1, name="a.pdf", size=1, sha256=shas[0], content_type="application/pdf"))
    state = SimpleNamespace(files=store, db=db, settings=ServerSettings(blob_grace_s=600))
    assert sweep_blobs(state) == 1
    assert [store.blob_path(s).exists() for s in shas] == [True, False, True]
    engine.dispose()


def test_no_route_holds_a_session_in_a_dependency():
    """A session released in a dependency's clean-up held SQLite's write lock until the event loop ran it:
    every dependency of every route returns at once (no ``yield``); routes open their sessions themselves."""
    import inspect as pyinspect

    from server.app import ROUTERS

    offenders, seen = [], 0

    def walk(dependant, path):
        for dep in dependant.dependencies:
            if pyinspect.isgeneratorfunction(dep.call) or pyinspect.isasyncgenfunction(dep.call):
                offenders.append(f"{path}: {dep.call.__qualname__}")
            walk(dep, path)

    for router, _prefix in ROUTERS:
        for route in router.routes:
            seen += 1
            walk(route.dependant, route.path)
    assert seen >= 12 and not offenders, offenders
