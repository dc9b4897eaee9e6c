"""People named in a text, with their titles; place and body names that look like names are left out."""

from __future__ import annotations

import pytest

from pipeline.nlp.persons import find_persons


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh chủ trì",
     [("Nguyễn Văn An", "Phó Chủ tịch UBND tỉnh")]),
    ("Phó Chủ tịch UBND tỉnh Trần Hồng Thái dự họp",
     [("Trần Hồng Thái", "Phó Chủ tịch UBND tỉnh")]),
    ("Kết luận của đồng chí Nguyễn Ngọc Phúc - Tỉnh ủy viên, Phó Chủ tịch Ủy ban nhân dân tỉnh tại Hội nghị",
     [("Nguyễn Ngọc Phúc", "Tỉnh ủy viên, Phó Chủ tịch Ủy ban nhân dân tỉnh")]),
    ("bà Trần Thị Bích Ngọc (Giám đốc Sở Nội vụ)", [("Trần Thị Bích Ngọc", "Giám đốc Sở Nội vụ")]),
    ("Ông Nguyễn Mạnh Cường - Phó Giám đốc", [("Nguyễn Mạnh Cường", "Phó Giám đốc")]),
    ("Đ/c Y Thanh Hà Niê Kđăm phát biểu", [("Y Thanh Hà Niê Kđăm", None)]),          # no common surname, cue
    ("PHÓ CHỦ TỊCH\n\n\nHồ Văn Mười\n", [("Hồ Văn Mười", None)]),                    # signature name
    ("Thứ trưởng Nguyễn Văn Hồi (để b/c)", [("Nguyễn Văn Hồi", "Thứ trưởng")]),
])
# fmt: on
def test_persons_found(text: str, expected: list[tuple]) -> None:
    assert [(p["text"], p["title"]) for p in find_persons(text)] == expected


# fmt: off
@pytest.mark.parametrize("text", [
    "trên địa bàn tỉnh Lâm Đồng",
    "Thành phố Hồ Chí Minh",
    "học tập tư tưởng Hồ Chí Minh",
    "trụ sở tại đường Lê Lợi",
    "Ban Chấp hành Đoàn Thanh niên",
    "thành phố Phan Thiết",
    "Hà Nội, ngày 05 tháng 01 năm 2020",
    "Đồng chí Phó Bí thư Tỉnh ủy",
    "",
])
# fmt: on
def test_persons_not_names(text: str) -> None:
    assert find_persons(text) == []


def test_persons_spans_are_absolute() -> None:
    text = "Mở đầu. Đồng chí Lê Minh Khoa, Giám đốc Sở Tài chính"
    p = find_persons(text, start=8)[0]
    assert text[p["span"][0] : p["span"][1]] == p["text"] == "Lê Minh Khoa"
