"""Finding units: sentences, bullets and ``;``-clauses with absolute spans."""

from __future__ import annotations

import pytest

from pipeline.model import Document, Source
from pipeline.nlp.units import block_marker, outline, segment, split_sentences


def _doc(text: str) -> Document:
    return Document(source=Source(path="<t>", sha256="0" * 64, format="txt"), text=text, body_span=(0, len(text)))


def _units(text: str) -> list[str]:
    return [u.text for u in segment(_doc(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers with dots and commas do not end a sentence
        (
            "Toàn tỉnh có 3.500 doanh nghiệp thành lập mới. Vốn đăng ký đạt 18.000 tỷ đồng.",
            ["Toàn tỉnh có 3.500 doanh nghiệp thành lập mới.", "Vốn đăng ký đạt 18.000 tỷ đồng."],
        ),
        # abbreviations: TP., Đ/c.
        (
            "Đoàn công tác làm việc tại TP. Hồ Chí Minh trong 02 ngày. Kết quả được đánh giá cao.",
            ["Đoàn công tác làm việc tại TP. Hồ Chí Minh trong 02 ngày.", "Kết quả được đánh giá cao."],
        ),
        # a sentence listing separate points splits into ;-clauses
        (
            "Tỷ lệ hồ sơ đúng hạn đạt 99,1%; còn 0,9% hồ sơ trễ hạn do thiếu nhân lực.",
            ["Tỷ lệ hồ sơ đúng hạn đạt 99,1%", "còn 0,9% hồ sơ trễ hạn do thiếu nhân lực."],
        ),
        # a ; inside brackets does not split
        (
            "Đã ban hành 12 văn bản (gồm 05 kế hoạch; 07 công văn) chỉ đạo kịp thời.",
            ["Đã ban hành 12 văn bản (gồm 05 kế hoạch; 07 công văn) chỉ đạo kịp thời."],
        ),
        # bullets, and the lead-in ending in ':' is not a unit
        (
            "Kết quả cụ thể như sau:\n- Thành lập 14 cơ quan chuyên môn thuộc UBND tỉnh.\n+ Sắp xếp 57 đơn vị sự nghiệp công lập.\n",
            ["Thành lập 14 cơ quan chuyên môn thuộc UBND tỉnh.", "Sắp xếp 57 đơn vị sự nghiệp công lập."],
        ),
        # ordinal markers are left out of the text
        (
            "Một là, công tác tuyên truyền được đẩy mạnh.\nHai là, chất lượng đội ngũ cán bộ còn hạn chế.\n",
            ["công tác tuyên truyền được đẩy mạnh.", "chất lượng đội ngũ cán bộ còn hạn chế."],
        ),
        (
            "Nội dung chủ yếu: (1) Phân tích những thay đổi của bộ chỉ số; (2) Đề xuất giải pháp cụ thể cho năm 2026.",
            ["Phân tích những thay đổi của bộ chỉ số", "Đề xuất giải pháp cụ thể cho năm 2026."],
        ),
        # headings are not units
        (
            "II. HẠN CHẾ, TỒN TẠI\n1. Về cải cách thủ tục hành chính\na) Tỷ lệ số hóa hồ sơ còn thấp, chưa đạt chỉ tiêu.\n",
            ["Tỷ lệ số hóa hồ sơ còn thấp, chưa đạt chỉ tiêu."],
        ),
        # a hard-wrapped paragraph is joined; a short last line ends it
        (
            "Công tác kiểm tra cải cách hành chính được triển khai nghiêm túc, toàn diện tại\n"
            "42/42 cơ quan, đơn vị, địa phương trên địa bàn toàn tỉnh trong năm vừa qua và\n"
            "đạt kết quả tốt\n"
            "Việc khắc phục sau kiểm tra còn chậm ở một số đơn vị cấp xã mới thành lập.\n",
            [
                "Công tác kiểm tra cải cách hành chính được triển khai nghiêm túc, toàn diện tại 42/42 cơ quan, "
                "đơn vị, địa phương trên địa bàn toàn tỉnh trong năm vừa qua và đạt kết quả tốt",
                "Việc khắc phục sau kiểm tra còn chậm ở một số đơn vị cấp xã mới thành lập.",
            ],
        ),
    ],
)
def test_segment(text: str, expected: list[str]) -> None:
    assert _units(text) == expected


def test_spans_are_absolute_and_cover_the_text() -> None:
    text = "I. KẾT QUẢ\n- Đạt 98,5% kế hoạch; vượt 2% so với cùng kỳ.\n"
    doc = _doc(text)
    for u in segment(doc):
        assert " ".join(text[u.span[0] : u.span[1]].split()) == u.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("   II. KẾT QUẢ THỰC HIỆN", "roman"),
        ("1.2. Đánh giá kết quả", "decimal2"),
        ("PHẦN THỨ HAI", "phan"),
        ("a) Nguyên nhân khách quan", "alpha"),
        ("- Thành lập 14 cơ quan", "bullet"),
        ("Một là, công tác tuyên truyền", "ordinal"),
        ("(2) Phấn đấu nâng cao", "paren"),
        ("3.500 doanh nghiệp", None),
        ("2025 và các năm sau", None),
        ("12 doanh nghiệp nộp hồ sơ", None),
    ],
)
def test_block_marker(line: str, kind: str | None) -> None:
    m = block_marker(line)
    assert (m[0] if m else None) == kind


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Năm 2025. Tỉnh đạt 5%.", ["Năm 2025.", "Tỉnh đạt 5%."]),
        ("Ông Nguyễn V. An phụ trách.", ["Ông Nguyễn V. An phụ trách."]),
        ("Kết quả như sau: Tỉnh xếp hạng 19/63.", ["Kết quả như sau:", "Tỉnh xếp hạng 19/63."]),
        ("Thời gian: 8 giờ 30 phút.", ["Thời gian: 8 giờ 30 phút."]),
    ],
)
def test_split_sentences(text: str, pieces: list[str]) -> None:
    assert [text[a:b] for a, b, _ in split_sentences(text, 0, len(text))] == pieces


def test_outline_levels_and_units_sections() -> None:
    text = (
        "Thực hiện Kế hoạch số 12/KH-UBND, Ủy ban nhân dân huyện báo cáo kết quả như sau đây nhé.\n"
        "I. KẾT QUẢ THỰC HIỆN\n"
        "1. Ưu điểm\n"
        "- Hoàn thành 100% chỉ tiêu được giao.\n"
        "2. Hạn chế\n"
        "- Việc số hóa hồ sơ còn chậm.\n"
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ\n"
        "- Tiếp tục đẩy mạnh chuyển đổi số.\n"
    )
    secs = outline(text)
    assert [(s.level, s.number) for s in secs] == [(1, "I"), (2, "1"), (2, "2"), (1, "II")]
    assert secs[1].parent == secs[0].id
    units = segment(_doc(text), sections=secs)
    by_text = {u.text: secs[u.section].heading for u in units if u.section is not None}
    assert by_text["Việc số hóa hồ sơ còn chậm."] == "Hạn chế"
    assert by_text["Tiếp tục đẩy mạnh chuyển đổi số."] == "PHƯƠNG HƯỚNG, NHIỆM VỤ"
