"""Finding units: the sentences, bullets and ``;``-clauses of a document body.

A finding (ANNOTATION.md) is one sentence, one bullet, or one ``;``-separated clause, so the
body is cut into such units before anything is classified.  Every :class:`Unit` keeps its
absolute span in :attr:`Document.text` and the id of the section it stands in.

The segmenter reads the text line by line and works on both kinds of text the readers
produce: one paragraph per line (Word, repaired text) and hard-wrapped lines
(``pdftotext -layout``).  A line continues the previous one unless it starts with a
marker (``-``, ``+``, ``a)``, ``1.``, ``Một là,``), follows a line that ended a sentence or a
lead-in, or follows a line much shorter than the page width (the last line of a paragraph).

>>> from pipeline.ingest import ingest_text
>>> doc = ingest_text("Kết quả như sau:\\n- Đạt 98,5% kế hoạch; còn 02 xã chưa đạt.\\n")
>>> [u.text for u in segment(doc)]
['Đạt 98,5% kế hoạch', 'còn 02 xã chưa đạt.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.lines import Line, split_lines
from pipeline.model import Document, Section, Span

__all__ = ["Unit", "block_marker", "outline", "segment", "sections_of", "split_sentences"]

# ---------------------------------------------------------------------------------------------
# Markers at the start of a line

_ORDINAL_WORDS = "Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười(?: một| hai)?"
_THU_WORDS = "nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười"
_UPPER = "A-ZÀ-ỸĐ"

# (kind, pattern) in the order they are tried; the match covers the marker and the space after it.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("md", re.compile(r"#{1,6}\s+")),
    ("phan", re.compile(rf"(?:PHẦN|Phần)\s+(?:THỨ\s+[{_UPPER}]+|thứ\s+\w+|[IVXL]+|\d+)\b[.:]?\s*", re.U)),
    ("roman", re.compile(r"[IVXL]{1,6}[.)]\s+")),
    ("decimal3", re.compile(r"\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+")),
    ("decimal2", re.compile(r"\d{1,2}\.\d{1,2}\.?\s+")),
    ("arabic", re.compile(r"\d{1,2}[.)]\s+")),
    ("alpha", re.compile(r"[a-zđ][)]\s+|[a-zđ]\.\s+(?=[" + _UPPER + "])")),
    ("paren", re.compile(r"\(\d{1,2}\)\s*|\([a-zđ]\)\s*")),
    ("ordinal", re.compile(rf"(?:{_ORDINAL_WORDS}) là\s*[,:]?\s*|Thứ (?:{_THU_WORDS})\s*[,:]\s*")),
    ("bullet", re.compile(r"[-–—+•●○■□▪►➢✓∙·]\s*|\*\s+")),
]
# Marker kinds that number headings, from the highest level down.
_HEADING_ORDER = ["md", "phan", "caps", "roman", "arabic", "decimal2", "decimal3", "alpha"]

# Ordinal openers inside a line: "(2) Phấn đấu …", "Hai là, …"; removed from a unit's text.
_INNER_ORDINAL = re.compile(
    rf"(?:\(\d{{1,2}}\)|\d{{1,2}}\)|[a-zđ]\)|(?:{_ORDINAL_WORDS}) là\s*[,:]?|Thứ (?:{_THU_WORDS})\s*[,:]|[-–—+•])\s*"
)

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?\s*$|^\s*Trang\s+\d+(?:\s*/\s*\d+)?\s*$")
_NUMERIC_CELL = re.compile(r"^[\d.,%/()\s+-]+$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True, frozen=True)
class Unit:
    """One candidate finding.

    ``text`` is the unit with white space collapsed and its ordinal marker left out; ``span``
    covers that text in :attr:`Document.text`.  ``lead_in`` marks a sentence ending in ``:``
    (``Kết quả cụ thể như sau:``): never a finding, kept because it says what follows.
    """

    span: Span
    text: str
    section: int | None
    kind: str  # "sentence", "bullet" or "clause"
    lead_in: bool = False
    block: int = 0  # index of the paragraph or bullet the unit comes from


def block_marker(line: str) -> tuple[str, int] | None:
    """The marker a line starts with, as ``(kind, length)``; ``None`` for plain text.

    >>> block_marker("   II. KẾT QUẢ THỰC HIỆN")
    ('roman', 7)
    >>> block_marker("3.500 doanh nghiệp") is None
    True
    """
    s = line.lstrip()
    lead = len(line) - len(s)
    for kind, pat in _MARKERS:
        m = pat.match(s)
        if m:
            if kind == "bullet" and s[:2] in ("--", "——"):
                return None
            return kind, lead + m.end()
    return None


# ---------------------------------------------------------------------------------------------
# Blocks: paragraphs, bullets and headings


@dataclass(slots=True)
class _Block:
    start: int  # first character after the marker
    end: int
    marker: str | None
    marker_start: int
    lines: list[Line]
    heading: bool = False


def _is_table_row(line: Line) -> bool:
    s = line.stripped
    if s.startswith("|") or (s.startswith("+") and set(s) <= set("+-=| ")):
        return True
    cells = line.cells
    return len(cells) >= 2 and sum(bool(_NUMERIC_CELL.match(c.text)) for c in cells) >= 1 and len(cells) >= 3


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _ends_block(s: str) -> bool:
    s = s.rstrip(" \t\"'”’)»*")
    return s.endswith((".", ";", ":", "!", "?", "…"))


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    lines = split_lines(text, start, end)
    body = [ln for ln in lines if not ln.blank]
    widths = sorted(len(ln.text.rstrip()) for ln in body)
    # The page width: lines of a hard-wrapped paragraph come close to it; a line much shorter
    # ends its paragraph.  In one-paragraph-per-line text the rule changes nothing.
    width = widths[int(0.9 * (len(widths) - 1))] if widths else 0
    blocks: list[_Block] = []
    cur: _Block | None = None
    prev: Line | None = None
    for ln in lines:
        if ln.blank or _is_table_row(ln):
            cur, prev = None, None
            continue
        if _PAGE_NUMBER.match(ln.text) or ln.stripped in ("\f",):
            continue  # a page break inside a paragraph does not end it
        mk = block_marker(ln.text)
        caps = _is_caps(ln.stripped)
        # a capitalised heading wrapped over several lines stays one block
        caps_cont = caps and mk is None and prev is not None and _is_caps(prev.stripped) and cur is not None
        new = not caps_cont and (
            cur is None
            or mk is not None
            or prev is None
            or _ends_block(prev.text)
            or len(prev.text.rstrip()) < 0.7 * width
            or (caps != _is_caps(prev.stripped))
        )
        if new:
            kind, off = mk if mk else (None, ln.indent)
            if caps and kind is None:
                kind = "caps"
            cur = _Block(ln.start + off, ln.end, kind, ln.start + ln.indent, [ln])
            blocks.append(cur)
        else:
            assert cur is not None
            cur.lines.append(ln)
            cur.end = ln.end
        prev = ln
    for b in blocks:
        b.heading = _looks_like_heading(text, b)
    return blocks


def _looks_like_heading(text: str, b: _Block) -> bool:
    body = re.sub(r"\s+", " ", text[b.start : b.end]).strip()
    if not body or not _LETTER.search(body):
        return False
    if b.marker == "md":
        return True
    if b.marker == "caps":
        return len(body) <= 300 and not body.endswith((".", ";"))
    if b.marker in (None, "bullet", "paren", "ordinal"):
        return False
    # A numbered line is a heading when it is short and says no full sentence.
    if len(body) > 300 or body.endswith((".", ";", "!", "?")):
        return False
    return not re.search(r"[.;!?]\s+[" + _UPPER + "]", body)


# ---------------------------------------------------------------------------------------------
# Sentences and clauses

_ABBREV = re.compile(
    r"(?:^|[\s(])(?:TP|Tp|TX|Tx|TT|ThS|Th\.S|TS|PGS|GS|BS|KS|CN|Đ/c|đ/c|đ/c|St|Mr|Ms|Q|P|v\.v|ĐT|Ths|NXB|tr|Tr|Ng|No)$"
)
_BREAK = re.compile(r"(?P<p>\.{3}|…|[.!?;:])(?P<ws>[\s\"'”’)]*)", re.U)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Cut ``text[start:end]`` into sentences and ``;``-clauses: ``(start, end, terminator)``.

    A ``.`` ends a sentence only before white space and a capital, a digit, a quote or a
    marker (so not in ``1.234``, ``TP. Hồ Chí Minh`` or an initial); ``;`` always ends a
    clause outside brackets; ``:`` ends a lead-in when a new sentence or the end follows.

    >>> t = "Thu ngân sách đạt 1.234 tỷ đồng. TP. Hồ Chí Minh tăng 5%; còn chậm: Một số xã chưa đạt."
    >>> [t[a:b] for a, b, _ in split_sentences(t, 0, len(t))]
    ['Thu ngân sách đạt 1.234 tỷ đồng.', 'TP. Hồ Chí Minh tăng 5%', 'còn chậm:', 'Một số xã chưa đạt.']
    """
    out: list[tuple[int, int, str]] = []
    seg = start
    depth = 0
    i = start
    while i < end:
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        m = _BREAK.match(text, i, end) if c in ".!?;:…" else None
        if m is None:
            i += 1
            continue
        p = m.group("p")
        after = m.end()
        nxt = text[after] if after < end else ""
        at_end = after >= end or not text[after:end].strip()
        spaced = after > m.end("p") or at_end
        cut = False
        if p == ";":
            cut = depth == 0 and spaced
        elif p == ":":
            cut = depth == 0 and (at_end or (spaced and _starts_sentence(text, after, end, digits=False)))
        elif spaced:
            before = text[seg:i]
            abbrev = p == "." and (_ABBREV.search(before) or re.search(r"(?:^|\s)[" + _UPPER + r"]$", before))
            cut = at_end or (not abbrev and _starts_sentence(text, after, end))
            if p == "." and nxt and nxt.isdigit() and re.match(r"\d{1,2}\.\d", text[after : after + 4]):
                cut = True  # "… tỷ đồng. 1.2. Về …" is rare; a plain digit still starts a sentence
        if cut:
            close = m.end("p")
            # keep closing quotes / brackets with the sentence they close
            tail = m.group("ws")
            keep = len(tail) - len(tail.lstrip("\"'”’)"))
            out.append((seg, close + keep, p))
            seg = close + keep
            i = after
            continue
        i = m.end("p")
    if text[seg:end].strip():
        out.append((seg, end, ""))
    return [(a, b, t) for a, b, t in (_trim(text, a, b, t) for a, b, t in out) if b > a]


