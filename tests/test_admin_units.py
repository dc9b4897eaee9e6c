"""Administrative units before and after 2025-07-01 (underthesea's mapping)."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.nlp import admin_units as au

# fmt: off
PROVINCES = [
    ("Bình Phước", "Bình Phước"),
    ("tỉnh Bình Phước", "Bình Phước"),
    ("TỈNH LÂM ĐỒNG", "Lâm Đồng"),
    ("Đăk Nông", "Đắk Nông"),            # spelling variant
    ("Khánh Hoà", "Khánh Hòa"),          # old tone placement
    ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("thành phố Hà Nội", "Hà Nội"),
    ("Thừa Thiên Huế", "Huế"),
    (unicodedata.normalize("NFD", "Quảng Trị"), "Quảng Trị"),
    ("Lương Minh", None),                 # a commune, not a province
    ("", None),
    ("   ", None),
]

SUCCESSORS = [
    ("Bình Phước", "Đồng Nai"),
    ("Đắk Nông", "Lâm Đồng"),
    ("Bình Thuận", "Lâm Đồng"),
    ("Bình Dương", "Hồ Chí Minh"),
    ("Hải Dương", "Hải Phòng"),
    ("Quảng Bình", "Quảng Trị"),
    ("Hà Nội", None),      # unchanged
    ("Đồng Nai", None),    # absorbed Bình Phước, kept its name
    ("Lâm Đồng", None),
]

DISTRICTS = [
    ("Thủ Dầu Một", "Bình Dương"),
    ("thành phố Thủ Dầu Một", "Bình Dương"),
    ("Lệ Thuỷ", "Quảng Bình"),
    ("huyện Lệ Thủy", "Quảng Bình"),
]
# fmt: on


@pytest.mark.parametrize(("name", "short"), PROVINCES)
def test_admin_units_province(name: str, short: str | None) -> None:
    p = au.province(name)
    assert (p.short if p else None) == short


@pytest.mark.parametrize(("name", "successor"), SUCCESSORS)
def test_admin_units_successor_province(name: str, successor: str | None) -> None:
    s = au.successor_province(name)
    assert (s.short if s else None) == successor


@pytest.mark.parametrize(("name", "province"), DISTRICTS)
def test_admin_units_province_of_district(name: str, province: str) -> None:
    p = au.province_of_district(name)
    assert p is not None and p.short == province


def test_admin_units_styled_name() -> None:
    assert au.province("Bình Phước").styled == "tỉnh Bình Phước"
    assert au.province("Hà Nội").styled == "thành phố Hà Nội"


def test_admin_units_successor_commune() -> None:
    # a ward split in several: the mapping's default successor is given
    assert au.successor_commune("xã Tân Thạnh", "Cần Thơ", "Thới Lai") == "Xã Trường Thành"
    assert au.successor_commune("xã Không Có", "Cần Thơ") is None
    assert au.successor_commune("xã Tân Thạnh", "Không Có") is None


def test_admin_units_counts() -> None:
    names = au.all_province_names()
    assert "Bình Phước" in names and "Đồng Nai" in names
    assert len(names) == 63  # the 34 new units all carry an old name
