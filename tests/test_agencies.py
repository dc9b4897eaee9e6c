"""Agency mentions: abbreviations, short forms in context, plurals, 2025 mergers, Party bodies."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from pipeline.evaluate.agencies import score_document
from pipeline.ingest import ingest, ingest_text
from pipeline.nlp.agencies import AgencyContext, context_from_document, find_agencies

BP_2023 = AgencyContext(province="Bình Phước", date="2023-04-13")
LD_2026 = AgencyContext(province="Lâm Đồng", date="2026-01-10")


def _one(text: str, ctx: AgencyContext = BP_2023) -> dict:
    found = find_agencies(text, context=ctx)
    assert len(found) == 1, found
    return found[0]


# fmt: off
ABBREVIATIONS = [
    ("Đề nghị UBND tỉnh xem xét", "UBND tỉnh", "Ủy ban nhân dân tỉnh Bình Phước", "state"),
    ("báo cáo HĐND tỉnh", "HĐND tỉnh", "Hội đồng nhân dân tỉnh Bình Phước", "council"),
    ("- TTHĐND tỉnh;", "TTHĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh Bình Phước", "council"),
    ("gửi Ban Thường trực UBMTTQ tỉnh", "Ban Thường trực UBMTTQ tỉnh",
     "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bình Phước", "front"),
    ("Đoàn ĐBQH tỉnh", "Đoàn ĐBQH tỉnh", "Đoàn đại biểu Quốc hội tỉnh Bình Phước", "congress"),
    ("phối hợp VKSND tỉnh", "VKSND tỉnh", "Viện kiểm sát nhân dân tỉnh Bình Phước", "procuracy"),
    ("TAND huyện Bù Đăng xét xử", "TAND huyện Bù Đăng", "Tòa án nhân dân huyện Bù Đăng", "court"),
    ("LĐLĐ tỉnh tổ chức", "LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh Bình Phước", "mass_org"),
    ("Hội CCB tỉnh", "Hội CCB tỉnh", "Hội Cựu chiến binh tỉnh Bình Phước", "mass_org"),
    ("Đoàn TNCS Hồ Chí Minh tỉnh", "Đoàn TNCS Hồ Chí Minh tỉnh",
     "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bình Phước", "mass_org"),
    ("- VPCP;", "VPCP", "Văn phòng Chính phủ", "office"),
    ("- TT Tỉnh ủy;", "TT Tỉnh ủy", "Thường trực Tỉnh ủy Bình Phước", "council"),
]

SHORT_FORMS = [  # the same short form, three contexts
    ("UBND tỉnh", BP_2023, "Ủy ban nhân dân tỉnh Bình Phước"),
    ("UBND tỉnh", LD_2026, "Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("UBND tỉnh", AgencyContext(), "Ủy ban nhân dân tỉnh"),
    ("Sở Tài chính thẩm định", BP_2023, "Sở Tài chính tỉnh Bình Phước"),
    ("Tỉnh ủy lãnh đạo", BP_2023, "Tỉnh ủy Bình Phước"),
    ("Công an tỉnh", LD_2026, "Công an tỉnh Lâm Đồng"),
    ("Ủy ban nhân dân", AgencyContext(province="Bình Phước", level="province"), "Ủy ban nhân dân tỉnh Bình Phước"),
    ("Bộ Nội vụ hướng dẫn", BP_2023, "Bộ Nội vụ"),
    ("Ban Pháp chế HĐND tỉnh", BP_2023, "Ban Pháp chế Hội đồng nhân dân tỉnh Bình Phước"),
    ("Văn phòng UBND tỉnh", LD_2026, "Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("Sở Tài nguyên và Môi trường tỉnh Đăk Nông", LD_2026, "Sở Tài nguyên và Môi trường tỉnh Đắk Nông"),
]

NOT_BODIES = [
    "Lãnh đạo các sở, ban, ngành và các cơ quan liên quan",
    "UBND các huyện, thị xã, thành phố",
    "Hội Nông dân các cấp",
    "Thực hiện Công văn số 904-CV/BTGTU ngày 12/5/2023",
    "Quyết định số 12/QĐ-UBND ngày 3/4/2023",
    "Ông Phạm Minh Chính, Thủ tướng Chính phủ",
    "bầu cử đại biểu Quốc hội khóa XVI",
    "Luật Mặt trận Tổ quốc Việt Nam",
    "đồng chí Nguyễn Văn A - Tỉnh ủy viên",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "BÁO CÁO",
    "ban hành kế hoạch, trường hợp cần thiết",
    "nhiệm vụ, cơ sở, cán bộ",
    "",
    "   \n  ",
]

SUCCESSORS = [  # (text, context, successor)
    ("UBND tỉnh Bình Phước", BP_2023, "Ủy ban nhân dân tỉnh Đồng Nai"),
    ("UBND tỉnh", BP_2023, "Ủy ban nhân dân tỉnh Đồng Nai"),
    ("Tỉnh ủy", AgencyContext(province="Hải Dương", date="2024-05-01"), "Thành ủy Hải Phòng"),
    ("Công an tỉnh Bình Thuận", LD_2026, "Công an tỉnh Lâm Đồng"),   # an old body named in 2026
    ("UBND tỉnh", LD_2026, None),                                   # unchanged name
    ("UBND tỉnh Đồng Nai", BP_2023, None),                          # absorbed, kept its name
    ("Bộ Tài chính", BP_2023, None),
    ("Sở Kế hoạch và Đầu tư", BP_2023, "Sở Tài chính tỉnh Đồng Nai"),  # 2025 department merger
    ("UBND huyện Bù Đăng", BP_2023, None),                          # district level ceased
]

PARTY = [
    ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Bình Phước", "Tỉnh ủy Bình Phước"),
    ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy Bình Phước", "Tỉnh ủy Bình Phước"),
    ("Huyện ủy Bù Đăng", "Huyện ủy Bù Đăng", None),
    ("Đảng ủy xã Lương Minh", "Đảng ủy xã Lương Minh", None),
    ("Bộ Chính trị", "Bộ Chính trị", None),
    ("Ban Chấp hành Trung ương Đảng khóa XIII", "Ban Chấp hành Trung ương Đảng", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "mention", "canonical", "kind"), ABBREVIATIONS)
def test_agencies_abbreviations(text: str, mention: str, canonical: str, kind: str) -> None:
    m = _one(text)
    assert (m["text"], m["canonical"], m["kind"]) == (mention, canonical, kind)
    assert text[m["span"][0] : m["span"][1]] == mention


@pytest.mark.parametrize(("text", "ctx", "canonical"), SHORT_FORMS)
def test_agencies_short_forms_in_context(text: str, ctx: AgencyContext, canonical: str) -> None:
    assert _one(text, ctx)["canonical"] == canonical


@pytest.mark.parametrize("text", NOT_BODIES)
def test_agencies_not_bodies(text: str) -> None:
    assert find_agencies(text, context=BP_2023) == []


@pytest.mark.parametrize(("text", "ctx", "successor"), SUCCESSORS)
def test_agencies_successor(text: str, ctx: AgencyContext, successor: str | None) -> None:
    assert _one(text, ctx)["successor"] == successor


@pytest.mark.parametrize(("text", "canonical", "parent"), PARTY)
def test_agencies_party_bodies(text: str, canonical: str, parent: str | None) -> None:
    m = _one(text)
    assert (m["canonical"], m["kind"], m["parent"]) == (canonical, "party", parent)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_agencies_nfd_input(form: str) -> None:
    text = unicodedata.normalize(form, "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Nội vụ báo cáo")
    found = find_agencies(text, context=BP_2023)
    assert [m["canonical"] for m in found] == ["Ủy ban nhân dân tỉnh Bình Phước", "Sở Nội vụ tỉnh Bình Phước"]
    for m in found:  # spans index the text as given
        assert unicodedata.normalize("NFC", text[m["span"][0] : m["span"][1]]) == m["text"]


@pytest.mark.parametrize(("text", "canonical"), [
    ("Uỷ ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"),   # old tone placement
    ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo tỉnh Bình Phước"),
])
def test_agencies_spelling_variants(text: str, canonical: str) -> None:
    assert _one(text)["canonical"] == canonical


def test_agencies_one_key_per_body() -> None:
    text = "UBND TỈNH BÌNH PHƯỚC\nỦy ban nhân dân tỉnh Bình Phước giao UBND tỉnh"
    found = find_agencies(text, context=BP_2023)
    assert len(found) == 3 and len({m["key"] for m in found}) == 1
    assert found[0]["key"] == "uy-ban-nhan-dan-tinh-binh-phuoc"


def test_agencies_window() -> None:
    text = "Sở Y tế. Sở Nội vụ."
    assert [m["text"] for m in find_agencies(text, context=BP_2023, start=8)] == ["Sở Nội vụ"]
    assert [m["text"] for m in find_agencies(text, context=BP_2023, end=8)] == ["Sở Y tế"]


HEADER = """ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
 TỈNH BÌNH PHƯỚC                        Độc lập - Tự do - Hạnh phúc

