"""Joining hard-wrapped lines into paragraphs."""

from __future__ import annotations

import pytest

from pipeline.ingest.repair.edit import apply_edits
from pipeline.ingest.repair.wrap import wrap_edits, wrap_width

W = 80


def _join(text: str, **kw) -> str:
    kw.setdefault("hard_wrapped", True)
    kw.setdefault("width", W)
    return apply_edits(text, wrap_edits(text, **kw))[0]


LONG = "Trong năm 2025, trước và sau khi sáp nhập tỉnh, Tỉnh ủy, Ủy ban nhân dân các"  # 76 chars

# fmt: off
@pytest.mark.parametrize(("raw", "expected"), [
    # a lower-case continuation
    ("      Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ\nvề xây dựng kế hoạch",
     "      Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ về xây dựng kế hoạch"),
    # a wrapped numbered heading: the previous line is full
    ("     1. Đánh giá về các hoạt động chỉ đạo, điều hành nổi bật của lãnh đạo\nTỉnh ủy, Ủy ban nhân dân tỉnh đối với công tác CCHC",
     "     1. Đánh giá về các hoạt động chỉ đạo, điều hành nổi bật của lãnh đạo Tỉnh ủy, Ủy ban nhân dân tỉnh đối với công tác CCHC"),
    # a digit that is not an item marker
    ("báo cáo kết quả thực hiện công tác cải cách hành chính (CCHC) năm\n2026 trên địa bàn tỉnh, như sau:",
     "báo cáo kết quả thực hiện công tác cải cách hành chính (CCHC) năm 2026 trên địa bàn tỉnh, như sau:"),
    # across a page break
    ("hỗ trợ địa phương cấp xã giải quyết khó khăn, vướng mắc trong thời gian\n\n\fđầu tổ chức hoạt động",
     "hỗ trợ địa phương cấp xã giải quyết khó khăn, vướng mắc trong thời gian đầu tổ chức hoạt động"),
    # a short line followed by a capital: a new paragraph
    ("Tỉnh ủy, Ủy ban nhân dân tỉnh đối với công tác CCHC\n        Trong năm 2025, trước",
     "Tỉnh ủy, Ủy ban nhân dân tỉnh đối với công tác CCHC\n        Trong năm 2025, trước"),
    # a sentence end, a lead-in, a blank line
    ("các ngành.\n      Ủy ban nhân dân", "các ngành.\n      Ủy ban nhân dân"),
    ("trên địa bàn tỉnh, như sau:\nvề công tác", "trên địa bàn tỉnh, như sau:\nvề công tác"),
    ("một đoạn văn không kết thúc\n\nmột đoạn khác", "một đoạn văn không kết thúc\n\nmột đoạn khác"),
    # new items
    (LONG + "\na) Trong tháng 8", LONG + "\na) Trong tháng 8"),
    (LONG + "\n- Thực hiện", LONG + "\n- Thực hiện"),
    (LONG + "\n1.1. Xây dựng", LONG + "\n1.1. Xây dựng"),
    (LONG + "\nII. KẾT QUẢ", LONG + "\nII. KẾT QUẢ"),
    (LONG + "\nĐiều 2. Hiệu lực", LONG + "\nĐiều 2. Hiệu lực"),
    (LONG + "\nKính gửi: Sở Nội vụ", LONG + "\nKính gửi: Sở Nội vụ"),
    (LONG + "\n(1) phường Xuân Hương", LONG + "\n(1) phường Xuân Hương"),
    # header lines: column gaps, upper case
    ("       ỦY BAN NHÂN DÂN                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n        TỈNH LÂM ĐỒNG",
     "       ỦY BAN NHÂN DÂN                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n        TỈNH LÂM ĐỒNG"),
    ("ỦY BAN NHÂN DÂN\nthành phố", "ỦY BAN NHÂN DÂN\nthành phố"),
    ("STT\tNội dung công việc\nthực hiện", "STT\tNội dung công việc\nthực hiện"),
    # the signature block
    (" Nơi nhận:                                         KT. CHỦ TỊCH\n - Bộ Nội vụ;\n - Thường trực Tỉnh ủy;\n Lưu: VT, NC.Châu\nNguyễn Ngọc Phúc",
     " Nơi nhận:                                         KT. CHỦ TỊCH\n - Bộ Nội vụ;\n - Thường trực Tỉnh ủy;\n Lưu: VT, NC.Châu\nNguyễn Ngọc Phúc"),
    ("Số:\n1594/QĐ-TTPVHCC", "Số: 1594/QĐ-TTPVHCC"),
    ("", ""),
])
# fmt: on
def test_wrap_edits(raw, expected):
    assert _join(raw) == expected


def test_flat_blocks_join_any_wrapped_line():
    # web Markdown: no paragraph indents, blank lines between paragraphs
    body = "Để tiếp tục thực hiện nghiêm\nChỉ thị số 05/CT-TTg ngày 18/5/2022 của Thủ tướng Chính phủ\n\n"
    text = body * 30
    out = _join(text, width=None)
    assert out.count("Để tiếp tục thực hiện nghiêm Chỉ thị số 05/CT-TTg") == 30


def test_unwrapped_text_is_left_alone():
    # one paragraph per line (Word): line lengths spread widely
    paras = [("Câu " + "rất dài " * (7 * k)).strip() + " và" for k in range(1, 40)]
    text = "\n".join(paras)
    assert wrap_width(text) is None
    assert apply_edits(text, wrap_edits(text))[0] == text
    assert wrap_edits("a\nb", hard_wrapped=False) == []


def test_wrap_width_of_a_wrapped_text():
    line = "chỉ đạo các sở, ban, ngành, địa phương tập trung triển khai kịp thời, đồng"
    assert wrap_width("\n".join([line] * 20)) in range(len(line), len(line) + 11)
