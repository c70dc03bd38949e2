"""The pure parts of issue 16: syllable scoring, field extraction rules, the catalog's `reads`, cut-off."""

from __future__ import annotations

import random
from datetime import date

import gen_hard_pages as hp
import numpy as np
import pytest

from kiosk.base.paths import CONFIG_DIR
from kiosk.declarations.catalog import CatalogError, load_catalog, parse_procedure
from kiosk.documents import extract, quality
from kiosk.documents.syllables import is_syllable, syllable_share

CLEAN = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc GIẤY CHỨNG SINH "
    "Họ và tên mẹ: Nguyễn Thị Phương. Năm sinh: 1994. Dân tộc: Kinh. Nơi đăng ký thường trú: "
    "Số 27 đường Lê Lợi, phường Thuận Hóa, thành phố Huế. Đã sinh con vào lúc 10 giờ 30 phút, "
    "ngày 05 tháng 10 năm 2026 tại Bệnh viện Từ Dũ. Giới tính của con: Nữ. Quốc tịch: Việt Nam. "
    "Người được khai sinh nghiêng khuya quyết giữa thuở ngoằn ngoèo"
)


@pytest.mark.parametrize("word", ["người", "Nguyễn", "quyết", "quốc", "giấy", "gì", "nghiêng", "khuya", "thuở",
                                  "ngoằn", "oẳn", "Hạnh", "CHỨNG", "Đồng", "kinh", "ghế", "yêu", "chuyện"])
def test_real_syllables_are_valid(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["hảt", "cinh", "ke" "o" "x", "ngê", "Ửỹ", "tvrong", "đnh", "qưa", "aeiou", "thx",
                                  "kha1", "ghá"])
def test_impossible_syllables_are_refused(word):
    assert not is_syllable(word)


def test_clean_text_scores_high_and_garbled_text_low():
    clean = syllable_share(CLEAN)
    assert clean.share is not None and clean.share >= 0.97, clean
    rng = random.Random(16)
    letters = "abcdeghiklmnopqrstuvxyăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụ"
    garbled = "".join(ch if not ch.isalpha() or rng.random() > 0.3 else rng.choice(letters) for ch in CLEAN)
    assert syllable_share(garbled).share < 0.8
    # what tesseract returns from a page warped with a wrong corner: fragments and stray marks
    ocr_noise = "Ctêgy HÒứ. XÄ HÔ[ ClII NGIIỈA VỊỆT NẠM Ỡộc lặp - Tư dọ Hạnh phủc ŨIẢY CIIỨNG SỈNII Hộ vả tến mệ"
    assert syllable_share(ocr_noise, min_words=5).share < 0.75
    assert syllable_share("UBND TP HCM", min_words=15).share is None  # too few words to judge


def test_vietnamese_dates_years_and_ids_are_parsed_with_their_rules():
    today = date(2026, 12, 1)
    assert extract.parse_date("10 giờ 30 phút, ngày 5 tháng 10 năm 2026", today) == "05/10/2026"
    assert extract.parse_date("05-10-2026", today) == "05/10/2026"
    assert extract.parse_date("31/02/2026", today) is None
    assert extract.parse_date("01/01/2031", today) is None  # beyond next year
    assert extract.parse_year("1994. Dân tộc: Kinh", 1940, 2015) == "1994"
    assert extract.parse_year("1930", 1940, 2015) is None
    assert extract.parse_id("036190001234") == "036190001234"
    assert extract.parse_id("0361 9000 1234") == "036190001234"
    assert extract.parse_id("999190001234") is None  # no such province
    assert extract.parse_id("036790001234") is None  # century digit beyond what a card carries
    assert extract.parse_name("Nguyễn Minh An") == "Nguyễn Minh An"
    assert extract.parse_name("nguyễn minh an") is None
    assert extract.parse_name("Ngụy3n Mỉnh") is None


def test_labels_must_begin_a_line_or_a_sentence():
    reads = {"me_nam_sinh": ["Năm sinh"]}
    spec = {"me_nam_sinh": {"key": "me_nam_sinh", "type": "number", "min": 1940, "max": 2015}}
    assert extract.extract("Họ và tên mẹ: Lê Thị Hà. Năm sinh: 1990", reads, spec, document="d")[0].value == "1990"
    assert extract.extract("Cha của trẻ, năm sinh 1988 là", reads, spec, document="d") == []


def test_configured_fields_are_read_off_clean_papers_exactly():
    cat = load_catalog(CONFIG_DIR / "procedures")
    tp = fp = fn = 0
    for i in range(12):
        template = [hp.birth_certificate, hp.household_book, hp.id_photocopy][i % 3]
        fonts, pt = hp.FONT_STYLES[i % 4]
        page = template(random.Random(300 + i), fonts, pt)
        got = {s.field: s.value for s in extract.for_document(cat.get(page.procedure), page.document, page.text,
                                                               today=date(2026, 12, 31))}
        tp += sum(page.fields.get(k) == v for k, v in got.items())
        fp += sum(page.fields.get(k) != v for k, v in got.items())
        fn += sum(k not in got for k in page.fields)
    assert fp == 0 and fn == 0, (tp, fp, fn)


def test_birth_registration_says_which_paper_carries_which_field():
    proc = load_catalog(CONFIG_DIR / "procedures").get("1.001193")
    doc = next(d for d in proc.documents if d.key == "giay_chung_sinh")
    assert {"tre_ho_ten", "tre_ngay_sinh", "tre_gioi_tinh", "tre_noi_sinh", "me_ho_ten"} <= set(doc.reads)


