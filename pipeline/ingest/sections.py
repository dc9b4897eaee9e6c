"""The section tree of the body.

A heading is a line that starts with a numbering marker: ``PHẦN I`` / ``Phần thứ nhất``,
``Chương II``, ``Mục 1``, ``Điều 3.``, ``A.``, ``I.`` (Party style ``I-``), ``1.``, ``1.1.``,
``1.1.1.``, ``a)``.  Levels come from the order in which the marker styles first appear
(a stack): the first style seen is level 1, a new style goes one level deeper, a style seen
before closes the deeper ones.  A style of higher rank appearing under a lower one (``I.``
after a run of ``1.``) starts a new top level instead of nesting.

Bullets (``-``, ``+``, ``•``) are list items, not headings, and are left out of the tree:
their text stays inside the section that holds them.

False headings are kept out by the sibling sequence (``3.`` must follow ``2.``, ``II``
follow ``I``), which also settles ``I.``/``V.``/``C.``/``D.`` between Roman numerals and
letters; numbers that are figures (``1.500 hộ``, ``2025.``) never match, and table rows
(TAB- or ``|``-separated cells) are skipped.

>>> text = "I. KẾT QUẢ\\n1. Kinh tế\\nTăng 5%.\\n2. Xã hội\\nII. PHƯƠNG HƯỚNG\\n"
>>> [(s.level, s.number, s.heading) for s in parse_sections(text, 0, len(text))]
[(1, 'I', 'KẾT QUẢ'), (2, '1', 'Kinh tế'), (2, '2', 'Xã hội'), (1, 'II', 'PHƯƠNG HƯỚNG')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.lines import Line, split_lines
from pipeline.model import Section

UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LO = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
ORDINALS = ["nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười"]
ALPHABET = "abcdđeghiklmnopqrstuvxy"

_LEAD = re.compile(r"^[\s*#_]*")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "phan",
        re.compile(
            rf"^(?:PHẦN|Phần)\s+(?P<num>{ROMAN}|(?:THỨ|thứ|Thứ)\s+[{UP}{LO}]+|\d+)(?![\w])\s*[.:\-–]?\s*"
        ),
    ),
    ("chuong", re.compile(rf"^(?:CHƯƠNG|Chương)\s+(?P<num>{ROMAN}|\d+)(?![\w])\s*[.:\-–]?\s*")),
    ("muc", re.compile(r"^(?:MỤC|Mục)\s+(?P<num>\d+)(?![\w.,])\s*[.:\-–]?\s*")),
    ("dieu", re.compile(r"^Điều\s+(?P<num>\d+[a-z]?)\s*[.:]\s*")),
    ("upalpha", re.compile(rf"^(?P<num>[A-HĐ])\s*[.\-–)]\s+(?=[{UP}\d“\"(])")),
    ("roman", re.compile(rf"^(?P<num>{ROMAN})\s*[.\-–)/]\s*(?=[{UP}{LO}\d“\"(]|$)")),
    ("decimal3", re.compile(r"^(?P<num>\d{1,2}\.\d{1,2}\.\d{1,2})\.?[)\-–]?\s+(?=\S)")),
    ("decimal", re.compile(r"^(?P<num>\d{1,2}\.\d{1,2})\.?[)\-–]?\s+(?=\S)")),
    ("arabic", re.compile(r"^(?P<num>\d{1,2})\s*(?:[.)]|\s[-–]|-)\s*(?=[^\d\s.,/%]|$)")),
    ("alpha", re.compile(rf"^(?P<num>[a-zđ])\s*[).]\s+(?=[{UP}{LO}\d“\"(])")),
]
# The rank of each style in the usual hierarchy, used only when a higher one shows up late.
_RANK = {
    "phan": 0,
    "chuong": 1,
    "muc": 2,
    "dieu": 3,
    "upalpha": 3,
    "roman": 4,
    "arabic": 5,
    "decimal": 6,
    "decimal3": 7,
    "alpha": 8,
    "caps": -1,
}


@dataclass(slots=True)
class _Head:
    line: int
    marker: str
    number: str
    start: int  # offset of the marker
    text_start: int  # offset of the heading text
    value: int


def roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(s):
        v = vals[ch]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


def _value(marker: str, num: str) -> int:
    if marker in ("roman",) or (marker in ("phan", "chuong") and re.fullmatch(ROMAN, num)):
        return roman_value(num)
    if marker == "phan" and not num.isdigit():
        word = num.split()[-1].lower()
        return ORDINALS.index(word) + 1 if word in ORDINALS else 0
    if marker in ("upalpha",):
        return "ABCDĐEFGH".index(num) + 1
    if marker == "alpha":
        return ALPHABET.index(num) + 1 if num in ALPHABET else 0
    tail = num.split(".")[-1]
    return int(tail) if tail.isdigit() else 0


def _is_table_row(line: Line) -> bool:
    s = line.text.strip()
    if s.startswith("|") or re.search(r"\S\t+\S", s):
        return True
    return len(line.cells) >= 3


def _candidates(line: Line) -> list[_Head]:
    """Every reading of ``line`` as a heading (``I.`` can be Roman or a letter)."""
    if _is_table_row(line):
        return []
    masked = re.sub(r"\*|__+", " ", line.text)  # Markdown emphasis, offsets kept
    lead = _LEAD.match(masked)
    assert lead is not None
    s = masked[lead.end() :]
    base = line.start + lead.end()
    out = []
    for marker, rx in _PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        num = m.group("num")
        rest = s[m.end() :].strip()
        if marker in ("phan", "chuong", "muc") and rest and not _upper(rest.split("(")[0]):
            continue  # "Mục 10 (thành phần gia đình): Ghi …" is prose
        if marker == "phan" and not re.fullmatch(rf"{ROMAN}|\d+", num):
            num = num.split(None, 1)[0] + " " + num.split(None, 1)[1]
        out.append(_Head(line.index, marker, num, base, base + m.end(), _value(marker, num)))
    return out


def _next_ok(marker: str, value: int, last: dict[str, int], fresh: set[str]) -> bool:
    """Does ``value`` continue the sequence of ``marker`` (or restart it under a new parent)?"""
    if value <= 0:
        return False
    prev = last.get(marker)
    if prev is None:
        return value == 1
    return value in (prev + 1, prev + 2) or (value == 1 and marker in fresh)


def parse_sections(text: str, start: int, end: int) -> list[Section]:
    """The sections of ``text[start:end]``, in reading order, with parents and levels."""
    lines = split_lines(text, start, end)
    wrapped = _hard_wrapped(lines)
    sizes = sorted(len(ln.text.rstrip()) for ln in lines if ln.text.strip())
    width = sizes[int(len(sizes) * 0.9)] if sizes else 80
    margin = min((ln.indent for ln in lines if ln.text.strip()), default=0)
    heads: list[tuple[_Head, str, tuple[int, int], int]] = []
    stack: list[str] = []
    last: dict[str, int] = {}
    fresh: set[str] = set()  # styles whose sequence restarts (a new parent opened)
    i = 0
    while i < len(lines):
        cands = _candidates(lines[i])
        chosen = None
        for h in cands:
            if _next_ok(h.marker, h.value, last, fresh):
                chosen = h
                break
        if chosen is None and not cands:
            chosen = _caps_title(lines, i, last, fresh)
            if chosen is not None:
                ln = lines[i]
                a, b = ln.strip_span()
                popped, stack = stack, ["caps"]
                fresh.update(popped)
                heads.append((chosen, _clean(ln.text), (a, b), 1))
                i += 1
                continue
        if chosen is None:
            i += 1
            continue
        heading, hspan, j = _heading(text, lines, i, chosen, wrapped, margin, width)
        if not heading.strip() and chosen.marker not in ("phan", "chuong", "muc", "dieu"):
            i += 1
            continue
        m = chosen.marker
        popped: list[str] = []
        if m in stack:
            k = stack.index(m)
            popped = stack[k + 1 :]
            del stack[k + 1 :]
        elif stack and _RANK[m] < min(_RANK[x] for x in stack):
            popped, stack = stack, [m]
        else:
            stack.append(m)
        fresh.update(popped)  # the deeper styles start again at 1 under this heading
        last[m] = chosen.value
        fresh.discard(m)
        heads.append((chosen, heading, hspan, stack.index(m) + 1))
        i = j
    return _build(text, heads, end)


def _caps_title(lines: list[Line], i: int, last: dict[str, int], fresh: set[str]) -> _Head | None:
    """An unnumbered capitalised title that opens a new part, or ``None``.

    ``KẾ HOẠCH NĂM 2026`` standing alone after the numbered sections of a report, followed by
    ``1. CHỦ ĐỀ …`` that starts the numbering again: without it the restart would be read as
    prose and the part would stay inside the last section.
    """
    line = lines[i]
    t = _clean(line.text)
    if not t or len(t.split()) > 12 or not _upper(t) or t.endswith((".", ";", ",", ":")) or _is_table_row(line):
        return None
    if i > 0 and lines[i - 1].text.strip():
        return None  # a title stands apart from the paragraph above it
    j = i + 1
    while j < len(lines) and not lines[j].text.strip():
        j += 1
    if j >= len(lines):
        return None
    nxt = _candidates(lines[j])
    if not any(h.value == 1 and h.marker in last and not _next_ok(h.marker, h.value, last, fresh) for h in nxt):
        return None
    a = line.start + line.indent
    return _Head(line.index, "caps", "", a, a, 0)


def _build(text: str, heads: list, end: int) -> list[Section]:
    out: list[Section] = []
    open_at: dict[int, int] = {}
    for k, (h, heading, hspan, level) in enumerate(heads):
        stop = end
        for h2, _, _, level2 in heads[k + 1 :]:
            if level2 <= level:
                stop = h2.start
                break
        stop = h.start + len(text[h.start : stop].rstrip())
        parent = None
        for lv in range(level - 1, 0, -1):
            if lv in open_at:
                parent = open_at[lv]
                break
        sec = Section(
            id=k,
            parent=parent,
            level=level,
            number=h.number or None,
            heading=heading,
            span=(h.start, max(stop, hspan[1])),
            heading_span=hspan,
            marker=h.marker,
        )
        out.append(sec)
        open_at[level] = k
        for lv in list(open_at):
            if lv > level:
                del open_at[lv]
    return out


def _hard_wrapped(lines: list[Line]) -> bool:
    """Is the text cut into layout lines (continuations start lower-case), not paragraphs?"""
    long = follow = 0
    for a, b in zip(lines, lines[1:], strict=False):
        if len(a.text.strip()) >= 50:
            long += 1
            if re.match(rf"\s*[{LO}]", b.text):
                follow += 1
    return long > 0 and follow / long >= 0.15


def _upper(t: str) -> bool:
    letters = re.sub(r"[\W\d_]", "", t)
    return len(letters) >= 2 and letters.isupper()


def _clean(t: str) -> str:
    return " ".join(re.sub(r"\*+|__+", " ", t).split())


def _heading(
    text: str, lines: list[Line], i: int, h: _Head, wrapped: bool, margin: int = 0, width: int = 80
) -> tuple[str, tuple[int, int], int]:
    """The heading text (wrapped lines joined), its span and the index of the next line."""
    line = lines[i]
    first = re.sub(r"\*|__+", " ", text[h.text_start : line.end])
    parts = [_clean(first)] if _clean(first) else []
    a = h.text_start
    b = line.start + len(line.text.rstrip(" *_"))
    j = i + 1
    title_below = not parts
    upper = _upper(parts[0]) if parts else True
    blank_ok = title_below
    prev = line.text.rstrip()
    if parts and not title_below:
        # "3. Kiến nghị, đề xuất: Trung tâm kính đề xuất …" — the heading is the label
        label, colon, after = parts[0].partition(": ")
        if colon and after and len(label.split()) <= 6:
            return label, (a, a + len(first.split(": ")[0].rstrip())), i + 1
    while j < len(lines) and len(parts) < 12:
        nxt = lines[j]
        t = _clean(nxt.text)
        if not t:
            if blank_ok and not parts:
                j += 1
                continue
            break
        if _candidates(nxt) and any(c.marker != "arabic" or parts for c in _candidates(nxt)):
            break
        if re.fullmatch(r"[\d\W_]+", t) or (t and t[0] in "-+•–(") and not title_below:
            break
        if title_below and not parts:
            upper = _upper(t)
        elif upper:
            if not _upper(t):
                break
        elif not wrapped or nxt.indent > margin + 1 or _upper(t):
            break
        elif parts and (
            parts[-1].endswith(":")
            or (
                len(prev) < 0.75 * width
                and not t[0].islower()
                and prev.count("(") <= prev.count(")")
                and len(" ".join(parts).split()) >= 3
            )
        ):
            break  # a short line ends its paragraph; only a full line wraps
        if not parts:
            a = nxt.start + nxt.indent
        parts.append(t)
        prev = nxt.text.rstrip()
        b = nxt.start + len(nxt.text.rstrip(" *_"))
        j += 1
    return " ".join(parts), (a, max(a, b)), j
