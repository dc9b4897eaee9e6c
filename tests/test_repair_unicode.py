"""Step 1 (NFC, invisible characters, spaces, line ends), look-alikes and tone placement."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.ingest.repair import repair
from pipeline.ingest.repair.edit import apply_edits
from pipeline.ingest.repair.tone import fix_syllable, tone_edits
from pipeline.ingest.repair.unicode import lookalike_edits, nfc_edits


def _apply(text, edits_fn):
    return apply_edits(text, edits_fn(text))[0]


# fmt: off
@pytest.mark.parametrize(("raw", "expected"), [
    (unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh"), "Ủy ban nhân dân tỉnh"),
    ("Ma\u0301t khác, vì", "Mát khác, vì"),
    ("Mă\u0323t khác", "Mặt khác"),
    ("\ufeffBÁO\u200b CÁO", "BÁO CÁO"),
    ("Số:\u00a012/BC-UBND", "Số: 12/BC-UBND"),
    ("dòng một\r\ndòng hai\rdòng ba", "dòng một\ndòng hai\ndòng ba"),
    ("trang một\ftrang hai\tcột", "trang một\ftrang hai\tcột"),
    ("", ""),
    ("   ", "   "),
])
# fmt: on
def test_repair_step_one(raw, expected):
    assert repair(raw, hints={"wrapped": False}).text == expected


def test_nfc_edits_map_the_composed_letter_to_its_base():
    raw = "U\u031b\u0301c"  # Ứ decomposed
    new, trace = apply_edits(raw, nfc_edits(raw))
    assert new == "Ức" and trace.positions() == [0, 3]


# fmt: off
@pytest.mark.parametrize(("raw", "expected"), [
    ("PHƢƠNG HƢỚNG", "PHƯƠNG HƯỚNG"),
    ("phƣơng hƣớng", "phương hướng"),
    ("Ðảm bảo", "Đảm bảo"),
    ("\u0189ồng", "Đồng"),
    ("ðồng chí", "đồng chí"),
    ("Guðmundur", "Guðmundur"),            # ð inside a word is not đ
    ("C\u043eng van", "Cong van"),          # Cyrillic о inside a Latin word
    ("Москва", "Москва"),                   # a real Cyrillic word stays
    ("năm ２０２５", "năm 2025"),
    ("cải\u00adcách", "cảicách"),
    ("\ufb01le", "file"),
    ("“trích” – dẫn — x", "“trích” – dẫn — x"),  # dashes and quotes kept
])
# fmt: on
def test_lookalikes(raw, expected):
    assert _apply(raw, lookalike_edits) == expected


# fmt: off
@pytest.mark.parametrize(("word", "expected"), [
    ("Uỷ", "Ủy"), ("UỶ", "ỦY"), ("uỷ", "ủy"), ("hoà", "hòa"), ("HOÀ", "HÒA"), ("hoá", "hóa"),
    ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("tuỳ", "tùy"), ("Thuỵ", "Thụy"), ("xoè", "xòe"),
    ("baỏ", "bảo"), ("cuả", "của"), ("hòan", "hoàn"), ("HỌAT", "HOẠT"), ("qúy", "quý"), ("qủa", "quả"),
    ("gìa", "già"),
    # already right, or not a syllable whose rule is certain
    ("quý", None), ("hòa", None), ("Ủy", None), ("gìn", None), ("giữ", None), ("người", None),
    ("rượu", None), ("khuỷu", None), ("ngoài", None), ("Nguyễn", None), ("quyết", None), ("thuở", None),
    ("hoặc", None), ("Đoàn", None), ("Ưóc", None), ("café", None), ("UBND", None),
])
# fmt: on
def test_fix_syllable(word, expected):
    assert fix_syllable(word) == expected


def test_tone_edits_in_context():
    raw = "UỶ BAN NHÂN DÂN tỉnh Khánh Hoà; Uỷ ban, hoá chất (thuỷ lợi), quý khách."
    assert _apply(raw, tone_edits) == "ỦY BAN NHÂN DÂN tỉnh Khánh Hòa; Ủy ban, hóa chất (thủy lợi), quý khách."
