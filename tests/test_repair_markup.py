"""Markdown and HTML artefacts of web copies."""

from __future__ import annotations

import pytest

from pipeline.ingest.repair import repair
from pipeline.ingest.repair.edit import apply_edits
from pipeline.ingest.repair.markup import detect_markdown, markdown_edits


def _strip(text: str) -> str:
    return apply_edits(text, markdown_edits(text))[0]


# fmt: off
@pytest.mark.parametrize(("raw", "expected"), [
    ("**BÁO CÁO**", "BÁO CÁO"),
    ("**Điều 1. **Phê duyệt", "Điều 1. Phê duyệt"),
    ("*Quảng Trị, ngày 25 tháng 11 năm 2025*", "Quảng Trị, ngày 25 tháng 11 năm 2025"),
    ("**ỦY BAN NHÂN DÂN\n**\nTỈNH QUẢNG TRỊ", "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ"),  # a markup-only line goes
    ("Văn bản *số 794*/SDTTG-VP", "Văn bản số 794/SDTTG-VP"),
    ("ngày 16/6/2025; *", "ngày 16/6/2025; "),
    ("__Kết quả__ đạt được", "Kết quả đạt được"),
    ("Số 12/BC\\-UBND\\.", "Số 12/BC-UBND."),
    ("\\*", "*"),
    ("# NGHỊ QUYẾT", "NGHỊ QUYẾT"),
    ("### 1. Nâng cao nhận thức", "1. Nâng cao nhận thức"),
    ("| TT | Chỉ tiêu | Đơn vị |", "TT\tChỉ tiêu\tĐơn vị"),
    ("| --- | ------ | --- |\n| 1 | Tiềm lực |  |", "1\tTiềm lực\t"),
    ("|\nTT\n|\nHọ và Tên\n|", "\nTT\n\nHọ và Tên\n"),                              # one cell per line
    ("Dòng một<br>dòng hai &amp; ba&nbsp;bốn", "Dòng một\ndòng hai & ba bốn"),
    ("xem [Nghị định 30](https://x.vn/nd30) và <b>Điều 5</b>", "xem Nghị định 30 và Điều 5"),
    ("* mục một\n- mục hai", "* mục một\n- mục hai"),                                  # a bullet stays
    ("2 * 3 = 6", "2 * 3 = 6"),
    ("______ | |", "______ | |"),
    ("", ""),
])
# fmt: on
def test_markdown_edits(raw, expected):
    assert _strip(raw) == expected


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("**ỦY BAN NHÂN DÂN**\n**TỈNH QUẢNG TRỊ**\n\n**CHỈ THỊ**", True),
    ("# NGHỊ QUYẾT\n## Ban hành Chương trình hành động\n", True),
    ("| TT | Chỉ tiêu |\n| --- | --- |\n| 1 | x |\n**I**", True),
    ("ỦY BAN NHÂN DÂN\nSố: 15/2010/QĐ-UBND   |Hà Nội, ngày 26 tháng 04 năm 2010|\n| | |", False),
    ("Tỷ lệ 2 * 3 và R&D", False),
    ("", False),
])
# fmt: on
def test_detect_markdown(text, expected):
    assert detect_markdown(text) is expected


def test_repair_uses_the_markup_hint():
    raw = "*Hà Nội, ngày 20 tháng 11 năm 2025*"
    assert repair(raw).text == raw  # one pair of stars is not evidence enough
    assert repair(raw, hints={"markup": "markdown"}).text == "Hà Nội, ngày 20 tháng 11 năm 2025"


def test_words_keep_their_offsets():
    raw = "**Điều 1.** Phê duyệt\\-ban hành"
    fixed = repair(raw, hints={"markup": "markdown"})
    for word in ("Điều", "Phê", "-ban"):
        i = fixed.text.index(word)
        r = fixed.offsets.to_raw(i)
        assert raw[r : r + len(word)] == word or raw[r] == "\\"
