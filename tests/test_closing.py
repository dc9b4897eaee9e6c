"""Closing: body end, recipients, signature block, appendices."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.ingest import ingest, ingest_text
from pipeline.ingest.lines import split_lines
from pipeline.ingest.recipients import Piece, parse_recipients, strip_entry
from pipeline.ingest.signature import is_name, parse_signature


def _pieces(rows: list[str]) -> list[Piece]:
    return [Piece(t, 0, len(t), i, 40) for i, t in enumerate(rows) if t]


# fmt: off
SIGNATURES = [
    # state, KT under TM
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Nguyễn Ngọc Phúc"],
     False, (["TM", "KT"], "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc")),
    # TL then KT, no dot spacing
    (["TL.CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Trịnh Ngọc Duệ"],
     False, (["TL", "KT"], None, "PHÓ CHÁNH VĂN PHÒNG", "Trịnh Ngọc Duệ")),
    # Party slashes kept as printed in a Party document
    (["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lê Văn Hùng"],
     True, (["TM"], "BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lê Văn Hùng")),
    # ... and read as the state prefix in a state document
    (["T/M. BCH HIỆP HỘI DOANH NGHIỆP", "CHỦ TỊCH"],
     False, (["TM"], "BCH HIỆP HỘI DOANH NGHIỆP", "CHỦ TỊCH", None)),
    # position wrapped over two lines
    (["TL. BỘ TRƯỞNG", "VỤ TRƯỞNG", "VỤ TỔ CHỨC PHI CHÍNH PHỦ", "Thang Thị Hạnh"],
     False, (["TL"], None, "VỤ TRƯỞNG VỤ TỔ CHỨC PHI CHÍNH PHỦ", "Thang Thị Hạnh")),
    # "PHÓ" / "TRƯỞNG BAN" split by the layout
    (["K/T TRƯỞNG BAN", "PHÓ", "TRƯỞNG BAN", "Nguyễn Thanh Bình"],
     True, (["KT"], None, "PHÓ TRƯỞNG BAN", "Nguyễn Thanh Bình")),
    # no prefix, seal note after the name
    (["(Đã ký)", "CHÁNH VĂN PHÒNG", "Trần Văn Sơn", "(Dấu của VĂN PHÒNG ĐẢNG ỦY CHÍNH PHỦ)"],
     False, ([], None, "CHÁNH VĂN PHÒNG", "Trần Văn Sơn")),
    # e-signature box of an agency: no person's name
    (["KT.GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Người ký: Sở Tài", "chính", "Email:", "stc@daknong.gov.", "vn",
      "Cơ quan: Tỉnh", "Đắk Nông", "Thời gian ký:", "14.11.2018", "14:57:06 +07:00"],
     False, (["KT"], None, "PHÓ GIÁM ĐỐC", None)),
    # Markdown bold split over two lines
    (["**TM. ỦY BAN NHÂN", "DÂN**", "**KT. CHỦ TỊCH **", "PHÓ CHỦ TỊCH", "**Mai Xuân Liêm**"],
     False, (["TM", "KT"], "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Mai Xuân Liêm")),
]
# fmt: on


@pytest.mark.parametrize("rows, party, expected", SIGNATURES)
def test_signature_blocks(rows: list[str], party: bool, expected: tuple) -> None:
    items = []
    for i, t in enumerate(rows):
        odd = t.count("**") % 2 == 1
        items.append(Piece(t.replace("*", "").strip(), 0, len(t), i, 40, odd))
    sig = parse_signature(items, party=party)
    assert sig is not None
    assert (sig.authority, sig.on_behalf_of, sig.position, sig.signer) == expected


def test_signature_esign_recorded() -> None:
    rows = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Ký bởi: Sở Nội vụ", "Thời gian ký: 19.12.2025 10:20:30 +07:00"]
    sig = parse_signature(_pieces(rows))
    assert sig is not None and sig.esign is not None
    assert sig.esign["signer"] == "Sở Nội vụ"
    assert sig.esign["time"] == "19.12.2025 10:20:30 +07:00"


@pytest.mark.parametrize("rows", [["Trân trọng"], ["KẾT QUẢ THỰC HIỆN", "Tình hình chung"], []])
def test_signature_none_without_authority_or_name(rows: list[str]) -> None:
    assert parse_signature(_pieces(rows)) is None


@pytest.mark.parametrize(
    "text, ok",
    [
        ("Nguyễn Ngọc Phúc", True),
        ("Hồ Văn Mười", True),
        ("Trần Thị Bích Ngọc", True),
        ("Châu minh Phú", True),
        ("NGUYỄN VĂN A", False),
        ("Như trên", False),
        ("Trân trọng", False),
        ("Nguyễn", False),
        ("Sở Nội vụ tỉnh Lâm Đồng cho biết", False),
    ],
)
def test_is_name(text: str, ok: bool) -> None:
    assert is_name(text) is ok


# fmt: off
RECIPIENT_LISTS = [
    # label shares its line with the authority (pdftotext -layout)
    ("Nơi nhận:                        KT. CHỦ TỊCH\n- Bộ Nội vụ;\n- Thường trực Tỉnh ủy;\n"
     "                                 PHÓ CHỦ TỊCH\n- Lưu: VT, NC.Châu\n",
     ["Bộ Nội vụ", "Thường trực Tỉnh ủy", "Lưu: VT, NC.Châu"]),
    # TAB-separated docx table row
    ("Nơi nhận:\tTM. UỶ BAN NHÂN DÂN\n- Bộ Khoa học và Công nghệ;\tKT.CHỦ TỊCH\n- Lưu VT.\n",
     ["Bộ Khoa học và Công nghệ", "Lưu VT"]),
    # antiword / Markdown table with pipes
    ("| Nơi nhận:          |KT. GIÁM ĐỐC   |\n|- Như trên;         |PHÓ GIÁM ĐỐC   |\n"
     "|- Giám đốc Sở (để b/c);  |   |\n|- Lưu: VT, TCBC.   |    |\n",
     ["Như trên", "Giám đốc Sở (để b/c)", "Lưu: VT, TCBC"]),
    # wrapped entries joined
    ("Nơi nhận:\n- Các bộ, cơ quan: Tư pháp, Tài chính, Khoa học và\nCông nghệ (để P/H);\n- Lưu:\nVT, Vụ TCCB.\n",
     ["Các bộ, cơ quan: Tư pháp, Tài chính, Khoa học và Công nghệ (để P/H)", "Lưu: VT, Vụ TCCB"]),
    # Party: entries end with commas, several on one line
    ("Nơi nhận:\n- Ban Bí thư (để báo cáo),\n- Các đồng chí Phó Trưởng Ban, - Các vụ, cục,\n"
     "  đơn vị trong Ban, - Lưu VP, Vụ CSĐ, ĐV.\n",
     ["Ban Bí thư (để báo cáo)", "Các đồng chí Phó Trưởng Ban", "Các vụ, cục, đơn vị trong Ban", "Lưu VP, Vụ CSĐ, ĐV"]),
    # blank lines between entries
    ("Nơi nhận:\n\n\n- Thường trực Đảng ủy xã;\n\n- Bí thư Chi bộ, Ban công\n\n tác MT thôn;\n\n- Lưu: MTTQ\n",
     ["Thường trực Đảng ủy xã", "Bí thư Chi bộ, Ban công tác MT thôn", "Lưu: MTTQ"]),
    # no dashes, signature text glued on with one space
    ("Nơi nhận: GIÁM ĐỐC\nNhư trên; (Đã ký và đóng dấu)\nThành ủy, HĐND, UBND thành phố; Lê Thị Bích Thuận\n"
     "Lưu: VT, CTrTT.\n",
     ["Như trên", "Thành ủy, HĐND, UBND thành phố", "Lưu: VT, CTrTT"]),
    # a note after the terminator stays with its entry
    ("Nơi nhận:\n- Bộ Dân tộc và Tôn giáo; *(để b/c)*\n- Lưu: VT.\n",
     ["Bộ Dân tộc và Tôn giáo; (để b/c)", "Lưu: VT"]),
]
# fmt: on


@pytest.mark.parametrize("text, expected", RECIPIENT_LISTS)
def test_recipient_lists(text: str, expected: list[str]) -> None:
    found = parse_recipients(split_lines(text), 0)
    assert [r.text for r in found.recipients] == expected
    for r in found.recipients:
        assert r.span[0] < r.span[1] <= len(text)


@pytest.mark.parametrize(
    "raw, entry",
    [
        ("- Như trên;", "Như trên"),
        ("– Lưu: VT, KGVX(3).", "Lưu: VT, KGVX(3)"),
        ("- Các đảng ủy trực thuộc,", "Các đảng ủy trực thuộc"),
        ("- Lưu VT, NN (03). Hg.", "Lưu VT, NN (03). Hg"),
    ],
)
def test_strip_entry(raw: str, entry: str) -> None:
    assert strip_entry(raw) == entry


DOC = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n\nBÁO CÁO\nKết quả năm 2025\n\n"
    "I. KẾT QUẢ\nĐã hoàn thành 1.500 hộ.\nII. PHƯƠNG HƯỚNG\nTiếp tục triển khai./.\n"
    "Nơi nhận:                                   TM. ỦY BAN NHÂN DÂN\n"
    "- Bộ Nội vụ;                                KT. CHỦ TỊCH\n"
    "- Lưu: VT, NC.                              PHÓ CHỦ TỊCH\n\n\n"
    "                                            Nguyễn Ngọc Phúc\n"
    "                         PHỤ LỤC\n         BIỂU TỔNG HỢP SỐ LIỆU\n(Kèm theo Báo cáo số 12/BC-UBND)\nSTT\tChỉ tiêu\n"
)


def test_closing_on_a_whole_document() -> None:
    doc = ingest_text(DOC)
    assert doc.text[: doc.body_span[1]].endswith("Tiếp tục triển khai./.")
    assert [r.text for r in doc.recipients] == ["Bộ Nội vụ", "Lưu: VT, NC"]
    sig = doc.signature
    assert sig is not None
    assert (sig.authority, sig.position, sig.signer) == (["TM", "KT"], "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc")
    assert doc.text[slice(*sig.signer_span)] == "Nguyễn Ngọc Phúc"
    assert [a.title for a in doc.appendices] == ["PHỤ LỤC BIỂU TỔNG HỢP SỐ LIỆU"]
    assert doc.appendices[0].span[0] >= doc.body_span[1]


def test_closing_without_label_reads_the_tail() -> None:
    doc = ingest_text(
        "Nội dung báo cáo.\nTrên đây là báo cáo./.\n                T/M. BCH HIỆP HỘI\n                   CHỦ TỊCH\n"
    )
    assert doc.signature is not None and doc.signature.authority == ["TM"]
    assert doc.text[: doc.body_span[1]].endswith("báo cáo./.")


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "Trên đây là báo cáo./.\n", "BAN CHẤP HÀNH ĐOÀN TRƯỜNG\nKHÓA XXI\n"]
)
def test_closing_absent(text: str) -> None:
    doc = ingest_text(text)
    assert doc.signature is None and doc.recipients == []
    assert doc.body_span is not None and doc.body_span[1] <= len(doc.text)


def _norm(s: str | None) -> str:
    return " ".join((s or "").split())


@pytest.mark.shared
def test_closing_accuracy_on_gold(gold: dict[str, dict], corpus_docs: dict) -> None:
    """Signer ≥ 90 % exact (None = None counts) and recipients micro-F1 ≥ 0.85 (exact after space collapse)."""
    ok = tp = fp = fn = 0
    for key, g in gold.items():
        doc = ingest(corpus_docs[key])
        sig = doc.signature
        ok += _norm(sig.signer if sig else None) == _norm(g["signer"])
        gr = Counter(_norm(x) for x in g["recipients"])
        pr = Counter(_norm(r.text) for r in doc.recipients)
        m = sum((gr & pr).values())
        tp, fp, fn = tp + m, fp + sum(pr.values()) - m, fn + sum(gr.values()) - m
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    assert ok / len(gold) >= 0.90
    assert 2 * p * r / max(p + r, 1e-9) >= 0.85
