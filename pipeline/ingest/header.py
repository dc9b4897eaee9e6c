"""Header parser: Quốc hiệu or Party header, issuer, số và ký hiệu, place and date, type line,
trích yếu, Kính gửi, urgency and secrecy marks (ND30 ô 1-5, 9a, 10; HD36 §2.3-2.6).

The header reaches us in several shapes, and the parser reads them all the same way:

* ``pdftotext -layout``: both columns on one line, apart by a run of spaces
  (``UBND TỈNH LÂM ĐỒNG      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM``);
* Word tables: the cells apart by tabs, or one cell per line, left column first;
* markdown: ``|`` cells, ``**bold**``, ``\\*`` and lines hard-wrapped inside a cell.

It first builds a *view* of the top of the text with the markup removed and an offset map
back to :attr:`Document.text`.  The right-column anchors (Quốc hiệu, Tiêu ngữ, Party header,
place-date) and the number are found on the view with patterns that may cross line breaks,
and blanked out; what is left of each line, at its left, is the issuer column.

>>> from pipeline.ingest import ingest_text
>>> doc = ingest_text("UBND TỈNH LÂM ĐỒNG      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
...                   "     SỞ NỘI VỤ              Độc lập - Tự do - Hạnh phúc\\n"
...                   "Số: 181 /BC-SNV       Lâm Đồng, ngày 05 tháng 11 năm 2025\\n\\n"
...                   "BÁO CÁO\\nTổng kết công tác năm 2025\\n\\nThực hiện ...\\n")
>>> doc.issuer.name, doc.issuer.parent, doc.number.text, doc.date, doc.doc_type, doc.title
('SỞ NỘI VỤ', 'UBND TỈNH LÂM ĐỒNG', '181/BC-SNV', '2025-11-05', 'BC', 'Tổng kết công tác năm 2025')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.ingest.doctypes import codes_for, fold, match_type_line, type_code
from pipeline.ingest.header_dates import PlaceDate, find_date, find_place_date
from pipeline.ingest.lines import Line, split_lines
from pipeline.ingest.numbers import RE_NUMBER_PARTY, RE_NUMBER_STATE, number_from_match
from pipeline.model import Document, Issuer, Number, Span

# How far down the header may start (a web page may put a metadata table first).
MAX_HEADER_LINES = 160

RE_QUOC_HIEU = re.compile(r"C[ỘO]NG\s*H(?:ÒA|OÀ)\s*X[ÃA]\s*H[ỘO]I\s*CH[ỦU]\s*NGH[ĨI]A\s*VI[ỆE]T\s*NAM", re.I)
RE_TIEU_NGU = re.compile(r"Độc\s*lập\s*[-\u2013\u2014]?\s*Tự\s*do\s*[-\u2013\u2014]?\s*Hạnh\s*phúc", re.I)
RE_PARTY = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", re.I)
RE_RULE = re.compile(r"^[\s\-_=.*~•\u2013\u2014]+$")  # ----, ____, *, ***
RE_STAR_LINE = re.compile(r"^\s*(?:\\?\*|\*\s*\*\s*\*)\s*$")  # "*", "\\*", "***"; a lone "**" is markdown
RE_VV = re.compile(r"^(?:V/[vV]|v/v)\b")
RE_KINH_GUI = re.compile(r"^Kính\s+(?:gửi|trình)\s*:?\s*", re.I)
RE_DRAFT = re.compile(r"^\(?\s*(?:DỰ THẢO|Dự thảo)(?:\s+(?:lần|LẦN)\s*\d+)?\s*\)?$")
RE_HEADING = re.compile(
    r"^(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[A-HĐ])\s*[.):\-–]\s*\S|^(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục)\s+(?:[\dIVX]|THỨ|thứ)|^Điều\s+\d"
)
RE_BODY_CUE = re.compile(
    r"^(?:Căn\s+cứ|Kính\s+(?:gửi|trình)|Theo\s+(?:đề\s+nghị|yêu\s+cầu|quy\s+định|chỉ\s+đạo)|Thực\s+hiện\s+\S+\s+(?:số|của)"
    r"|Trong\s+(?:năm|tháng|quý|thời\s+gian|những\s+năm|nhiệm\s+kỳ)|Ngày\s+\d|Sau\s+khi|Để\s|Nhằm\s|Qua\s|Hiện\s+nay)",
)
RE_STAMP = re.compile(
    r"^(?P<urgency>HỎA\s+TỐC(?:\s+HẸN\s+GIỜ)?|HOẢ\s+TỐC(?:\s+HẸN\s+GIỜ)?|THƯỢNG\s+KHẨN|KHẨN)$"
    r"|^(?P<secrecy>TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT)$"
)
# The words a body's name starts with; a header line that starts with one opens a new body
# (parent over issuer), any other line continues the name above it.
_HEADS = (
    "ỦY BAN",
    "UBND",
    "HỘI ĐỒNG",
    "HĐND",
    "SỞ",
    "BỘ",
    "BAN",
    "VĂN PHÒNG",
    "VP",
    "CỤC",
    "TỔNG CỤC",
    "CHI CỤC",
    "VỤ",
    "PHÒNG",
    "TRUNG TÂM",
    "TRƯỜNG",
    "VIỆN",
    "HỌC VIỆN",
    "BỆNH VIỆN",
    "ĐOÀN",
    "THANH TRA",
    "CÔNG AN",
    "BỘ CHỈ HUY",
    "BỘ TƯ LỆNH",
    "KHO BẠC",
    "BẢO HIỂM",
    "NGÂN HÀNG",
    "CHI NHÁNH",
    "CÔNG TY",
    "TỔNG CÔNG TY",
    "TẬP ĐOÀN",
    "HIỆP HỘI",
    "HỘI",
    "LIÊN ĐOÀN",
    "LIÊN HIỆP",
    "TỈNH ĐOÀN",
    "THÀNH ĐOÀN",
    "ĐẢNG ỦY",
    "ĐẢNG BỘ",
    "ĐẢNG ĐOÀN",
    "BAN CÁN SỰ",
    "CHI BỘ",
    "TỈNH ỦY",
    "THÀNH ỦY",
    "HUYỆN ỦY",
    "QUẬN ỦY",
    "THỊ ỦY",
    "ĐẠI HỘI",
    "CHÍNH PHỦ",
    "QUỐC HỘI",
    "TÒA ÁN",
    "TAND",
    "VIỆN KIỂM SÁT",
    "VKSND",
    "KIỂM TOÁN",
    "MẶT TRẬN",
    "MTTQ",
    "TỔ",
    "QUỸ",
    "ĐÀI",
    "BÁO",
    "TẠP CHÍ",
    "THƯ VIỆN",
    "BẢO TÀNG",
    "HẠT",
    "ĐỒN",
    "LỮ ĐOÀN",
    "SƯ ĐOÀN",
    "QUÂN KHU",
    "BỘ ĐỘI",
    "BAN QUẢN LÝ",
    "BQL",
    "NHÀ",
    "CẢNG VỤ",
    "ĐẠI HỌC",
    "CAO ĐẲNG",
    "THƯỜNG TRỰC",
    "CƠ QUAN",
    "ỦY BAN KIỂM TRA",
    "BCH",
    "BAN CHẤP HÀNH",
    "BAN THƯỜNG VỤ",
    "BAN CHỈ ĐẠO",
    "TIỂU BAN",
    "LIÊN MINH",
    "HỢP TÁC XÃ",
    "XÍ NGHIỆP",
    "NHÀ MÁY",
    "CHI ĐOÀN",
    "CÔNG ĐOÀN",
    "KIỂM LÂM",
    "BIÊN PHÒNG",
)
_HEAD_RE = re.compile(
    r"^(?:" + "|".join(re.escape(h) for h in sorted(_HEADS, key=len, reverse=True)) + r")(?![\w])"
)
# Administrative units: a line that starts with one names where the body above sits.
_UNIT_RE = re.compile(
    r"^(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)(?![\w])(?!\s+ỦY)"
)
# A body name that cannot stand without its place or field.
_INCOMPLETE = re.compile(
    r"(?:,|\bVÀ|\bCỦA|[-–&])$|^(?:ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|ĐẠI HỘI ĐẠI BIỂU|ĐẢNG BỘ)$"
)
_CLOSING = re.compile(r"^(?:Nơi\s+nhận|N[ơo]i\s+nh[ậa]n|TM\.|KT\.|TL\.|T/M|K/T|STT\b)", re.I)
# Signature positions that open the body of a decision ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...").
_AUTHORITY = re.compile(
    r"^(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|CHÁNH|TRƯỞNG BAN|VIỆN TRƯỞNG)\b"
)


# ---------------------------------------------------------------- the view


@dataclass(slots=True)
class _View:
    """The top of the text with markup removed; ``pos[i]`` is the document offset of ``text[i]``."""

    text: str
    pos: list[int]
    lines: list[Line] = field(default_factory=list)
    mask: list[bool] = field(default_factory=list)  # True where an anchor was taken

    def doc_span(self, a: int, b: int) -> Span:
        if b <= a:
            return (self.pos[a], self.pos[a])
        return (self.pos[a], self.pos[b - 1] + 1)

    _chars: list[str] = field(default_factory=list)
    _cache: str | None = None

    def take(self, a: int, b: int) -> None:
        if not self._chars:
            self._chars = list(self.text)
        for i in range(a, b):
            self.mask[i] = True
            if self._chars[i] != "\n":
                self._chars[i] = " "
        self._cache = None

    def masked(self) -> str:
        """The view text with taken characters turned into spaces (line breaks kept)."""
        # Called once per anchor search: cached, and rebuilt only after a take().
        if self._cache is None:
            self._cache = "".join(self._chars) if self._chars else self.text
        return self._cache


_MARKUP_CHARS = re.compile(r"[*\\|\u00a0#]")


def _clean_line(raw: str, base: int) -> tuple[str, list[int]]:
    """Drop markdown markup from one line; keep the Party ``*`` line as ``*``."""
    if RE_STAR_LINE.match(raw):
        i = raw.index("*")
        return "*", [base + i]
    if not _MARKUP_CHARS.search(raw):  # the common case: nothing to clean
        return raw, list(range(base, base + len(raw)))
    out: list[str] = []
    pos: list[int] = []
    s = raw
    i = 0
    m = re.match(r"^\s*#{1,6}\s+", s)
    if m:
        i = m.end()
    while i < len(s):
        c = s[i]
        if c == "*" or (c == "\\" and i + 1 < len(s) and not s[i + 1].isalnum()):
            i += 1
            continue
        if c == "|":
            c = "\t"
        elif c == "\u00a0":
            c = " "
        out.append(c)
        pos.append(base + i)
        i += 1
    return "".join(out), pos


def _build_view(text: str, lines: list[Line]) -> _View:
    chunks: list[str] = []
    pos: list[int] = []
    for ln in lines:
        t, p = _clean_line(ln.text, ln.start)
        chunks.append(t + "\n")
        pos.extend(p)
        pos.append(ln.end)
    vtext = "".join(chunks)
    pos.append(pos[-1] + 1 if pos else 0)
    view = _View(text=vtext, pos=pos, mask=[False] * len(vtext))
    view.lines = split_lines(vtext)
    return view


_GAP = re.compile(r"\t+\s*| {3,}")
_RULE_TAIL = re.compile(r"\s*[-_=]{3,}\s*$")
_RULE_HEAD = re.compile(r"^\s*[-_=]{3,}\s*")


def _cells(masked: str, line: Line) -> list[tuple[int, int, str]]:
    """Cells of a view line after masking, split at tabs and runs of two or more spaces."""
    s = masked[line.start : line.end]
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in [*_GAP.finditer(s), None]:
        a, b = (pos, m.start()) if m else (pos, len(s))
        seg = s[a:b]
        # a rule glued to a cell by a joined table row: "TỈNH QUẢNG TRỊ -------"
        if not RE_RULE.match(seg):
            tail = _RULE_TAIL.search(seg)
            if tail:
                b, seg = a + tail.start(), seg[: tail.start()]
            head = _RULE_HEAD.match(seg)
            if head:
                a, seg = a + head.end(), seg[head.end() :]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            t = seg.strip()
            out.append((line.start + a + lead, line.start + a + lead + len(t), t))
        if m:
            pos = m.end()
    return out


def _line_at(view: _View, offset: int) -> int:
    for ln in view.lines:
        if ln.start <= offset <= ln.end:
            return ln.index
    return len(view.lines) - 1


# ---------------------------------------------------------------- small predicates


def _letters(s: str) -> str:
    return "".join(c for c in s if c.isalpha())


def _is_upper(s: str) -> bool:
    """Mostly upper-case letters (``UBND TỈNH LÂM ĐỒNG``, ``SỞ GD&ĐT``)."""
    letters = _letters(s)
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_rule(s: str) -> bool:
    return bool(s) and bool(RE_RULE.match(s))


def _starts_lower(s: str) -> bool:
    s = s.lstrip("\"'“(")
    return bool(s) and s[0].isalpha() and s[0].islower()


def _issuer_like(s: str) -> bool:
    return _is_upper(s) or bool(_HEAD_RE.match(fold(s)))


# ---------------------------------------------------------------- the parse


@dataclass(slots=True)
class _Found:
    """Header elements found on the view, as view offsets."""

    system: str | None = None
    number: Number | None = None
    number_span: Span | None = None
    number_line: int | None = None
    date: PlaceDate | None = None
    type_line: int | None = None
    type_name: str | None = None
    type_key: str | None = None  # the lexicon name ("BÁO CÁO" for "BÁO CÁO TÓM TẮT")
    type_rest: str = ""
    subtitle_type: str | None = None  # "(Báo cáo chính trị …)" under a title with no type line
    vv_lines: list[int] = field(default_factory=list)
    end: int = 0  # view offset where the header ends
    anchors: list[Span] = field(default_factory=list)


def parse_header(doc: Document, lines: list[Line]) -> int:
    """Set the header fields of ``doc``; return the offset where the body begins.

    Documents without a header (a summary, a note) keep every field ``None`` and the body
    starts at 0.
    """
    if not lines:
        return 0
    view = _build_view(doc.text, lines[:MAX_HEADER_LINES])
    found = _Found()
    _find_system(doc, view, found)
    _find_number(doc, view, found)
    _find_type_line(view, found)
    _find_date(doc, view, found)
    issuer_end = _find_issuer(doc, view, found)
    _find_vv(doc, view, found)
    _find_title(doc, view, found)
    _find_addressees(doc, view, found)
    _find_stamps(doc, view, found)
    _set_doc_type(doc, found)
    if doc.date is None and (doc.number or doc.issuer):
        _date_fallback(doc, lines)
    end = max(found.end, issuer_end)
    if end <= 0:
        return 0
    start = view.pos[min(end, len(view.pos) - 1)]
    # the body starts at the next line
    nl = doc.text.find("\n", max(start - 1, 0))
    return len(doc.text) if nl < 0 else nl + 1


def _note(found: _Found, a: int, b: int) -> None:
    found.end = max(found.end, b)


def _find_system(doc: Document, view: _View, found: _Found) -> None:
    """Quốc hiệu or Party header: printed in capitals, or alone in its cell (legacy fonts may
    have turned the capitals into small letters); a mention in running text does not count."""
    hits = []
    for rx, system in ((RE_QUOC_HIEU, "state"), (RE_PARTY, "party")):
        for m in rx.finditer(view.text):
            if m.group(0).isupper() or _alone_in_cell(view.text, (m.start(), m.end())):
                hits.append((m.start(), m.end(), system))
                view.take(m.start(), m.end())
                break
    if hits:
        a, b, system = min(hits)
        doc.system = found.system = system
        doc.spans["system"] = view.doc_span(a, b)
    m = RE_TIEU_NGU.search(view.masked())
    if m:
        view.take(m.start(), m.end())


def _find_number(doc: Document, view: _View, found: _Found) -> None:
    masked = view.masked()
    # blank the first place-date so that a ký hiệu wrapped after its hyphen ("QĐ-" / "UBND")
    # does not run into the date cell beside it
    pd = find_place_date(masked)
    if pd is not None:
        a, b = pd.span
        masked = masked[:a] + re.sub(r"[^\n]", " ", masked[a:b]) + masked[b:]
    best: tuple[int, re.Match[str], bool] | None = None
    for rx, party in ((RE_NUMBER_PARTY, True), (RE_NUMBER_STATE, False)):
        for m in rx.finditer(masked):
            if not m.group("so"):
                continue
            # "Số" opens a cell: only space or a column gap before it on its line
            a = m.start("so")
            ls = masked.rfind("\n", 0, a) + 1
            before = masked[ls:a]
            if before.strip() and not re.search(r"(?:\t| {2,})$", before):
                continue
            if best is None or a < best[0]:
                best = (a, m, party)
            break
    if best is None:
        return
    a, m, party = best
    num = number_from_match(m, party=party)
    s, e = num.span or (m.start(), m.end())
    if num.seq is None:
        stamp = _stamped_seq(view, masked, num, _line_at(view, a))
        if stamp is not None:
            s, e = min(s, stamp[0]), max(e, stamp[1])
    found.number = num
    found.number_line = _line_at(view, a)
    view.take(m.start(), m.end())
    num.span = view.doc_span(s, e)
    doc.number = num
    doc.spans["number"] = num.span
    _note(found, m.start(), m.end())


def _stamped_seq(view: _View, masked: str, num: Number, li: int) -> tuple[int, int] | None:
    """A number stamped on its own line next to a blank ``Số:      /BNV-CCHC``."""
    for j in (li - 1, li + 1, li - 2):
        if not 0 <= j < len(view.lines):
            continue
        cells = _cells(masked, view.lines[j])
        if cells and re.fullmatch(r"\d{1,7}", cells[0][2]):
            a, b, t = cells[0]
            num.seq = t
            num.text = t + num.text
            view.take(a, b)
            return a, b
    return None


def _find_type_line(view: _View, found: _Found) -> None:
    """The type line: an upper-case line opening with a type name, near the anchors."""
    masked = view.masked()
    start_line = 0
    if found.number_line is not None:
        start_line = max(0, found.number_line - 12)
    budget = 18  # non-blank lines after the last anchor
    last_anchor = found.number_line if found.number_line is not None else -1
    for ln in view.lines[start_line:]:
        s = masked[ln.start : ln.end].strip()
        if not s:
            continue
        if ln.index > last_anchor:
            budget -= 1
            if budget < 0:
                return
        if RE_DRAFT.match(s) or "\t" in s.strip() or re.search(r" {3,}", s):
            continue
        hit = match_type_line(s)
        if hit is None or not (_is_upper(s) or not hit[2]):
            continue
        name, _code, rest = hit
        found.type_key = name
        # "BÁO CÁO TÓM TẮT" keeps its qualifier; a longer rest is the trích yếu itself
        if rest and (len(rest.split()) > 3 or re.search(r"\d", rest)):
            found.type_name, found.type_rest = name, rest
        else:
            found.type_name = " ".join(s.split())
        found.type_line = ln.index
        return


def _find_date(doc: Document, view: _View, found: _Found) -> None:
    masked = view.masked()
    end = view.lines[found.type_line].start if found.type_line is not None else len(masked)
    if found.type_line is None and found.number_line is not None:
        # no type line to bound it: the date sits within a few lines of the number
        # and before anything that reads as a title, a table or the closing block
        seen = 0
        for ln in view.lines[found.number_line :]:
            s = masked[ln.start : ln.end].strip()
            if ln.index > found.number_line and s and "ngày" not in s.lower():
                first = _cells(masked, ln)[0][2]
                if (
                    (_is_upper(first) and len(first.split()) >= 4)
                    or _CLOSING.match(first)
                    or RE_HEADING.match(first)
                ):
                    end = ln.start
                    break
            end = ln.end
            if s:
                seen += 1
                if seen > 6:
                    break
    pd = find_place_date(masked, 0, end)
    if pd is None:
        dd = find_date(masked, 0, end)
        # a date with no place counts only as a cell of its own ("Ngày 15 tháng 12 năm 2025")
        if dd and _alone_in_cell(masked, dd.span):
            pd = dd
    if pd is None:
        return
    found.date = pd
    view.take(*pd.span)
    _note(found, *pd.span)
    doc.date = pd.iso
    doc.spans["date"] = view.doc_span(*pd.date_span)
    if pd.place:
        doc.place = pd.place
        doc.spans["place"] = view.doc_span(*pd.place_span)  # type: ignore[misc]


def _alone_in_cell(text: str, span: Span) -> bool:
    ls = text.rfind("\n", 0, span[0]) + 1
    le = text.find("\n", span[1])
    le = len(text) if le < 0 else le
    before, after = text[ls : span[0]], text[span[1] : le]
    ok_before = not before.strip() or bool(re.search(r"(?:\t| {2,})$", before))
    ok_after = not after.strip() or bool(re.match(r"^(?:\t| {2,})", after))
    return ok_before and ok_after


# ---------------------------------------------------------------- issuer


def _find_issuer(doc: Document, view: _View, found: _Found) -> int:
    masked = view.masked()
    layout = sum(1 for ln in view.lines[:40] if len(_cells(masked, ln)) >= 2) >= 2
    picked: list[tuple[int, int, str]] = []
    if found.number_line is not None:
        picked = _issuer_upward(view, masked, found.number_line, layout)
    if not picked:
        picked = _issuer_downward(view, masked, found, layout)
    if not picked:
        return 0
    groups = _group_names([t for _, _, t in picked])
    if len(picked) == 1:
        cut = _joined_cut(picked[0][2])
        if cut:
            a, b, t = picked[0]
            picked = [(a, a + cut, t[:cut].rstrip()), (a + cut, b, t[cut:])]
            groups = [[picked[0][2]], [picked[1][2]]]
    # map groups back to fragments
    spans: list[tuple[int, int]] = []
    k = 0
    for g in groups:
        n = len(g)
        spans.append((picked[k][0], picked[k + n - 1][1]))
        k += n
    names = [" ".join(" ".join(g).split()) for g in groups]
    name, span = names[-1], spans[-1]
    parent = " ".join(names[:-1]) or None
    issuer = Issuer(name=name, span=view.doc_span(*span))
    doc.spans["issuer"] = issuer.span  # type: ignore[assignment]
    if parent:
        issuer.parent = parent
        issuer.parent_span = view.doc_span(spans[0][0], spans[-2][1])
        doc.spans["issuer_parent"] = issuer.parent_span
    doc.issuer = issuer
    for a, b, _ in picked:
        view.take(a, b)
    _note(found, picked[-1][0], picked[-1][1])
    return picked[-1][1]


def _left_fragment(view: _View, masked: str, ln: Line, layout: bool) -> tuple[int, int, str] | None:
    cells = _cells(masked, ln)
    if not cells:
        return None
    a, b, t = cells[0]
    # in a layout page a lone cell far to the right belongs to the right column
    if layout and len(cells) == 1 and a - ln.start > 34 and not _is_upper(t):
        return None
    if layout and len(cells) == 1 and a - ln.start > 40:
        return None
    return a, b, t


def _issuer_upward(view: _View, masked: str, li: int, layout: bool) -> list[tuple[int, int, str]]:
    """Issuer lines read upward from the number line, to the first line that is not one."""
    out: list[tuple[int, int, str]] = []
    for ln in reversed(view.lines[:li]):
        frag = _left_fragment(view, masked, ln, layout)
        if frag is None:
            continue
        t = frag[2]
        if _is_rule(t) or re.fullmatch(r"\d{1,7}", t):
            if out:
                break  # a rule or the page number above the issuer ends it
            continue
        if not _issuer_like(t) or RE_DRAFT.match(t):
            break
        out.append(frag)
    out.reverse()
    return out


def _issuer_downward(view: _View, masked: str, found: _Found, layout: bool) -> list[tuple[int, int, str]]:
    """Issuer lines read from the top when no number anchors them; the first must name a body."""
    out: list[tuple[int, int, str]] = []
    blanks = 0
    limit = found.type_line if found.type_line is not None else len(view.lines)
    for ln in view.lines[:limit]:
        frag = _left_fragment(view, masked, ln, layout)
        if frag is None:
            if out and not masked[ln.start : ln.end].strip():
                blanks += 1
                if blanks >= 2:
                    break
            continue
        blanks = 0
        t = frag[2]
        if not out and re.fullmatch(r"\d{1,4}", t):
            continue  # a page number above the header
        if _is_rule(t):
            break
        # without a Quốc hiệu or Party header only an upper-case body name opens a header;
        # with one, legacy fonts may have come out in lower case ("Chi bộ Thanh tra")
        anchored = found.system is not None
        if not out:
            if not _HEAD_RE.match(fold(t)) or not (_is_upper(t) or anchored):
                return []
        elif not (_issuer_like(t) or (anchored and _UNIT_RE.match(fold(t)))):
            break
        out.append(frag)
        if len(out) >= 8:
            break
    return out


_PARENT_START = re.compile(
    r"^(?:UBND|ỦY BAN NHÂN DÂN|HĐND|HỘI ĐỒNG NHÂN DÂN|BỘ|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|ĐẢNG ỦY|ĐẢNG BỘ"
    r"|BAN CHẤP HÀNH TRUNG ƯƠNG|ỦY BAN MTTQ|ỦY BAN MẶT TRẬN)\s"
)
_SUB_HEAD = re.compile(
    r"(?<=\s)(?:SỞ|BAN|VĂN PHÒNG|TRUNG TÂM|PHÒNG|THANH TRA|CHI CỤC|CỤC|ĐOÀN|HỘI ĐỒNG|BỘ CHỈ HUY|CÔNG AN"
    r"|KHO BẠC|HIỆP HỘI|CHI BỘ|ỦY BAN KIỂM TRA)(?=\s)"
)


def _joined_cut(name: str) -> int | None:
    """Where a parent and an issuer printed on one line meet (``UBND TỈNH LÂM ĐỒNG SỞ NỘI VỤ``).

    Only for a parent that is a council, committee, ministry or Party committee, and only at a
    sub-body word that comes after at least two words of the parent's name.
    """
    f = fold(name)
    if len(f) != len(name) or not _PARENT_START.match(f):
        return None
    for m in _SUB_HEAD.finditer(f):
        if len(f[: m.start()].split()) >= 3 and not _INCOMPLETE.search(f[: m.start()]):
            return m.start()
    return None


def _group_names(lines: list[str]) -> list[list[str]]:
    """Split issuer lines into bodies: ``[UBND TỈNH LÂM ĐỒNG] [SỞ NỘI VỤ]``.

    A line that starts with a body word opens a new body unless the line above is unfinished
    (ends with a comma or ``VÀ``, or is a bare ``ỦY BAN NHÂN DÂN``); a congress (``ĐẠI HỘI``)
    is one long name.
    """
    if not lines:
        return []
    if fold(lines[0]).startswith("ĐẠI HỘI"):
        return [lines]
    groups: list[list[str]] = [[lines[0]]]
    for t in lines[1:]:
        f = fold(t)
        prev = fold(" ".join(groups[-1]))
        new_body = bool(_HEAD_RE.match(f)) and not _UNIT_RE.match(f) and not _INCOMPLETE.search(prev)
        if new_body:
            groups.append([t])
        else:
            groups[-1].append(t)
    return groups


# ---------------------------------------------------------------- V/v, title, Kính gửi


def _find_vv(doc: Document, view: _View, found: _Found) -> None:
    if found.number_line is None:
        return
    masked = view.masked()
    stop = found.type_line if found.type_line is not None else len(view.lines)
    li0 = None
    for ln in view.lines[found.number_line : min(stop, found.number_line + 6)]:
        cells = _cells(masked, ln)
        for a, b, t in cells[:1]:
            if RE_VV.match(t):
                li0 = ln.index
                frags = [(a, b, t)]
                break
        if li0 is not None:
            break
    if li0 is None:
        return
    for ln in view.lines[li0 + 1 : li0 + 8]:
        cells = _cells(masked, ln)
        if not cells:
            break
        a, b, t = cells[0]
        if RE_KINH_GUI.match(t) or RE_BODY_CUE.match(t) or len(t) > 90:
            break
        if _is_upper(t) and not re.search(r"\d", t):
            break
        frags.append((a, b, t))
    text = " ".join(" ".join(t for _, _, t in frags).split())
    doc.title = text
    doc.spans["title"] = view.doc_span(frags[0][0], frags[-1][1])
    found.vv_lines = [_line_at(view, a) for a, _, _ in frags]
    for a, b, _ in frags:
        view.take(a, b)
    _note(found, frags[-1][0], frags[-1][1])


def _find_title(doc: Document, view: _View, found: _Found) -> None:
    masked = view.masked()
    if found.type_line is not None:
        tl = view.lines[found.type_line]
        s = masked[tl.start : tl.end]
        doc.type_name = found.type_name
        a = tl.start + len(s) - len(s.lstrip())
        doc.spans["doc_type"] = view.doc_span(a, tl.start + len(s.rstrip()))
        _note(found, tl.start, tl.end)
        first: list[tuple[int, int, str]] = []
        if found.type_rest:
            k = s.find(found.type_rest.split()[0], a + len(found.type_name or "") - tl.start)
            first = [(tl.start + k, tl.start + len(s.rstrip()), found.type_rest)] if k >= 0 else []
        frags = first + _title_lines(view, masked, found.type_line + 1, bool(first))
    elif doc.title is None and (doc.issuer or doc.number):
        after = max([found.number_line or 0, *found.vv_lines, _line_at(view, found.end)])
        frags = _title_lines(view, masked, after + 1, False, upper_only=True)
        if frags:
            found.subtitle_type = _subtitle_type(view, masked, _line_at(view, frags[-1][1]) + 1)
    else:
        return
    if not frags:
        return
    if doc.title is None:
        doc.title = " ".join(" ".join(t for _, _, t in frags).split())
        doc.spans["title"] = view.doc_span(frags[0][0], frags[-1][1])
    _note(found, frags[-1][0], frags[-1][1])
    # a rule under the trích yếu closes the block
    nxt = _line_at(view, frags[-1][1]) + 1
    if nxt < len(view.lines):
        s = masked[view.lines[nxt].start : view.lines[nxt].end].strip()
        if _is_rule(s):
            _note(found, view.lines[nxt].start, view.lines[nxt].end)


def _subtitle_type(view: _View, masked: str, li: int) -> str | None:
    """The type named by a parenthesised line under the title: ``(Báo cáo chính trị của …``."""
    for ln in view.lines[li : li + 4]:
        s = masked[ln.start : ln.end].strip()
        if not s:
            continue
        if not s.startswith("("):
            return None
        words = s[1:].split()
        for n in (4, 3, 2):
            hit = match_type_line(" ".join(words[:n]))
            if hit and not hit[2]:
                return hit[0]
        return None
    return None


def _title_lines(
    view: _View, masked: str, li: int, started: bool, *, upper_only: bool = False
) -> list[tuple[int, int, str]]:
    """The trích yếu lines from view line ``li`` on (see the module notes for the stop rules)."""
    out: list[tuple[int, int, str]] = []
    blank = 0
    all_upper = True
    for ln in view.lines[li:]:
        raw = masked[ln.start : ln.end]
        s = raw.strip()
        if not s:
            blank += 1
            if not out and not started and blank > 4:
                return out
            continue
        t = " ".join(s.split())
        a = ln.start + len(raw) - len(raw.lstrip())
        frag = (a, ln.start + len(raw.rstrip()), t)
        if _is_rule(t) or RE_KINH_GUI.match(t):
            break
        if not out and not started:
            if RE_DRAFT.match(t):
                continue
            if (
                RE_HEADING.match(t)
                or (RE_BODY_CUE.match(t) and not t.startswith("Thực hiện"))
                or t.endswith(":")
            ):
                break
            if len(t) > 300 or (upper_only and not _is_upper(t)):
                break
            out.append(frag)
            all_upper = _is_upper(t)
            blank = 0
            continue
        # continuation rules
        if t.startswith("(") and (blank or t.endswith(")")):
            break
        if blank and not _starts_lower(t):
            break
        if re.match(r"^[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,4}\s*:", t):
            break  # a form label ("họ và tên:") starts the body
        if RE_BODY_CUE.match(t) or RE_HEADING.match(t) or _AUTHORITY.match(t):
            break
        if _is_upper(t) and not all_upper:
            break
        if upper_only and not _is_upper(t):
            break
        if len(t) > 300:
            break
        out.append(frag)
        all_upper = all_upper and _is_upper(t)
        blank = 0
        if len(out) >= 8:
            break
    return out


def _find_addressees(doc: Document, view: _View, found: _Found) -> None:
    masked = view.masked()
    li0 = _line_at(view, found.end)
    for ln in view.lines[max(0, li0 - 2) : li0 + 8]:
        cells = _cells(masked, ln)
        for a, b, t in cells:
            m = RE_KINH_GUI.match(t)
            if m:
                _read_addressees(doc, view, masked, ln, a + m.end(), b, t[m.end() :], found)
                return


def _read_addressees(
    doc: Document, view: _View, masked: str, ln: Line, a: int, b: int, inline: str, found: _Found
) -> None:
    items: list[str] = []
    end = b
    if inline.strip():
        items.append(inline.strip())
    for nxt in view.lines[ln.index + 1 : ln.index + 30]:
        cells = _cells(masked, nxt)
        if not cells:
            if items:
                break
            continue
        t = " ".join(c[2] for c in cells)
        dash = re.match(r"^[-–•+]\s*", t)
        last = items[-1] if items else ""
        if dash:
            items.append(t[dash.end() :])
        elif not items or last.endswith((";", ",")) and not RE_BODY_CUE.match(t) and len(t) < 150:
            if not items and (RE_BODY_CUE.match(t) or len(t) > 150):
                break
            items.append(t)
        elif not last.endswith((".", ";", ",")) and len(t) < 100 and not RE_BODY_CUE.match(t):
            items[-1] = f"{last} {t}"
        else:
            break
        end = cells[-1][1]
        if items[-1].endswith("."):
            break
    clean = [re.sub(r"[;,.]\s*$", "", " ".join(i.split())) for i in items]
    doc.addressees = [c for c in clean if c]
    if doc.addressees:
        doc.spans["addressees"] = view.doc_span(a, end)
        _note(found, a, end)


def _find_stamps(doc: Document, view: _View, found: _Found) -> None:
    masked = view.masked()
    last = _line_at(view, found.end)
    for ln in view.lines[: last + 1]:
        for a, b, t in _cells(masked, ln):
            m = RE_STAMP.match(fold(t))
            if not m:
                continue
            if m.group("urgency") and doc.urgency is None:
                doc.urgency = " ".join(t.split())
                doc.spans["urgency"] = view.doc_span(a, b)
            elif m.group("secrecy") and doc.secrecy is None:
                doc.secrecy = " ".join(t.split())
                doc.spans["secrecy"] = view.doc_span(a, b)


# ---------------------------------------------------------------- type code


def _set_doc_type(doc: Document, found: _Found) -> None:
    num = doc.number
    if found.type_key:
        if num and num.type in codes_for(found.type_key):
            doc.doc_type = num.type
        else:
            doc.doc_type = type_code(found.type_key, system=doc.system)
        return
    if doc.title and RE_VV.match(doc.title):
        doc.doc_type = "CV"
        return
    if num and num.type:
        doc.doc_type = num.type
        return
    if found.subtitle_type:
        doc.doc_type = type_code(found.subtitle_type, system=doc.system)


def _date_fallback(doc: Document, lines: list[Line]) -> None:
    """No date in the header: take the signing date line (``Đăk Nông, ngày 24 tháng 4 năm 2019``)."""
    view = _build_view(doc.text, lines)
    masked = view.masked()
    best = find_place_date(masked)
    if best is None:
        # "Ngày 15 tháng 12 năm 2025" alone in a cell, a complete one first
        cands = []
        pos = 0
        while True:
            d = find_date(masked, pos)
            if d is None:
                break
            if _alone_in_cell(masked, d.span):
                cands.append(d)
            pos = d.span[1]
        cands.sort(key=lambda d: not d.complete)
        best = cands[0] if cands else None
    if best is None:
        return
    doc.date = best.iso
    doc.spans["date"] = view.doc_span(*best.date_span)
    if best.place:
        doc.place = best.place
        doc.spans["place"] = view.doc_span(*best.place_span)  # type: ignore[misc]