def _starts_sentence(text: str, pos: int, end: int, *, digits: bool = True) -> bool:
    s = text[pos : min(end, pos + 40)].lstrip()
    if not s:
        return True
    c = s[0]
    return c.isupper() or (digits and c.isdigit()) or c in "\"'“‘(-–+•*[" or block_marker(s) is not None


def _trim(text: str, a: int, b: int, t: str) -> tuple[int, int, str]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == ";"):
        b -= 1
    return a, b, t


# ---------------------------------------------------------------------------------------------
# Fallback outline (until / unless the section parser gives doc.sections)


def outline(text: str, start: int = 0, end: int | None = None) -> list[Section]:
    """A section tree from the numbered and capitalised headings of ``text[start:end]``.

    Used only when :attr:`Document.sections` is empty.  Levels follow the usual order of
    ND30/HD36 numbering (``PHẦN`` > ``I.`` > ``1.`` > ``1.1.`` > ``a)``) among the kinds the
    document uses.
    """
    end = len(text) if end is None else end
    return _outline(text, _blocks(text, start, end), end)


def _outline(text: str, blocks: list[_Block], end: int) -> list[Section]:
    # Capitalised lines before the first paragraph are the header and title, not sections.
    first_par = next((i for i, b in enumerate(blocks) if not b.heading and b.end - b.start >= 60), len(blocks))
    heads = [b for i, b in enumerate(blocks) if b.heading and not (b.marker == "caps" and i < first_par)]
    used = [k for k in _HEADING_ORDER if any(b.marker == k for b in heads)]
    rank = {k: i + 1 for i, k in enumerate(used)}
    secs: list[Section] = []
    stack: list[Section] = []
    for b in heads:
        level = rank.get(b.marker or "", len(used) + 1)
        while stack and stack[-1].level >= level:
            stack.pop()
        raw_marker = text[b.marker_start : b.start].strip()
        number = re.sub(r"^(?:PHẦN|Phần)\s+|[.):#\s]+$", "", raw_marker) or None
        heading = re.sub(r"\s+", " ", text[b.start : b.end]).strip().rstrip(":")
        sec = Section(
            id=len(secs),
            parent=stack[-1].id if stack else None,
            level=level,
            number=number if b.marker != "caps" else None,
            heading=heading,
            span=(b.marker_start, end),
            heading_span=(b.marker_start, b.end),
            marker=b.marker or "",
        )
        secs.append(sec)
        stack.append(sec)
    # a section ends where the next heading of the same or a higher level begins
    for i, s in enumerate(secs):
        for t in secs[i + 1 :]:
            if t.level <= s.level:
                s.span = (s.span[0], t.span[0])
                break
    return secs


