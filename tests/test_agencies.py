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
GL_2024 = AgencyContext(province="Gia Lai", date="2024-05-01", level="province")

NAME_GRAMMAR = [  # (text, context, mention text, canonical): head + field + level + place, parents
    ("Viện KSND tỉnh phối hợp", GL_2024, "Viện KSND tỉnh", "Viện kiểm sát nhân dân tỉnh Gia Lai"),
    ("BCH ĐOÀN TỈNH GIA LAI", GL_2024, "BCH ĐOÀN TỈNH GIA LAI",
     "Ban Chấp hành Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Gia Lai"),
    ("Ông A - Chủ tịch Hiệp hội cơ điện tỉnh.", GL_2024, "Hiệp hội cơ điện tỉnh", "Hiệp hội cơ điện tỉnh Gia Lai"),
    ("gửi Ủy ban bầu cử xã (B/c)", AgencyContext(commune="Lương Minh", level="commune"), "Ủy ban bầu cử xã",
     "Ủy ban bầu cử xã Lương Minh"),
    ("tại Ban Quản lý Đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh Đắk Nông.", GL_2024,
     "Ban Quản lý Đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh Đắk Nông",
     "Ban Quản lý Đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh Đắk Nông"),
    ("Ông B, Vụ Cải cách hành chính; số điện thoại", GL_2024, "Vụ Cải cách hành chính", "Vụ Cải cách hành chính"),
    ("- TT Công báo tỉnh, Website tỉnh;", GL_2024, "TT Công báo tỉnh", "Trung tâm Công báo tỉnh Gia Lai"),
    ("Công văn của Ban thường vụ - Liên đoàn Luật sư Việt Nam về việc", GL_2024,
     "Ban thường vụ - Liên đoàn Luật sư Việt Nam", "Ban Thường vụ Liên đoàn Luật sư Việt Nam"),
    ("Ông C - Phó Phòng Dân nguyện - Văn phòng", GL_2024, "Phòng Dân nguyện", "Phòng Dân nguyện"),
    ("Của Ban Chấp hành Đoàn TNCS Hồ Chí Minh\n Trường Đại học Sư phạm Kỹ thuật Thành phố Hồ Chí Minh", GL_2024,
     "Ban Chấp hành Đoàn TNCS Hồ Chí Minh Trường Đại học Sư phạm Kỹ thuật Thành phố Hồ Chí Minh",
     "Ban Chấp hành Đoàn Thanh niên Cộng sản Hồ Chí Minh Trường Đại học Sư phạm Kỹ thuật thành phố Hồ Chí Minh"),
    ("BAN CHẤP HÀNH HỘI SINH\nVIÊN TRƯỜNG NHIỆM KỲ XI", GL_2024, "BAN CHẤP HÀNH HỘI SINH VIÊN TRƯỜNG",
     "Ban Chấp hành Hội Sinh viên trường"),
    ("thực hiện chỉ đạo của Đảng, nghị quyết", GL_2024, "Đảng", "Đảng Cộng sản Việt Nam"),
    ("Báo và Phát thanh, Truyền hình tỉnh đưa tin", GL_2024, "Báo và Phát thanh, Truyền hình tỉnh",
     "Báo và Phát thanh, Truyền hình tỉnh Gia Lai"),
    ("năm 2031\n\nBAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH", GL_2024,
     "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH",
     "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh"),
]

GENERIC = [  # classes of bodies, formulas and words that look like heads: no mention
    ("Kính gửi: Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương.", AgencyContext(level="central")),
    ("Khảo sát đại biểu HĐND cấp tỉnh và lãnh đạo UBND cấp xã", AgencyContext(level="central")),
    ("- Sở Nội vụ các tỉnh, thành phố trực thuộc TW;", AgencyContext(level="central")),
    ("lực lượng Công an xã tăng cường tuần tra", AgencyContext(province="Quảng Trị", level="province")),
    ("các hội do Đảng, Nhà nước giao nhiệm vụ", BP_2023),
    ("Căn cứ Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân ngày 20/11/2015;", BP_2023),
    ("Công văn số 358/LĐLSVN- BTV ngày 16/7/2025", BP_2023),
    ("Bản dịch thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.", BP_2023),
    ("CHÁNH VĂN PHÒNG\nTrần Văn Sơn", BP_2023),
    ("- Trưởng phòng Sở;", BP_2023),
    ("phát huy thế mạnh sở trường của mình", BP_2023),
    ("Đảng viên phải gương mẫu", BP_2023),
    ("Vai trò của Ban Chấp hành, Ban Thường vụ, Thường trực các tổ chức Hội được phát huy", BP_2023),
]

