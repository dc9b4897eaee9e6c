"""The place-and-date line of a header (ô 4): ``Lâm Đồng, ngày 19 tháng 12 năm 2025``.

Drafts leave blanks (``ngày     tháng 8 năm 2025``): the ISO value keeps what is filled,
``2025-08`` or ``2025``.  Layout extraction may wrap the line (``Quảng Trị, ngày`` /
``25 tháng 11 năm 2025``) and glue words (``ngày22``); some writers use ``ngày 13/4/2023`` or
a month in words (``tháng bốn``).

>>> d = find_place_date("Lâm Đồng, ngày 05 tháng 11 năm 2025")
>>> (d.place, d.iso)
('Lâm Đồng', '2025-11-05')
>>> find_place_date("Bình Phước, ngày     tháng 4 năm 2024").iso
'2024-04'
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from pipeline.ingest.numbers import LO, UP

_MONTH_WORDS = {
    "giêng": 1,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "chạp": 12,
}
_MONTH_WORD = "|".join(sorted((re.escape(w) for w in _MONTH_WORDS), key=len, reverse=True))
_BLANK = r"[ \t.…_]*"  # what a draft prints instead of a number
_SP = r"\s*"  # a line may wrap anywhere between the words

# A place: one to seven words on one line, the first capitalised ("Hà Nội", "TP. Hồ Chí Minh",
# "Phường 1", "Buôn Ma Thuột").
PLACE = rf"[{UP}][{UP}{LO}.’'\-]*(?:[ \u00a0](?:[{UP}{LO}0-9][{UP}{LO}0-9.’'\-]*|\([{LO}]+\))){{0,6}}"

_DMY = (
    rf"[Nn]gày{_SP}(?P<d>\d{{1,2}})?{_BLANK}\s*tháng{_SP}(?P<m>\d{{1,2}}|{_MONTH_WORD})?{_BLANK}\s*"
    rf"năm{_SP}(?P<y>(?:19|20)\d{{2}})"
)
_SLASH = rf"[Nn]gày{_SP}(?P<d2>\d{{1,2}})\s*[/.\-]\s*(?P<m2>\d{{1,2}})\s*[/.\-]\s*(?P<y2>(?:19|20)\d{{2}})"

RE_PLACE_DATE = re.compile(rf"(?P<place>{PLACE})[ \t]*,[ \t]*\n?[ \t]*(?:{_DMY}|{_SLASH})(?!\d)")
RE_DATE = re.compile(rf"(?<![{UP}{LO}])(?:{_DMY}|{_SLASH})(?!\d)")


@dataclass(slots=True)
class PlaceDate:
    """A place-and-date found in a text; spans are offsets in the searched string."""

    place: str | None
    iso: str | None
    span: tuple[int, int]
    place_span: tuple[int, int] | None
    date_span: tuple[int, int]
    complete: bool  # day, month and year all filled


def iso_date(day: str | None, month: str | None, year: str | None) -> str | None:
    """``YYYY-MM-DD``, or what a draft filled in (``YYYY-MM``, ``YYYY``); None when invalid.

    >>> iso_date("5", "2", "2024"), iso_date(None, "8", "2025"), iso_date("31", "2", "2024")
    ('2024-02-05', '2025-08', None)
    """
    if not year:
        return None
    y = int(year)
    m = _month(month)
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if not day:
        return f"{y:04d}-{m:02d}"
    try:
        return _dt.date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def _month(month: str | None) -> int | None:
    if not month:
        return None
    if month.isdigit():
        return int(month)
    return _MONTH_WORDS.get(" ".join(month.lower().split()))


def _from_match(m: re.Match[str]) -> PlaceDate | None:
    g = m.groupdict()
    if g.get("y") is not None:
        d, mo, y = g["d"], g["m"], g["y"]
    else:
        d, mo, y = g["d2"], g["m2"], g["y2"]
    iso = iso_date(d, mo, y)
    if iso is None:
        return None
    place = g.get("place")
    pspan = (m.start("place"), m.end("place")) if place else None
    if place:
        # "UBND Lâm Đồng, ngày": an upper-case word glued to the place belongs to the other column
        words = place.split(" ")
        while len(words) > 1 and words[0].isupper() and "." not in words[0] and not words[1].isupper():
            words.pop(0)
        place = " ".join(words)
        pspan = (m.end("place") - len(place), m.end("place"))
    dstart = m.end("place") if place else m.start()
    # the date span starts at "ngày"
    k = m.string.find("gày", dstart, m.end())
    dstart = k - 1 if k > 0 else dstart
    return PlaceDate(
        place=" ".join(place.split()) if place else None,
        iso=iso,
        span=(m.start(), m.end()),
        place_span=pspan,
        date_span=(dstart, m.end()),
        complete=bool(d and mo),
    )


def find_place_date(text: str, pos: int = 0, endpos: int | None = None) -> PlaceDate | None:
    """The first ``<place>, ngày … tháng … năm …`` in ``text[pos:endpos]``."""
    end = len(text) if endpos is None else endpos
    for m in RE_PLACE_DATE.finditer(text, pos, end):
        found = _from_match(m)
        if found:
            return found
    return None


def find_date(text: str, pos: int = 0, endpos: int | None = None) -> PlaceDate | None:
    """The first ``ngày … tháng … năm …`` in ``text[pos:endpos]``, with no place."""
    end = len(text) if endpos is None else endpos
    for m in RE_DATE.finditer(text, pos, end):
        found = _from_match(m)
        if found:
            return found
    return None
