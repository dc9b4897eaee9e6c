"""Figures: counts, percentages, ratios, money, plan and comparisons; what is not a figure."""

from __future__ import annotations

import pytest

from pipeline.nlp.metrics import find_metrics
from pipeline.nlp.vntext import parse_vn_number, roman_to_int


# fmt: off
@pytest.mark.parametrize("text, expected", [
    ("Tổ chức 45 hội nghị tuyên truyền",      [("count", 45.0, "hội nghị", "45 hội nghị")]),
    ("thu hút 3.200 lượt người tham dự",      [("count", 3200.0, "lượt người", "3.200 lượt người")]),
    ("kinh phí 1,5 tỷ đồng",                  [("money", 1.5e9, "đồng", "1,5 tỷ đồng")]),
    ("tổng thu 1.200 tỷ, vượt dự toán",       [("money", 1.2e12, "đồng", "1.200 tỷ")]),
    ("giải ngân 250 triệu đồng",              [("money", 2.5e8, "đồng", "250 triệu đồng")]),
    ("hỗ trợ 2 triệu lượt người",             [("count", 2e6, "lượt người", "2 triệu lượt người")]),
    ("tỷ lệ hồ sơ đúng hạn đạt 98,5%",        [("percent", 98.5, "%", "98,5%")]),
    ("đạt 102% kế hoạch",                     [("percent", 102.0, "%", "102% kế hoạch")]),
    ("giải quyết 45/50 đơn",                  [("ratio", 45.0, "đơn", "45/50")]),
    ("đạt 45/50",                             [("ratio", 45.0, None, "45/50")]),
    ("doanh thu tăng 12% so với cùng kỳ",     [("comparison", 12.0, "%", "tăng 12% so với cùng kỳ")]),
    ("giảm 3 vụ so với năm 2023",             [("comparison", 3.0, "vụ", "giảm 3 vụ so với năm 2023")]),
    ("có 1.932 cây cần sa",                   [("count", 1932.0, "cây", "1.932 cây")]),
])
# fmt: on
def test_metrics_values(text: str, expected: list[tuple]) -> None:
    got = [(m["kind"], m["value"], m["unit"], m["text"]) for m in find_metrics(text)]
    assert got == expected


# fmt: off
@pytest.mark.parametrize("text", [
    "theo Điều 5 Luật Tổ chức",
    "Quyết định số 787/QĐ-UBND ngày 21/8/2025",
    "Nghị định 13/2023/NĐ-CP",
    "trong năm 2023 và tháng 9/2026",
    "khoản 2 Điều 3",
    "1. Kết quả đạt được",
    "2.1. Công tác tuyên truyền",
    "Đề án 06 của Chính phủ",
    "",
])
# fmt: on
def test_metrics_not_figures(text: str) -> None:
    assert find_metrics(text) == []


def test_metrics_measure_direction_baseline() -> None:
    m = find_metrics("tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%")[0]
    assert m["measure"] == "tỷ lệ hồ sơ giải quyết đúng hạn"
    c = find_metrics("Số người nghiện giảm 198 người so với năm 2021 (5366/5564)")
    assert (c[0]["kind"], c[0]["direction"], c[0]["baseline"]) == ("comparison", "down", "năm 2021")
    assert (c[1]["kind"], c[1]["value"], c[1]["total"]) == ("ratio", 5366.0, 5564.0)
    up = find_metrics("doanh thu tăng 12% so với cùng kỳ")[0]
    assert (up["direction"], up["baseline"], up["measure"]) == ("up", "cùng kỳ", "doanh thu")
    p = find_metrics("đạt 100% chỉ tiêu")[0]
    assert p["baseline"] == "chỉ tiêu"


def test_metrics_spans_are_absolute() -> None:
    text = "Mở đầu. Đã tổ chức 12 cuộc họp."
    m = find_metrics(text, start=8)[0]
    assert text[m["span"][0] : m["span"][1]] == m["text"] == "12 cuộc"


# fmt: off
@pytest.mark.parametrize("text, value", [
    ("1.234,5", 1234.5), ("3.200", 3200.0), ("1,5", 1.5), ("98,50", 98.5), ("12", 12.0),
    ("1,234.5", 1234.5), ("1.5", 1.5), ("", None), ("abc", None), ("8.922.249", 8922249.0),
])
# fmt: on
def test_vntext_parse_vn_number(text: str, value: float | None) -> None:
    assert parse_vn_number(text) == value


@pytest.mark.parametrize("text, value", [("IV", 4), ("XXII", 22), ("ix", 9), ("IIII", None), ("", None)])
def test_vntext_roman_to_int(text: str, value: int | None) -> None:
    assert roman_to_int(text) == value
