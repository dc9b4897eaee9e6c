"""Number-and-symbol parsing (pipeline.ingest.numbers) and the type lexicon (doctypes)."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.ingest.doctypes import codes_for, fold, match_type_line, type_code
from pipeline.ingest.numbers import match_number, parse_number

# fmt: off
NUMBERS = [
    # text as printed,                         normalised text,               seq,      year, type,  issuers,                            style
    ("Số: 329      /BC-UBND",                  "329/BC-UBND",                 "329",    None, "BC",  ["UBND"],                           "state"),
    ("Số: 12 / BC – UBND",                     "12/BC-UBND",                  "12",     None, "BC",  ["UBND"],                           "state"),
    ("Số: 1967/UBND-HCC",                      "1967/UBND-HCC",               "1967",   None, None,  ["UBND"],                           "state"),
    ("Số: 1906 /SGDĐT-CTrTT",                  "1906/SGDĐT-CTrTT",            "1906",   None, None,  ["SGDĐT"],                          "state"),
    ("Số: 02/TTLT-BNV-VPCP",                   "02/TTLT-BNV-VPCP",            "02",     None, "TTLT", ["BNV", "VPCP"],                   "state"),
    ("Số: 06/2024/QĐ-UBND",                    "06/2024/QĐ-UBND",             "06",     2024, "QĐ",  ["UBND"],                           "normative"),
    ("Số:\n73/2025/NQ-HĐND",                   "73/2025/NQ-HĐND",             "73",     2025, "NQ",  ["HĐND"],                           "normative"),
    ("Luật số 72/2025/QH15",                   "72/2025/QH15",                "72",     2025, None,  ["QH15"],                           "normative"),
    ("Số:          /BC-BCĐ",                   "/BC-BCĐ",                     None,     None, "BC",  ["BCĐ"],                            "state"),
    ("Số:……../BC-K4",                          "/BC-K4",                      None,     None, "BC",  ["K4"],                             "state"),
    ("Số: 12/QĐ-\n  UBND",                     "12/QĐ-UBND",                  "12",     None, "QĐ",  ["UBND"],                           "state"),
    ("**Số: 15/2010/QĐ-UBND**",                "15/2010/QĐ-UBND",             "15",     2010, "QĐ",  ["UBND"],                           "normative"),
    ("M8/BC-HĐND",                             "M8/BC-HĐND",                  "M8",     None, "BC",  ["HĐND"],                           "state"),
    ("Số: 133-12/PT-NC",                       "133-12/PT-NC",                "133-12", None, None,  ["PT"],                             "state"),
    ("SỐ: 010/CT-UBND",                        "010/CT-UBND",                 "010",    None, "CT",  ["UBND"],                           "state"),
    ("Số 904-CV/BTGTU",                        "904-CV/BTGTU",                "904",    None, "CV",  ["BTGTU"],                          "party"),
    ("Số 38 - HD/BTCTW",                       "38-HD/BTCTW",                 "38",     None, "HD",  ["BTCTW"],                          "party"),
    ("Số: 08-QĐi/TW",                          "08-QĐi/TW",                   "08",     None, "QĐi", ["TW"],                             "party"),
    ("Số    -NQ/ĐU",                           "-NQ/ĐU",                      None,     None, "NQ",  ["ĐU"],                             "party"),
    ("Số 01-CTPH/BTG-HĐND-UBND-TA-VKS",        "01-CTPH/BTG-HĐND-UBND-TA-VKS", "01",    None, "CTPH", ["BTG", "HĐND", "UBND", "TA", "VKS"], "party"),
    (unicodedata.normalize("NFC", "Số 125-BC/TU"), "125-BC/TU",              "125",    None, "BC",  ["TU"],                             "party"),
]
# fmt: on


@pytest.mark.parametrize("text,norm,seq,year,type_,issuers,style", NUMBERS)
def test_numbers_parse(text, norm, seq, year, type_, issuers, style):
    n = parse_number(text)
    assert n is not None
    assert (n.text, n.seq, n.year, n.type, n.issuers, n.style) == (norm, seq, year, type_, issuers, style)


@pytest.mark.parametrize(
    "text",
    [
        "Số liệu báo cáo tính từ ngày 15/12/2022",
        "Số hiệu: đang cập nhật",
        "",
        "   ",
        "Số:",
        "Báo cáo số liệu",
    ],
)
def test_numbers_reject(text):
    assert parse_number(text) is None


def test_numbers_span_points_at_the_number():
    text = "   Số: 329      /BC-UBND      Lâm Đồng, ngày 19 tháng 12 năm 2025"
    n = match_number(text)
    assert n is not None and n.span is not None
    assert text[n.span[0] : n.span[1]] == "329      /BC-UBND"


def test_numbers_match_needs_the_label():
    # a bare cited number is not a header number
    assert match_number("Thực hiện Công văn 4625/BNV-CCHC ngày 02/7/2025") is None


# fmt: off
TYPE_LINES = [
    ("BÁO CÁO",            ("BÁO CÁO", "BC", "")),
    ("BÁO CÁO TÓM TẮT",    ("BÁO CÁO", "BC", "TÓM TẮT")),
    ("KẾ HOẠCH",           ("KẾ HOẠCH", "KH", "")),
    ("Kế hoạch",           ("KẾ HOẠCH", "KH", "")),
    ("TỜ TRÌNH",           ("TỜ TRÌNH", "TTr", "")),
    ("QUYẾT  ĐỊNH",        ("QUYẾT ĐỊNH", "QĐ", "")),
    ("BẢN THOẢ THUẬN",     ("BẢN THỎA THUẬN", "BTT", "")),
    ("VĂN KIỆN",           ("VĂN KIỆN", None, "")),
    ("CỘNG HÒA XÃ HỘI",    None),
    ("",                   None),
]
# fmt: on


@pytest.mark.parametrize("line,expected", TYPE_LINES)
def test_doctypes_match_type_line(line, expected):
    assert match_type_line(line) == expected


@pytest.mark.parametrize(
    "name,system,code",
    [
        ("BÁO CÁO", None, "BC"),
        ("QUY ĐỊNH", "state", "QyĐ"),
        ("QUY ĐỊNH", "party", "QĐ"),
        ("THÔNG TRI", "party", "TT"),
        ("CHƯƠNG TRÌNH", "state", "CTr"),
        ("PHIẾU TRÌNH", None, None),
        ("KHÔNG CÓ", None, None),
    ],
)
def test_doctypes_type_code(name, system, code):
    assert type_code(name, system=system) == code


def test_doctypes_codes_for_quy_dinh_accepts_both_party_codes():
    assert {"QĐ", "QĐi", "QyĐ"} <= codes_for("QUY ĐỊNH")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Uỷ ban nhân dân", "ỦY BAN NHÂN DÂN"),
        ("Cộng hoà", "CỘNG HÒA"),
        ("ĐOÀN GIÁM SÁT", "ĐOÀN GIÁM SÁT"),
        ("Thuỷ  lợi", "THỦY LỢI"),
        (unicodedata.normalize("NFD", "Hòa"), "HÒA"),
    ],
)
def test_doctypes_fold(text, expected):
    assert fold(text) == expected
