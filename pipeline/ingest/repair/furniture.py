"""Page furniture of PDF text: page numbers and running headers/footers at page breaks.

``pdftotext`` ends every page with a form feed (``\\f``).  Decree 30 puts the page number
centred in the top margin from page 2 on, so the first line after a break is often a lone
``2``, ``- 2 -``, ``Trang 2`` or ``2/35``; some documents print it at the foot instead, and
some repeat a header or footer line on every page (``Tài liệu này thuộc sở hữu của ...``).
:func:`furniture_edits` deletes such lines (with their line end) and keeps the ``\\f``
itself: the page break stays a line break for the parsers, and the wrap step may still join
a sentence across it.

A lone number is taken for a page number only when the numbers of several pages agree (the
number minus the page index is the same), or when a two-page text shows ``2`` on page 2, so
a footnote label or a table cell that happens to stand alone is not deleted.

>>> from pipeline.ingest.repair.edit import apply_edits
>>> text = "Trang một.\\n\\f     2\\nTrang hai.\\n\\f     3\\nTrang ba.\\n"
>>> apply_edits(text, furniture_edits(text))[0].split("\\f")
['Trang một.\\n', 'Trang hai.\\n', 'Trang ba.\\n']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pipeline.ingest.repair.edit import Edits

_PAGE_NUMBER = re.compile(
    r"(?P<d>[-–—]\s*)?(?P<n>\d{1,4})(?P<e>\s*[-–—])?"
    r"|(?:Trang|TRANG|trang|Page|page)\s*(?P<t>\d{1,4})(?:\s*(?:/|trên|of)\s*\d{1,4})?"
    r"|(?P<f>\d{1,4})\s*/\s*(?P<of>\d{1,4})"
)
_GAP = re.compile(r"\S(?: {3,}|\t)\S")
# Lines of a signature box (``Ký bởi: ...``) may repeat on every page; the closing parser reads them.
_KEEP = re.compile(r"(?i)^(?:ký bởi|người ký|thời gian ký|ngày ký|email|cơ quan|chức vụ)\b")
_ZONE = 2  # non-blank lines at the top and at the foot of a page that may be furniture


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the non-blank lines of ``text[start:end]`` (end excludes the newline)."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            out.append((pos, stop))
        pos = stop + 1
    return out


def _page_value(line: str) -> tuple[int, bool] | None:
    """The page number a furniture line shows, and whether its form alone is conclusive."""
    m = _PAGE_NUMBER.fullmatch(line.strip())
    if not m:
        return None
    if m.group("n") is not None:
        # "- 2 -" is conclusive; "2" or "- 2" (a list item?) needs the support of other pages
        return int(m.group("n")), bool(m.group("d") and m.group("e"))
    if m.group("t") is not None:
        return int(m.group("t")), True
    number, total = int(m.group("f")), int(m.group("of"))
    return (number, True) if 0 < number <= total <= 2000 else None


def furniture_edits(text: str) -> Edits:
    """Edits deleting page numbers and running header/footer lines next to ``\\f`` breaks."""
    if "\f" not in text:
        return []
    bounds: list[tuple[int, int]] = []
    pos = 0
    for part in text.split("\f"):
        bounds.append((pos, pos + len(part)))
        pos += len(part) + 1
    pages = [_lines(text, a, b) for a, b in bounds]

    doomed: set[tuple[int, int]] = set()
    doomed.update(_page_numbers(text, pages))
    doomed.update(_running_lines(text, pages))
    edits: Edits = []
    for a, b in sorted(doomed):
        # Take the line end too; a line closed by the \f keeps the \f.
        end = b + 1 if b < len(text) and text[b] == "\n" else b
        start = a
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        edits.append((start, end, ""))
    return _disjoint(edits)


def _page_numbers(text: str, pages: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    candidates: list[tuple[int, int, int, bool, tuple[int, int]]] = []  # page, value, offset, conclusive, line
    for p, lines in enumerate(pages):
        if not lines:
            continue
        ends = set()
        if p > 0:  # a \f before: the top line may be the number
            ends.add(lines[0])
        if p < len(pages) - 1:  # a \f after: the foot line may be
            ends.add(lines[-1])
        for ln in ends:
            got = _page_value(text[ln[0] : ln[1]])
            if got is not None:
                candidates.append((p, got[0], got[0] - p, got[1], ln))
    offsets = Counter(c[2] for c in candidates)
    out: list[tuple[int, int]] = []
    for _page, _value, offset, conclusive, ln in candidates:
        supported = offsets[offset] >= 2 or (len(pages) <= 3 and offset in (0, 1))
        if conclusive or supported:
            out.append(ln)
    return out


def _running_lines(text: str, pages: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    real = [lines for lines in pages if lines]
    if len(real) < 3:
        return []
    seen: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for lines in pages:
        zone = lines[:_ZONE] + lines[-_ZONE:] if len(lines) > 2 * _ZONE else lines
        keys: set[str] = set()
        for ln in zone:
            key = " ".join(text[ln[0] : ln[1]].split())
            if key in keys:
                continue
            keys.add(key)
            seen[key].append(ln)
    out: list[tuple[int, int]] = []
    for key, where in seen.items():
        if len(where) < 3 or len(where) < 0.5 * len(real) or len(key) < 4:
            continue
        if key.isdigit() or _GAP.search(text[where[0][0] : where[0][1]].strip()) or _KEEP.match(key):
            continue
        out.extend(where)
    return out


def _disjoint(edits: Edits) -> Edits:
    out: Edits = []
    for e in sorted(set(edits)):
        if out and e[0] < out[-1][1]:
            continue
        out.append(e)
    return out
