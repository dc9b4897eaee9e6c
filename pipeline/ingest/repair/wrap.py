"""Hard-wrapped lines joined back into paragraphs, also across page breaks.

``pdftotext -layout`` and web copies break every paragraph at a fixed width (about 80
characters); a finding, a heading or a title then spans several lines.  :func:`wrap_edits`
replaces the line end (and the indentation after it, and a page break with the blank lines
around it) by one space where a line continues the one before.  A line continues when

* the text is hard-wrapped at all (many lines end near one width; Word and mammoth text,
  one paragraph per line, are left alone),
* neither line has a column gap (3+ spaces or a TAB: header columns, table rows), neither
  is upper case (header lines, headings, bodies' names), neither lies in the signature /
  ``Nơi nhận`` block, and the line does not start a new item (``I.``, ``1.``, ``1.1.``,
  ``a)``, ``-``, ``+``, ``•``, ``Điều 1.``, ``Phần``, ``Kính gửi``, ``Nơi nhận`` ...),
* the previous line does not end a sentence (``.``, ``:``, ``!``, ``?``; ``;`` before a capital),
* and there is evidence of a wrap: the line starts in lower case or with a digit, or the
  previous line reaches the wrap width, or the text separates paragraphs by blank lines
  only (web Markdown), so that any line break inside a block is a wrap.

Blank lines stay paragraph breaks.  A digit glued to a word (``các ngành1.``) may be a
footnote mark, which cannot be told apart safely: it is left as printed.

>>> from pipeline.ingest.repair.edit import apply_edits
>>> text = "     1. Đánh giá về các hoạt động chỉ đạo, điều hành nổi bật của lãnh đạo\\nTỉnh ủy, Ủy ban nhân dân tỉnh đối với công tác CCHC\\n"
>>> apply_edits(text, wrap_edits(text, hard_wrapped=True, width=80))[0]
'     1. Đánh giá về các hoạt động chỉ đạo, điều hành nổi bật của lãnh đạo Tỉnh ủy, Ủy ban nhân dân tỉnh đối với công tác CCHC\\n'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.ingest.repair.edit import Edits

_UPPER = "A-ZÀ-ÞĀ-ſƠƯẠ-ỸĐ"
_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_ITEM = re.compile(
    r"(?:[-+•*–—·▪►❖✓➢○●◦□■→]"
    r"|[IVXLCDM]+[.)](?=\s|$)"
    r"|\d{1,3}(?:\.\d{1,3})*[.)](?=\s|$)"
    rf"|\d{{1,2}}(?:\.\d{{1,2}})+(?=\s+[{_UPPER}])"
    r"|\(\d{1,3}\)|\([a-zđ]\)|[a-zđ]\)|[a-zđ]\.(?=\s)"
    r"|(?:Điều|Chương|Mục|Phần|PHẦN|Phụ lục|PHỤ LỤC|Biểu|BIỂU|Mẫu|MẪU)\s+(?:[\dIVXLC]+|thứ|số|mẫu)"
    r"|(?:Kính gửi|Nơi nhận|Căn cứ|Theo đề nghị|Xét đề nghị|Trên đây|Trân trọng|Ghi chú|Chú thích|Lưu\s*:)"
    r"|(?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười) là\b"
    r"|Thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\s*[,:]"
    r"|(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\.?\s+[" + _UPPER + "])"
)
_CLOSING = re.compile(r"(?:Nơi nhận\s*:|(?<![\w/])(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.?\s+[" + _UPPER + "]{2})")
_APPENDIX = re.compile(r"(?:PHỤ LỤC|Phụ lục|MẪU|Mẫu số|DANH MỤC|BIỂU|Biểu mẫu)\b")
_TERMINAL = ".!?:…"
_NUMBER_LABEL = re.compile(r"Số\s*:?")
_CLOSERS = "”\"’')]}»*"


@dataclass(slots=True)
class _Row:
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    text: str  # stripped
    indent: int
    length: int  # indent + stripped length: where the line ends on the page
    gap: bool
    upper: bool
    closing: bool = False


def _rows(text: str) -> list[_Row]:
    rows: list[_Row] = []
    for m in re.finditer(r"[^\n\f]+", text):
        raw = m.group()
        body = raw.strip()
        if not body:
            continue
        lead = len(raw) - len(raw.lstrip())
        indent = lead if "\t" not in raw[:lead] else len(raw[:lead].expandtabs(4))
        rows.append(
            _Row(
                start=m.start() + lead,
                end=m.start() + lead + len(body),
                text=body,
                indent=indent,
                length=indent + len(body),
                gap=("   " in body or "\t" in body) and bool(_GAP.search(body)),
                upper=body.isupper(),  # cased letters, none of them lower case
            )
        )
    return rows


def wrap_width(text: str) -> int | None:
    """The width the text is hard-wrapped at, or ``None`` when it is not hard-wrapped.

    Many lines of a wrapped text end within a few characters of one width; a text with a
    paragraph per line has lengths spread over hundreds of characters.
    """
    return _width(_rows(text))


def _width(rows: list[_Row]) -> int | None:
    lengths = Counter(r.length for r in rows if not r.gap)
    total = sum(lengths.values())
    if total < 8:
        return None
    window = {x: sum(lengths.get(n, 0) for n in range(x - 10, x + 1)) for x in range(45, 141)}
    need = max(5, 0.12 * total, 0.5 * max(window.values()))
    # The widest well-filled window is the wrap width: lines end just before it, and wrapped
    # text rarely runs past it (a table row may; a paragraph per line often does).
    for x in range(140, 44, -1):
        if window[x] >= need and window[x] >= window.get(x + 1, 0):
            beyond = sum(c for n, c in lengths.items() if n > 1.3 * x)
            if beyond > 0.1 * total:
                return None
            inside = sorted(n for n in range(x - 10, x + 1) for _ in range(lengths.get(n, 0)))
            return inside[(3 * len(inside)) // 4]  # where most full lines end
    return None


def _opens_column(text: str, pos: int) -> bool:
    line_start = max(text.rfind("\n", 0, pos), text.rfind("\f", 0, pos)) + 1
    before = text[line_start:pos]
    return not before.strip() or before.endswith(("   ", "\t"))


def _mark_closing(text: str, rows: list[_Row]) -> None:
    """Flag the rows of signature / ``Nơi nhận`` blocks (to the next page break or appendix)."""
    # Only at the start of a line or of a column (after a gap): "KT. GIÁM ĐỐC" in a sentence is not a signature.
    starts = [m.end() for m in _CLOSING.finditer(text) if _opens_column(text, m.start())]
    if not starts:
        return
    inside = False
    prev_end = 0
    k = 0
    for r in rows:
        if inside and ("\f" in text[prev_end : r.start] or _APPENDIX.match(r.text)):
            inside = False
        while k < len(starts) and starts[k] <= r.start:
            k += 1
        if k < len(starts) and starts[k] <= r.end:  # a block opens on this row
            inside = True
        r.closing = inside
        prev_end = r.end


def wrap_edits(text: str, *, hard_wrapped: bool | None = None, width: int | None = None) -> Edits:
    """Edits joining wrapped lines (see the module docstring).

    Args:
        text: the text after the other repairs (furniture already removed).
        hard_wrapped: ``False`` to skip (a reader that knows its text has a paragraph per
            line), ``True`` to force; ``None`` decides from the line lengths.
        width: the wrap width if known; otherwise estimated.
    """
    if hard_wrapped is False or "\n" not in text:
        return []
    rows = _rows(text)
    w = width or _width(rows)
    if w is None:
        if not hard_wrapped:
            return []
        w = max((r.length for r in rows), default=80)
    _mark_closing(text, rows)
    full = Counter(r.indent for r in rows if r.length >= 0.8 * w and not r.gap)
    base = full.most_common(1)[0][0] if full else 0
    indented = sum(1 for r in rows if r.indent > base + 1)
    flat = indented <= 0.05 * max(len(rows), 1)  # no paragraph indents: blank lines separate them
    # Paragraphs start indented (pdftotext -layout): a line at the margin after a full line
    # continues the paragraph even when the sentence happened to end at the line end.
    indent_style = indented >= 0.1 * max(len(rows), 1)

    edits: Edits = []
    for prev, cur in zip(rows, rows[1:], strict=False):
        between = text[prev.end : cur.start]
        if "\f" not in between and between.count("\n") != 1:
            continue  # a blank line: a paragraph break
        if _joins(prev, cur, w, base, flat and "\f" not in between, indent_style):
            edits.append((prev.end, cur.start, " "))
    return edits


def _joins(prev: _Row, cur: _Row, width: int, base: int, flat: bool, indent_style: bool) -> bool:
    if _NUMBER_LABEL.fullmatch(prev.text) and cur.text[0] in "0123456789/.…" and not cur.gap:
        return True  # "Số:" with the number on the next line (a web table cell)
    if prev.gap or cur.gap or prev.upper or cur.upper or prev.closing or cur.closing:
        return False
    if _ITEM.match(cur.text):
        return False
    tail = prev.text.rstrip(_CLOSERS) or prev.text
    first = cur.text[0]
    if tail[-1] in _TERMINAL or tail[-1] == ";":
        # A sentence ends with the line; in an indented layout a line at the margin right
        # after a full line still belongs to the same paragraph.
        if tail[-1] == ":" or tail.endswith("/."):  # a lead-in, or the end of the document ("./.")
            return False
        if first.islower():  # "TP.\nđà", "...;\nổn định": the sentence goes on
            return True
        return indent_style and prev.length >= 0.9 * width and cur.indent <= base
    if first.islower() or first.isdigit():
        return True
    long = prev.length >= 0.8 * width
    if flat:  # any break inside a block is a wrap, except after a short heading ("1. Kết quả")
        return long or not _ITEM.match(prev.text)
    return long and cur.indent <= base + 2
