"""Page numbers and running headers/footers at form-feed page breaks."""

from __future__ import annotations

import pytest

from pipeline.ingest.repair.edit import apply_edits
from pipeline.ingest.repair.furniture import furniture_edits


def _clean(text: str) -> str:
    return apply_edits(text, furniture_edits(text))[0]


def _pages(tops: list[str]) -> str:
    return "Trang 1.\n" + "".join(f"\f{top}\nNội dung trang {k + 2}.\n" for k, top in enumerate(tops))


# fmt: off
@pytest.mark.parametrize(("raw", "expected"), [
    (_pages(["      2", "      3", "      4"]), _pages(["", "", ""]).replace("\f\n", "\f")),
    (_pages(["  - 2 -"]), "Trang 1.\n\fNội dung trang 2.\n"),           # conclusive form
    (_pages(["Trang 2", "Trang 3/3"]), "Trang 1.\n\fNội dung trang 2.\n\fNội dung trang 3.\n"),
    (_pages(["     2/35"]), "Trang 1.\n\fNội dung trang 2.\n"),
    (_pages(["      12", "      13", "      14"]), _pages(["", "", ""]).replace("\f\n", "\f")),  # booklet pages 11-
    ("Trang một.\n\n     1\n\fTrang hai.\n\n     2\n\fTrang ba.\n", "Trang một.\n\n\fTrang hai.\n\n\fTrang ba.\n"),
    # a lone number that no other page supports is kept (a footnote label, a table cell)
    (_pages(["      7"]) + "\fCuối.\n", _pages(["      7"]) + "\fCuối.\n"),
    ("Không có ngắt trang\n2\n", "Không có ngắt trang\n2\n"),
    ("", ""),
])
# fmt: on
def test_page_numbers(raw, expected):
    assert _clean(raw) == expected


def test_running_footer_is_removed_but_repeated_table_cells_are_kept():
    footer = "Tài liệu này thuộc sở hữu của các cơ quan Đảng."
    pages = [f"Đoạn văn {i}.\nTT      Nội dung      Kết quả\n\n{footer}" for i in range(5)]
    text = "\f".join(pages)
    out = _clean(text)
    assert footer not in out
    assert out.count("TT      Nội dung      Kết quả") == 5
    assert out.count("\f") == 4
