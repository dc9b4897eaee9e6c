"""Legacy TCVN3 (ABC) and VNI text: tables, detection, conversion."""

from __future__ import annotations

import json

import pytest

from pipeline.ingest.repair import repair
from pipeline.ingest.repair.legacy import TCVN3, VNI, detect_legacy, to_unicode

_TO_TCVN3 = {v: k for k, v in TCVN3.items() if ord(k) >= 0xA1}
_TO_VNI: dict[str, str] = {}
for _k, _v in sorted(VNI.items(), key=lambda kv: (len(kv[0]), kv[0])):
    # the canonical spelling: mark byte in the case of its base letter
    if len(_k) == 1 or _k[0].isupper() == _k[1].isupper():
        _TO_VNI.setdefault(_v, _k)


def tcvn3(text: str) -> str:
    """Encode Unicode lower-case Vietnamese the way a .VnTime font stores it (test helper)."""
    return "".join(_TO_TCVN3.get(c, c) for c in text)


def vni(text: str) -> str:
    return "".join(_TO_VNI.get(c, c) for c in text)


# fmt: off
SAMPLES = [
    "Đảng bộ cơ quan ủy ban nhân dân huyện lệ thủy",
    "bản tự kiểm điểm đánh giá chất lượng đảng viên năm 2011",
    "ưu điểm, khuyết điểm và nguyên nhân; phương hướng khắc phục",
    "Ăn ở, đời sống: luôn giữ gìn phẩm chất đạo đức, lối sống giản dị",
]
# fmt: on


@pytest.mark.parametrize("text", SAMPLES)
def test_tcvn3_round_trip(text):
    encoded = tcvn3(text)
    assert encoded != text
    assert to_unicode(encoded, "tcvn3") == text
    assert to_unicode(encoded, ".VnTime") == text


@pytest.mark.parametrize("text", [*SAMPLES, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
def test_vni_round_trip(text):
    encoded = vni(text)
    assert encoded != text
    assert to_unicode(encoded, "vni") == text


# fmt: off
@pytest.mark.parametrize(("raw", "encoding", "expected"), [
    ("§¶ng bé c¬ quan", "tcvn3", "Đảng bộ cơ quan"),
    ("LÖ Thuû, ngµy 29 th¸ng 11 n¨m 2011", "tcvn3", "Lệ Thuỷ, ngày 29 tháng 11 năm 2011"),
    ("®¶ng céng s¶n viÖt nam", ".VnTimeH", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("COÄNG HOØA XAÕ HOÄI", "VNI-Times", "CỘNG HÒA XÃ HỘI"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni", "Độc lập - Tự do - Hạnh phúc"),
    ("Tröôøng ñaïi hoïc", "vni", "Trường đại học"),
    ("", "tcvn3", ""),
])
# fmt: on
def test_to_unicode(raw, encoding, expected):
    assert to_unicode(raw, encoding) == expected


def test_to_unicode_rejects_unknown_encodings():
    with pytest.raises(ValueError):
        to_unicode("abc", "koi8-r")


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    (tcvn3(" ".join(SAMPLES)), "tcvn3"),
    (vni(" ".join(SAMPLES)), "vni"),
    (" ".join(SAMPLES), None),
    ("Ủy ban nhân dân tỉnh Lâm Đồng báo cáo kết quả công tác cải cách hành chính", None),
    ("Café « déjà vu » — São Paulo, Zürich, naïve façade", None),
    ("", None),
    ("12345", None),
])
# fmt: on
def test_detect_legacy(text, expected):
    assert detect_legacy(text) == expected


def test_repair_converts_detected_and_forced_legacy_text():
    raw = tcvn3(" ".join(SAMPLES))
    fixed = repair(raw)
    assert "tcvn3" in fixed.applied
    assert "Đảng bộ cơ quan ủy ban nhân dân huyện lệ thủy" in fixed.text
    short = tcvn3("đảng bộ")  # too short to detect, converted when the reader says so
    assert repair(short).text == short
    assert repair(short, hints={"legacy": "tcvn3"}).text == "đảng bộ"
    assert "Đảng" not in repair(raw, hints={"legacy": "none"}).text


def test_a_unicode_line_in_a_legacy_document_is_left_alone():
    raw = tcvn3(SAMPLES[0]) + "\nCộng hòa xã hội chủ nghĩa Việt Nam\n" + tcvn3(SAMPLES[1])
    lines = repair(raw, hints={"wrapped": False}).text.split("\n")
    assert lines == [SAMPLES[0], "Cộng hòa xã hội chủ nghĩa Việt Nam", SAMPLES[1]]


@pytest.mark.shared
def test_corpus_only_the_legacy_documents_are_converted(corpus_dir, corpus_docs):
    notes = {}
    for line in (corpus_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        m = json.loads(line)
        notes[m["id"]] = m.get("notes", "")
    legacy = {i for i, n in notes.items() if "TCVN3" in n}
    assert legacy, "the corpus should hold a TCVN3 document"
    for doc_id, path in corpus_docs.items():
        raw = path.read_text(encoding="utf-8")
        fixed = repair(raw)
        if doc_id in legacy:
            assert "tcvn3" in fixed.applied
            assert detect_legacy(fixed.text) is None
            assert "Đảng" in fixed.text and "§" not in fixed.text
        else:
            assert detect_legacy(raw) is None, doc_id
            assert not {"tcvn3", "vni"} & set(fixed.applied), doc_id