Số: 12/BC-UBND                      Bình Phước, ngày 13 tháng 4 năm 2023

                                 BÁO CÁO
       Sở Tài chính phối hợp với UBND tỉnh và Tỉnh ủy.
"""


def test_agencies_two_column_header_and_context() -> None:
    doc = ingest_text(HEADER)
    ctx = context_from_document(doc)
    assert (ctx.province, ctx.date, ctx.level) == ("Bình Phước", "2023-04-13", "province")
    found = find_agencies(doc.text, context=ctx)
    assert found[0]["text"] == "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"
    assert {m["canonical"] for m in found} == {
        "Ủy ban nhân dân tỉnh Bình Phước", "Sở Tài chính tỉnh Bình Phước", "Tỉnh ủy Bình Phước"}
    assert all(m["successor"] for m in found)


def test_agencies_context_from_place_only() -> None:
    ctx = context_from_document(ingest_text("Thủ Dầu Một, ngày 15 tháng 4 năm 2009\nUBND tỉnh báo cáo"))
    assert (ctx.province, ctx.date) == ("Bình Dương", "2009-04-15")


@pytest.mark.shared
def test_agencies_corpus_f1(gold: dict[str, dict], corpus_docs: dict[str, Path]) -> None:
    """Micro F1 against the gold agencies; guards against regressions (measured 0.86)."""
    total_found = total_gold = correct = predicted = 0
    for doc_id, g in gold.items():
        if not g.get("agencies") or doc_id not in corpus_docs:
            continue
        doc = ingest(corpus_docs[doc_id])
        s = score_document(find_agencies(doc.text, context=context_from_document(doc)), g["agencies"])
        total_found, total_gold = total_found + s.found, total_gold + s.gold
        correct, predicted = correct + s.correct, predicted + s.predicted
    p, r = correct / predicted, total_found / total_gold
    assert 2 * p * r / (p + r) >= 0.80, (p, r)


def test_agencies_gold_scoring_rules() -> None:
    gold = json.loads('[{"name": "Ủy ban nhân dân tỉnh Đắk Nông", "aliases": ["UBND tỉnh"]},'
                      ' {"name": "Thanh tra tỉnh", "aliases": []}]')
    pred = [{"text": "UBND\n tỉnh", "canonical": "a"}, {"text": "Ủy ban nhân dân tỉnh", "canonical": "a"},
            {"text": "Sở Y tế", "canonical": "b"}]
    s = score_document(pred, gold)
    assert (s.found, s.gold, s.correct, s.predicted) == (1, 2, 1, 2)
    assert s.missed == ["Thanh tra tỉnh"] and s.spurious == ["b"]
