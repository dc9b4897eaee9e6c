"""The ``Nơi nhận`` list, and the column pieces the closing parsers share.

The closing of a document is laid out in two columns: recipients on the left, the signature
block on the right.  Text extraction keeps both on one line, separated by a run of spaces
(``pdftotext -layout``), a tab (a Word table flattened to text) or ``|`` (``antiword``,
Markdown tables).  :func:`pieces` cuts a line into such column pieces with offsets;
:func:`parse_recipients` follows the left column and hands the right column back to the
signature parser.

>>> from pipeline.ingest.lines import split_lines
>>> text = "Nơi nhận:          KT. GIÁM ĐỐC\\n- Như trên;        PHÓ GIÁM ĐỐC\\n- Lưu: VT, TCBC.\\n"
>>> found = parse_recipients(split_lines(text), 0)
>>> [r.text for r in found.recipients]
['Như trên', 'Lưu: VT, TCBC']
>>> [p.text for p in found.right]
['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.ingest.lines import Line
from pipeline.model import Recipient

UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LO = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"

# The label, after markup: "Nơi nhận:", "*Nơi nhận:*", "| Nơi nhận:".
RE_NOI_NHAN = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*:?", re.I)
# A column gap inside a line: a tab, ``|`` or three spaces or more.
_SPLIT = re.compile(r"\t+|\|| {3,}")
_DASH = re.compile(r"^[-\u2010-\u2014\u2022+•]\s*")
# Several entries run together on one line: "- A, - B, - Lưu VP."
_INLINE = re.compile(r"(?<=[;,.])\s+(?=[-\u2013]\s)")
_LUU = re.compile(r"^Lưu\b", re.I)
_TERMINATED = re.compile(r"[;,.]\s*$")


@dataclass(slots=True)
class Piece:
    """A column piece of a line: its cleaned text, its offsets and the line it sits on."""

    text: str
    start: int
    end: int
    line: int
    col: int
    odd: bool = False  # an unbalanced ``**``: the bold run goes on in the next piece


@dataclass(slots=True)
class Recipients:
    """What :func:`parse_recipients` found: the entries, the right column, where it stopped."""

    recipients: list[Recipient] = field(default_factory=list)
    right: list[Piece] = field(default_factory=list)
    end_line: int = 0  # index of the first line after the list


def clean(text: str) -> str:
    """Drop Markdown emphasis and collapse white space: ``**KT. CHỦ TỊCH **`` → ``KT. CHỦ TỊCH``."""
    text = re.sub(r"\*+|__+|^#+\s*", " ", text)
    text = text.replace("\\", "")
    return " ".join(text.split())


def pieces(line: Line) -> list[Piece]:
    """The column pieces of ``line``, in order, markup removed, empty ones dropped."""
    out: list[Piece] = []
    pos = 0
    s = line.text
    for m in [*_SPLIT.finditer(s), None]:
        a, b = pos, (m.start() if m else len(s))
        seg = s[a:b]
        text = clean(seg)
        if text and re.search(r"\w", text):
            left = len(seg) - len(seg.lstrip(" *#_"))
            right = len(seg.rstrip(" *_"))
            odd = seg.count("**") % 2 == 1
            out.append(
                Piece(
                    text, line.start + a + left, line.start + a + max(left, right), line.index, a + left, odd
                )
            )
        if m:
            pos = m.end()
    return out


def is_blank(line: Line) -> bool:
    return not re.search(r"\w", line.text)


def strip_entry(text: str) -> str:
    """An entry without its leading dash and trailing ``;``/``,``/``.``."""
    text = _DASH.sub("", text).strip()
    text = clean(text)
    return re.sub(r"\s*[;,.]+$", "", text).strip()


def parse_recipients(
    lines: list[Line],
    label: int,
    stop: int | None = None,
    *,
    is_signature_text: Callable[[str], str | None] | None = None,
) -> Recipients:
    """Read the ``Nơi nhận`` list whose label is on line ``label``.

    Entries start with a dash (``-``, ``–``, ``•``) and end with ``;``, ``,`` or ``.``; a
    line without a dash continues the entry before it (a wrapped entry).  Lists printed
    without dashes are read one entry per terminated line.  The list ends after the
    ``Lưu`` entry, at a signature line in the left column, or after a run of blank lines.
    ``is_signature_text`` tells a signature line (authority, position, name) from an entry.
    """
    stop = len(lines) if stop is None else stop
    sig = is_signature_text or (lambda t: None)
    out = Recipients(end_line=label + 1)
    first = pieces(lines[label])
    if not first:
        return out
    head = first[0]
    m = RE_NOI_NHAN.match(head.text)
    label_col = head.col
    left_max = label_col + 24
    entries: list[list] = []  # [text, start, end]
    dashless: bool | None = None
    blank_run = 0
    done = False

    def add(text: str, a: int, b: int, *, new: bool) -> None:
        if new or not entries:
            entries.append([text, a, b])
        else:
            entries[-1][0] = f"{entries[-1][0]} {text}".strip()
            entries[-1][2] = b

    def feed(p: Piece, text: str) -> bool:
        """Route one left-column piece; False when it ends the list."""
        nonlocal dashless, done
        text, spill = _split_spill(text)
        if spill:
            out.right.append(Piece(spill, p.end - len(spill), p.end, p.line, p.col + len(text)))
        for part in _INLINE.split(text):
            dash = bool(_DASH.match(part))
            if dashless is None:
                dashless = not dash
            last_done = bool(entries) and bool(_TERMINATED.search(entries[-1][0]))
            if dash:
                add(part, p.start, p.end, new=True)
            elif dashless:
                add(part, p.start, p.end, new=last_done or not entries)
            else:
                add(part, p.start, p.end, new=False)
            if entries and _LUU.match(strip_entry(entries[-1][0])) and _TERMINATED.search(part):
                done = True
        return True

    rest = head.text[m.end() :].strip() if m else ""
    if rest:
        rp = Piece(rest, head.end - len(rest), head.end, head.line, head.col + len(head.text) - len(rest))
        if _DASH.match(rest):
            feed(rp, rest)
        else:
            out.right.append(rp)
    out.right.extend(first[1:])
    i = label + 1
    while i < stop:
        line = lines[i]
        ps = pieces(line)
        if not ps:
            blank_run += 1
            i += 1
            continue
        left = ps[0] if ps[0].col < left_max else None
        out.right.extend(ps[1:] if left else ps)
        if left is not None:
            text = left.text
            if done or re.fullmatch(r"\d{1,3}", text):
                if done and not re.fullmatch(r"\d{1,3}", text):
                    break
            elif sig(text) and not _DASH.match(text):
                out.right.append(left)
                if entries and sig(text) == "authority":
                    done = True
            elif entries and blank_run >= 2 and not _DASH.match(text) and dashless is False:
                break
            else:
                feed(left, text)
        blank_run = 0
        i += 1
    out.end_line = i
    for text, a, b in entries:
        t = strip_entry(text)
        if t:
            out.recipients.append(Recipient(text=t, span=(a, b)))
    return out


# Words a position line starts with (``PHÓ CHỦ TỊCH``, ``GIÁM ĐỐC``, ``VỤ TRƯỞNG`` ...).
TITLE = (
    r"(?:PHÓ|CHỦ\s+TỊCH|CHỦ\s+NHIỆM|GIÁM\s+ĐỐC|TỔNG\s+GIÁM\s+ĐỐC|TRƯỞNG|[\w]+\s+TRƯỞNG|CHÁNH|BÍ\s+THƯ|"
    r"THỦ\s+TƯỚNG|TỔNG\s+KIỂM\s+TOÁN|KIỂM\s+TOÁN\s+TRƯỞNG|VIỆN\s+TRƯỞNG|CHÁNH\s+ÁN|TỔNG\s+THƯ\s+KÝ|"
    r"THƯ\s+KÝ|ỦY\s+VIÊN|UỶ\s+VIÊN|HIỆU\s+TRƯỞNG|CHỈ\s+HUY|TƯ\s+LỆNH|CHÍNH\s+ỦY|THỦ\s+TRƯỞNG|QUYỀN)\b"
)
_NAME_TAIL = re.compile(
    rf"^(?P<entry>.*?[;,.])\s+(?P<tail>(?:[{UP}][{LO}]+\s+){{1,4}}[{UP}][{LO}]+|{TITLE}[{UP}\s]*|\([^)]*\))$"
)


def _split_spill(text: str) -> tuple[str, str]:
    """Cut signature-column text that a one-space layout glued to an entry.

    ``Thành ủy, HĐND, UBND thành phố; Lê Thị Bích Thuận`` → the entry and the signer's name.
    Only a tail after a terminator that is a name, an upper-case line or a note such as
    ``(Đã ký và đóng dấu)`` is cut; ``Bộ Dân tộc và Tôn giáo; (để b/c)`` keeps its note.
    """
    m = _NAME_TAIL.match(text)
    if not m:
        return text, ""
    tail = m.group("tail")
    if tail.startswith("(") and not re.search(r"(?i)ký|dấu", tail):
        return text, ""
    return m.group("entry"), tail