def test_a_reads_entry_naming_an_unknown_form_field_is_refused():
    import tomllib

    data = tomllib.loads((CONFIG_DIR / "procedures" / "khai_sinh.toml").read_text(encoding="utf-8"))
    data["documents"][1]["reads"] = {"no_such_field": ["Tên"]}
    with pytest.raises(CatalogError, match="no_such_field"):
        parse_procedure(data, "khai_sinh.toml")


def test_a_corner_in_the_margin_outside_the_frame_is_not_cut_off_but_a_cut_text_area_is():
    shape = (1000, 700)
    inside = np.array([[50, 50], [650, 50], [650, 950], [50, 950]], np.float32)
    assert not quality.text_area_cut(inside, shape)
    corner_out = inside + np.array([[0, 0], [70, -60], [0, 0], [0, 0]], np.float32)  # TR 20 px outside
    assert not quality.text_area_cut(corner_out, shape)
    half_out = inside + np.array([[300, 0], [300, 0], [300, 0], [300, 0]], np.float32)
    assert quality.text_area_cut(half_out, shape)


def test_a_colon_read_as_a_full_stop_or_comma_still_gives_the_value():
    # tesseract reads "Họ, chữ đệm và tên: …" off a photographed card copy as "… tên. Dương Thanh Hùng"
    reads = {"ho_ten": ["Họ, chữ đệm và tên"], "ngay_sinh": ["Ngày sinh"]}
    spec = {"ho_ten": {"key": "ho_ten", "type": "text"}, "ngay_sinh": {"key": "ngay_sinh", "type": "date"}}
    got = {s.field: s.value for s in extract.extract("Họ, chữ đệm và tên. Dương Thanh Hùng\nNgày sinh, 23/07/1995",
                                                     reads, spec, document="d", today=date(2026, 12, 31))}
    assert got == {"ho_ten": "Dương Thanh Hùng", "ngay_sinh": "23/07/1995"}


def _words(text: str, conf: float) -> list:
    from kiosk.documents.ocr import Word

    return [Word(w, conf, (0, 0, 10, 10)) for w in text.split()]


def test_on_a_doubtful_page_a_value_whose_label_reads_exactly_is_offered_as_on_a_good_page():
    reads = {"ho_ten": ["Họ, chữ đệm và tên"]}
    spec = {"ho_ten": {"key": "ho_ten", "type": "text"}}
    exact = "Họ, chữ đệm và tên: Trần Thị Hà"
    got = extract.extract(exact, reads, spec, document="d", words=_words(exact, 93), doubtful=True)
    assert [s.value for s in got] == ["Trần Thị Hà"] and got[0].confidence == 0.93
    # the same line with a mark of its label misread: the page's doubt may be this line's too
    misread = "Họ, chữ đêm và tên: Trần Thị Hà"
    assert extract.extract(misread, reads, spec, document="d", words=_words(misread, 93), doubtful=True) == []
    # on a good page it is offered either way; a doubtful page still needs a surer reading
    assert extract.extract(misread, reads, spec, document="d", words=_words(misread, 93))[0].value == "Trần Thị Hà"
    assert extract.extract(misread, reads, spec, document="d", words=_words(misread, 97), doubtful=True)


def _page_with_words() -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A white A4 page at 300 dpi with lines of words (and a bold heading), and their boxes."""
    import cv2

    page = np.full((3508, 2481), 235, np.uint8)
    boxes = []
    cv2.putText(page, "SO HO KHAU", (800, 300), cv2.FONT_HERSHEY_DUPLEX, 3.0, 30, 9)  # bold heading
    boxes.append((800, 230, 700, 80))
    for row in range(12):
        y = 500 + 110 * row
        for col in range(5):
            x = 250 + 420 * col
            cv2.putText(page, "Nguyen", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 30, 4)
            boxes.append((x, y - 40, 220, 50))
    return page, boxes


def test_a_pen_lying_over_the_text_is_seen_one_in_the_margin_or_bold_print_is_not():
    import cv2

    from kiosk.documents import geometry

    page, boxes = _page_with_words()
    assert geometry.covered_words(page, boxes) == 0  # print, bold heading included, is never an object
    margin = page.copy()
    cv2.line(margin, (150, 2200), (700, 3300), 25, 45)  # a pen in the bottom margin, under the text
    assert geometry.covered_words(margin, boxes) == 0
    over = page.copy()
    cv2.line(over, (1500, 600), (2200, 1400), 25, 45)  # the same pen across a column of the text
    assert geometry.covered_words(over, boxes) >= 2


def test_the_gate_asks_for_a_retake_when_an_object_covers_words():
    from kiosk.documents import gate, reasons
    from kiosk.documents.ocr import OcrResult, Word

    words = [Word(w, 96, (10 * i, 0, 10, 10), (1, 1, i // 5)) for i, w in enumerate(CLEAN.split())]
    clean = gate.after_ocr(gate.PageQuality(), OcrResult(CLEAN, words), None, 0.0)
    assert clean.good
    q = gate.after_ocr(gate.PageQuality(), OcrResult(CLEAN, words), None, 0.0, covered=2)
    assert not q.good and [r.code for r in q.reasons] == [reasons.COVERED] and q.action == "retake"
    assert "bút" in q.reasons[0].message_vi