def sections_of(doc: Document) -> list[Section]:
    """The document's sections, or the fallback :func:`outline` of its body."""
    if doc.sections:
        return doc.sections
    start, end = doc.body_span or (0, len(doc.text))
    return outline(doc.text, start, end)


def _section_at(sections: list[Section], pos: int) -> Section | None:
    best = None
    for s in sections:
        if s.span[0] <= pos < s.span[1] and (best is None or s.level >= best.level):
            best = s
    return best


# ---------------------------------------------------------------------------------------------
# Units


def segment(doc: Document, *, sections: list[Section] | None = None, lead_ins: bool = False) -> list[Unit]:
    """The finding units of the document body, in order.

    Headings are not units.  Lead-ins (sentences ending in ``:``) are left out unless
    ``lead_ins`` is true.  ``sections`` defaults to :func:`sections_of`.
    """
    text = doc.text
    start, end = doc.body_span or (0, len(text))
    secs = sections_of(doc) if sections is None else sections
    # A "heading" that says a full sentence (``a) Công tác … được triển khai quyết liệt.``) is
    # a numbered finding that a section parser took for a heading: keep it as a unit.
    heading_spans = sorted(s.heading_span for s in secs if s.heading_span and _is_title(s.heading))
    out: list[Unit] = []
    for bi, b in enumerate(_blocks(text, start, end)):
        if b.heading or _inside(heading_spans, b.start, b.end):
            continue
        pieces = split_sentences(text, b.start, b.end)
        for pi, (a, z, term) in enumerate(pieces):
            m = _INNER_ORDINAL.match(text, a, z)
            if m and m.end() < z:
                a = m.end()
            body = re.sub(r"\s+", " ", text[a:z]).strip()
            if len(_LETTER.findall(body)) < 6:
                continue
            lead = term == ":"
            if lead and not lead_ins:
                continue
            kind = "clause" if term == ";" or (pi and pieces[pi - 1][2] == ";") else (
                "bullet" if b.marker in ("bullet", "paren", "ordinal", "alpha") else "sentence"
            )
            sec = _section_at(secs, a)
            out.append(Unit(span=(a, z), text=body, section=sec.id if sec else None, kind=kind, lead_in=lead, block=bi))
    return out


def _is_title(heading: str) -> bool:
    h = heading.strip()
    return len(h) <= 160 and not h.endswith((".", ";")) and not re.search(r"[.;!?]\s+[" + _UPPER + "]", h)


def _inside(spans: list[Span | None], a: int, b: int) -> bool:
    """Whether most of ``[a, b)`` lies in one of the heading spans."""
    for s in spans:
        if s is None:
            continue
        ov = min(b, s[1]) - max(a, s[0])
        if ov > 0 and ov >= 0.5 * (b - a):
            return True
    return False
