"""Shared pieces for the regex extractors: Vietnamese character classes, numbers, dates, roman numerals.

Everything here works on NFC text (ingest normalises once) and keeps diacritics.

>>> parse_vn_number("1.234,5")
1234.5
>>> roman_to_int("IV")
4
"""

from __future__ import annotations

import datetime as dt
import re

# Character classes (contents of a ``[...]``), upper and lower case letters with every diacritic.
UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LO = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
LETTER = UP + LO
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212"
HY = f"[{HYPHENS}]"  # hyphen and the dashes that word processors substitute for it
YEAR = r"(?:19|20)\d{2}"
# A number as printed in Vietnamese: ``.`` groups thousands, ``,`` marks decimals (``1.234,5``).
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"

_UPPER_SET = frozenset(chr(c) for c in range(0x41, 0x5B)) | frozenset("ĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ")

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def is_upper_letter(ch: str) -> bool:
    """True for an upper-case Vietnamese letter (``Đ``, ``Ấ`` …)."""
    return ch in _UPPER_SET


def normalize_dashes(text: str) -> str:
    """Replace every dash variant by ``-`` (same length, so offsets still hold)."""
    return re.sub(HY, "-", text)


def parse_vn_number(text: str) -> float | None:
    """The value of a number printed the Vietnamese way, or ``None``.

    ``.`` separates thousands and ``,`` decimals; a text that can only be read the English way
    (``1,234.5``) is read that way.

    >>> parse_vn_number("3.200"), parse_vn_number("1,5"), parse_vn_number("98,50")
    (3200.0, 1.5, 98.5)
    """
    s = text.strip().replace(" ", "")
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit():
        return None
    if "," in s and "." in s and s.rfind(",") < s.rfind("."):
        s = s.replace(",", "")  # English: 1,234.5
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif s.count(".") == 1 and "," not in s:
        pass  # "1.5" is a decimal point typed the English way; "1.500" was handled above
    else:
        s = s.replace(".", "").replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def roman_to_int(text: str) -> int | None:
    """``"IV"`` → 4; ``None`` when ``text`` is not a well-formed roman numeral."""
    s = text.strip().upper()
    if not s or not re.fullmatch(ROMAN, s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def small_int(text: str) -> int | None:
    """An arabic or roman numeral, or a spelled-out digit (``ba``, ``sáu``, ``chín``)."""
    s = text.strip()
    if s.isdigit():
        return int(s)
    words = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
    if s.lower() in words:
        return words[s.lower()]
    return roman_to_int(s)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or ``None`` when the parts do not make one (``31/2``)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def expand_year(y: str) -> int:
    """``"24"`` → 2024, ``"2024"`` → 2024 (two-digit years are read in 1950–2049)."""
    n = int(y)
    if len(y) <= 2:
        return 2000 + n if n < 50 else 1900 + n
    return n


def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month``."""
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def shift_years(d: dt.date, years: int) -> dt.date:
    """``d`` moved by whole years; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def fold_space(text: str) -> str:
    """Runs of white space (line breaks included) as one space."""
    return re.sub(r"\s+", " ", text).strip()
