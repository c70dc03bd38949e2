"""The shipped catalog loads; broken files are named; search forgives accents and typos."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from kiosk.base import paths
from kiosk.declarations.catalog import Catalog, load_catalog
from kiosk.declarations.procedure import PREFILL_SOURCES, CatalogError

FOLDER = paths.resolve("config/procedures")
DOMAIN_CODES = {"1.001193", "1.000656", "1.000894", "1.004222", "1.004194", "2.000815", "2.000884", "2.000635", "LLTP.01", "2.000720"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FOLDER)


def test_every_shipped_procedure_loads(catalog):
    assert {p.code for p in catalog} >= DOMAIN_CODES
    for p in catalog:
        assert p.documents, p.code
        assert p.form.fields, p.code
        assert any(d.from_form for d in p.documents) or p.form.title_vi, p.code
        for f in p.form.fields:
            assert f.label_vi and f.label_en, (p.code, f.key)
            assert f.prefill is None or f.prefill in PREFILL_SOURCES


def test_each_shipped_form_reuses_the_id_card(catalog):
    for p in catalog:
        assert any(f.prefill == "identity.full_name" for f in p.form.fields), p.code


def test_legal_times_and_fees_of_domain_table(catalog):
    assert catalog["1.001193"].legal_time.working_days == 0
    assert catalog["1.004222"].legal_time.working_days == 7
    assert catalog["1.004194"].legal_time.working_days == 3
    assert catalog["LLTP.01"].legal_time.working_days == 10
    assert catalog["1.004222"].fee.amount == 20000 and catalog["1.004222"].fee.online_amount == 10000
    assert catalog["1.004222"].form.form_no == "CT01"


def _copy(tmp_path: Path, name: str = "khai_sinh.toml") -> tuple[Path, Path]:
    folder = tmp_path / "procs"
    folder.mkdir()
    target = folder / name
    shutil.copy(FOLDER / name, target)
    return folder, target


def test_a_broken_file_names_the_file_and_the_field(tmp_path):
    folder, target = _copy(tmp_path)
    text = target.read_text(encoding="utf-8").replace('key = "tre_gioi_tinh"\ntype = "select"', 'key = "tre_gioi_tinh"\ntype = "dropdown"')
    target.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        load_catalog(folder)
    msg = str(e.value)
    assert "khai_sinh.toml" in msg and "form.pages[1].fields[2].type" in msg


def test_missing_required_field_and_unknown_key_are_named(tmp_path):
    folder, target = _copy(tmp_path)
    data = target.read_text(encoding="utf-8")
    target.write_text(data.replace('name_vi = "Đăng ký khai sinh"\n', "", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"khai_sinh.toml: name_vi: Field required"):
        load_catalog(folder)
    target.write_text(data.replace('level = "commune"', 'level = "commune"\nlevle = "x"'), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"khai_sinh.toml: levle: unknown field"):
        load_catalog(folder)


def test_bad_toml_and_bad_prefill_are_named(tmp_path):
    folder, target = _copy(tmp_path)
    data = target.read_text(encoding="utf-8")
    target.write_text(data.replace('prefill = "identity.full_name"', 'prefill = "identity.name"'), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"form.pages\[0\].fields\[0\].prefill: .*unknown prefill source"):
        load_catalog(folder)
    target.write_text(data + "\n[[broken\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="khai_sinh.toml: not valid TOML"):
        load_catalog(folder)


def test_duplicate_codes_are_refused(tmp_path):
    folder, _ = _copy(tmp_path)
    shutil.copy(FOLDER / "khai_sinh.toml", folder / "khai_sinh_2.toml")
    with pytest.raises(CatalogError, match="appears twice"):
        load_catalog(folder)


def top(catalog: Catalog, query: str) -> str:
    hits = catalog.search(query)
    assert hits, f"nothing found for {query!r}"
    return hits[0].code


@pytest.mark.parametrize(
    "query, code",
    [
        ("Đăng ký khai sinh", "1.001193"),
        ("dang ky khai sinh", "1.001193"),
        ("khai sinh", "1.001193"),
        ("KHAI SINH", "1.001193"),
        ("khai sinhh", "1.001193"),  # typo
        ("kahi sinh", "1.001193"),  # swapped letters
        ("dang ki khai sinh", "1.001193"),  # ki / ký
        ("khai sin", "1.001193"),  # still typing
        ("khai tu", "1.000656"),
        ("dang ky ket hon", "1.000894"),
        ("ket hon", "1.000894"),
        ("nhap ho khau", "1.004222"),
        ("tam tru", "1.004194"),
        ("thuong tru", "1.004222"),
        ("sao y ban chinh", "2.000815"),
        ("chu ky", "2.000884"),
        ("ly lich tu phap", "LLTP.01"),
        ("li lich tu phap", "LLTP.01"),
        ("ho kinh doanh", "2.000720"),
        ("trich luc", "2.000635"),
        ("1.004222", "1.004222"),
        ("birth", "1.001193"),
    ],
)
def test_search_finds_the_right_procedure(catalog, query, code):
    assert top(catalog, query) == code


def test_chung_thuc_finds_both_certifications_first(catalog):
    codes = [p.code for p in catalog.search("chung thuc")[:2]]
    assert set(codes) == {"2.000815", "2.000884"}


def test_search_of_nonsense_finds_nothing(catalog):
    assert catalog.search("xyzw qqq") == []
    assert catalog.search("   ") == []


def test_browse_by_field(catalog):
    fields = catalog.fields()
    assert {"Hộ tịch", "Chứng thực", "Cư trú", "Kinh doanh"} <= set(fields)
    assert {p.code for p in catalog.by_field("Cư trú")} == {"1.004222", "1.004194"}


def test_backend_copy_round_trips_through_the_cache(catalog, tmp_path):
    cache = tmp_path / "cache.json"
    catalog.save_cache(cache, version="v1")
    again = Catalog.load_cache(cache)
    assert [p.code for p in again] == [p.code for p in catalog]
    assert again["1.001193"] == catalog["1.001193"]


def test_refresh_from_backend_swaps_in_and_caches(catalog, tmp_path):
    from types import SimpleNamespace

    from kiosk.declarations.catalog import refresh_from_backend

    only_one = [catalog["1.001193"].model_dump(mode="json")]
    backend = SimpleNamespace(procedures=lambda: SimpleNamespace(version="v2", procedures=only_one))
    local = load_catalog(FOLDER)
    assert refresh_from_backend(local, backend, tmp_path / "c.json")
    assert [p.code for p in local] == ["1.001193"]
    assert (tmp_path / "c.json").exists()

    def down():
        raise ConnectionError("backend down")

    assert not refresh_from_backend(local, SimpleNamespace(procedures=down), tmp_path / "c.json")
    assert [p.code for p in local] == ["1.001193"]


def test_calendar_file_is_not_a_procedure():
    data = tomllib.loads((FOLDER / "_calendar.toml").read_text(encoding="utf-8"))
    assert "code" not in data


def test_refresh_from_the_real_reference_server_over_http(tmp_path):
    from kiosk.backend.client import BackendClient
    from kiosk.declarations.catalog import refresh_from_backend
    from server.testing import ServerThread

    with ServerThread(tmp_path / "srv", catalog_dir=FOLDER) as srv:
        client = BackendClient(srv.url, "dev-kiosk-token", "KIOSK-01")
        try:
            local = Catalog([load_catalog(FOLDER)["1.001193"]])
            assert refresh_from_backend(local, client, tmp_path / "cache.json")
        finally:
            client.close()
    assert {p.code for p in local} == {p.code for p in load_catalog(FOLDER)}
    assert Catalog.load_cache(tmp_path / "cache.json")["1.004222"].form.form_no == "CT01"


def test_services_prefer_a_newer_backend_copy_and_a_newer_local_edit(kiosk_config, tmp_path):
    import os

    from kiosk.services import build_services

    cache = tmp_path / "catalog-cache.json"
    kiosk_config.catalog.cache_file = str(cache)
    Catalog([load_catalog(FOLDER)["1.001193"]]).save_cache(cache)
    services = build_services(kiosk_config)
    try:
        assert [p.code for p in services.catalog] == ["1.001193"]  # the backend's copy is newer than the files
    finally:
        services.close()
    old = min(f.stat().st_mtime for f in FOLDER.glob("*.toml")) - 60
    os.utime(cache, (old, old))
    services = build_services(kiosk_config)
    try:
        assert len(services.catalog) == len(load_catalog(FOLDER))  # the folder was edited since
    finally:
        services.close()