COREFERENCE = [  # a part named without its owner takes the owner from the document or its issuer
    ("Ban Thường vụ Tỉnh ủy họp. Ban Thường vụ đã chỉ đạo", BP_2023, ["Ban Thường vụ Tỉnh ủy Bình Phước"] * 2),
    ("Ban Chấp hành đã họp", AgencyContext(issuer="BAN CHẤP HÀNH ĐOÀN TỈNH GIA LAI"),
     ["Ban Chấp hành Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Gia Lai"]),
    ("Ban Thường vụ đã họp", AgencyContext(province="Lâm Đồng", issuer="TỈNH ỦY LÂM ĐỒNG"),
     ["Ban Thường vụ Tỉnh ủy Lâm Đồng"]),
    ("Ban Giám hiệu Nhà trường chỉ đạo, Ban Giám hiệu đã", BP_2023, ["Ban Giám hiệu Nhà trường"] * 2),
]
# fmt: on


@pytest.mark.parametrize(("text", "ctx", "mention", "canonical"), NAME_GRAMMAR)
def test_agencies_name_grammar(text: str, ctx: AgencyContext, mention: str, canonical: str) -> None:
    m = _one(text, ctx)
    assert (m["text"], m["canonical"]) == (mention, canonical)


@pytest.mark.parametrize(("text", "ctx"), GENERIC)
def test_agencies_generic_not_bodies(text: str, ctx: AgencyContext) -> None:
    assert [m["text"] for m in find_agencies(text, context=ctx)] == []


@pytest.mark.parametrize(("text", "ctx", "canonicals"), COREFERENCE)
def test_agencies_bare_parts_take_their_owner(text: str, ctx: AgencyContext, canonicals: list[str]) -> None:
    assert [m["canonical"] for m in find_agencies(text, context=ctx)] == canonicals


@pytest.mark.parametrize(("text", "mentions"), [
    ("Đảng và Nhà nước quan tâm; Đảng lãnh đạo toàn diện", ["Đảng"]),       # formula vs the body
    ("Phó Bí thư Thường trực Đảng ủy Chính phủ", ["Đảng ủy Chính phủ"]),    # a post's adjective
    ("Trưởng Ban Kiểm tra Liên đoàn Taekwondo tỉnh Lâm Đồng",                # a post of the part
     ["Ban Kiểm tra Liên đoàn Taekwondo tỉnh Lâm Đồng"]),
    ("Đại hội đại biểu Đoàn TNCS Hồ Chí Minh tỉnh", ["Đoàn TNCS Hồ Chí Minh tỉnh"]),
    ("bầu cử đại biểu Quốc hội khóa XVI", []),
])
def test_agencies_context_words(text: str, mentions: list[str]) -> None:
    assert [m["text"] for m in find_agencies(text, context=BP_2023)] == mentions


@pytest.mark.parametrize(("text", "successor"), [
    ("Sở Kế hoạch và Đầu tư tỉnh Bình Phước", "Sở Tài chính tỉnh Đồng Nai"),
    ("Sở Giao thông vận tải", "Sở Xây dựng tỉnh Đồng Nai"),
    ("VKSND tỉnh Bình Phước", "Viện kiểm sát nhân dân tỉnh Đồng Nai"),
])
def test_agencies_successor_nfd(text: str, successor: str) -> None:
    m = _one(unicodedata.normalize("NFD", text))
    assert m["successor"] == successor


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
    """Micro F1 against the gold agencies; guards against regressions (measured 0.94)."""
    total_found = total_gold = correct = predicted = 0
    for doc_id, g in gold.items():
        if not g.get("agencies") or doc_id not in corpus_docs:
            continue
        doc = ingest(corpus_docs[doc_id])
        s = score_document(find_agencies(doc.text, context=context_from_document(doc)), g["agencies"])
        total_found, total_gold = total_found + s.found, total_gold + s.gold
        correct, predicted = correct + s.correct, predicted + s.predicted
    p, r = correct / predicted, total_found / total_gold
    assert 2 * p * r / (p + r) >= 0.90, (p, r)


def test_agencies_gold_scoring_rules() -> None:
    gold = json.loads('[{"name": "Ủy ban nhân dân tỉnh Đắk Nông", "aliases": ["UBND tỉnh"]},'
                      ' {"name": "Thanh tra tỉnh", "aliases": []}]')
    pred = [{"text": "UBND\n tỉnh", "canonical": "a"}, {"text": "Ủy ban nhân dân tỉnh", "canonical": "a"},
            {"text": "Sở Y tế", "canonical": "b"}]
    s = score_document(pred, gold)
    assert (s.found, s.gold, s.correct, s.predicted) == (1, 2, 1, 2)
    assert s.missed == ["Thanh tra tỉnh"] and s.spurious == ["b"]
