"""Closing parser: where the body ends, the recipients, the signature block, the appendices.

The closing of an ND30 / HD36 document follows the body::

    ... kính báo cáo Bộ Nội vụ./.                 ← end of the body
    Nơi nhận:                       KT. CHỦ TỊCH  ← label and signature share a line
    - Bộ Nội vụ;                    PHÓ CHỦ TỊCH
    - Lưu: VT, NC.
                                    Nguyễn Ngọc Phúc
                 PHỤ LỤC                         ← appendices, kept apart from the body

The body ends where the closing begins: the first ``Nơi nhận`` label after the header (or
a signature block directly above it); without a label, the signature block at the end of
the text.  Appendices (``PHỤ LỤC``, ``Biểu số``, an attached text under ``(Kèm theo …)``)
after the closing get their own spans.

>>> from pipeline.ingest import ingest_text
>>> doc = ingest_text("Kính báo cáo./.\\nNơi nhận:          TM. ỦY BAN NHÂN DÂN\\n- Như trên;"
...                   "          CHỦ TỊCH\\n- Lưu: VT.\\n\\n                    Hồ Văn Mười\\n")
>>> doc.signature.authority, doc.signature.position, doc.signature.signer
(['TM'], 'CHỦ TỊCH', 'Hồ Văn Mười')
>>> doc.text[: doc.body_span[1]]
'Kính báo cáo./.'
"""

from __future__ import annotations

import re

from pipeline.ingest.lines import Line
from pipeline.ingest.recipients import RE_NOI_NHAN, Piece, clean, is_blank, parse_recipients, pieces
from pipeline.ingest.signature import (
    RE_ESIGN_BIT,
    RE_ESIGN_START,
    RE_NOTE,
    is_authority,
    is_name,
    is_position,
    is_signature_text,
    parse_signature,
)
from pipeline.model import Appendix, Document

RE_PARTY_HDR = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
RE_APPENDIX = re.compile(
    r"^(?:PHỤ\s+LỤC|PHỤ\s+BIỂU|Phụ\s+lục|Phụ\s+biểu|BIỂU\s+SỐ|Biểu\s+số|BIỂU\s+MẪU|Biểu\s+mẫu)"
    r"(?:\s+(?:số\s*)?[IVXLC\d]+[a-z]?)?\b(?P<rest>.*)$"
)
RE_KEM_THEO = re.compile(r"^\(?\s*Kèm\s+theo\b", re.I)
RE_QUOC_HIEU = re.compile(r"CỘNG\s*H[ÒO]A\s*XÃ\s*HỘI\s*CHỦ\s*NGHĨA|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
_TAIL_LINES = 40  # how far up from the end a label-less signature block is looked for


def parse_closing(doc: Document, lines: list[Line], body_start: int) -> int:
    """Set ``doc.recipients``, ``doc.signature`` and ``doc.appendices``; return the body end.

    ``lines`` are the lines of the whole text; ``body_start`` the offset where the header
    parser says the body begins.  The returned offset is the end of the last non-blank
    character of the body (never before ``body_start``).
    """
    text = doc.text
    first = next((ln.index for ln in lines if ln.end > body_start), len(lines))
    party = doc.system == "party" or (doc.system is None and bool(RE_PARTY_HDR.search(text[:1500])))

    label = _find_label(lines, first)
    if label is not None:
        limit = _attachment_line(lines, label + 1) or len(lines)
        found = parse_recipients(lines, label, limit, is_signature_text=is_signature_text)
        doc.recipients = found.recipients
        above = _block_above(lines, label, first)
        items = [p for i in range(above, label) for p in pieces(lines[i])]
        items += found.right + _tail_pieces(lines, found.end_line, limit)
        items.sort(key=lambda p: (p.line, p.col))
        doc.signature = parse_signature(items, party=party)
        start = above
    else:
        limit = _appendix_line(lines, first, strict=True) or len(lines)
        start = _block_at_end(lines, first, limit)
        if start is not None:
            items = _tail_pieces(lines, start, limit)
            doc.signature = parse_signature(items, party=party)
            if doc.signature is not None and not (doc.signature.authority or doc.signature.position):
                doc.signature = None  # a bare name at the end of a text is no signature block
            if doc.signature is None:
                start = None
        if start is None:
            start = limit
    doc.appendices = _appendices(text, lines, start, limit)
    end_at = lines[start].start if start < len(lines) else len(text)
    if doc.appendices:
        end_at = min(end_at, doc.appendices[0].span[0])
    end = len(text[:end_at].rstrip(" \t\r\n\f*_|#"))
    return max(end, min(body_start, len(text)))


def _find_label(lines: list[Line], first: int) -> int | None:
    for ln in lines[first:]:
        ps = pieces(ln)
        if ps and RE_NOI_NHAN.match(ps[0].text):
            return ln.index
    return None


def _sig_like(text: str) -> bool:
    return (
        is_signature_text(text)
        or is_position(text)
        or is_name(text)
        or bool(RE_NOTE.match(text) or RE_ESIGN_START.match(text) or RE_ESIGN_BIT.search(text))
        or bool(re.fullmatch(r"[\d\W_]+", text))
    )


def _block_above(lines: list[Line], label: int, first: int) -> int:
    """The first line of a signature block printed just above the label (a table row)."""
    top = label
    found = False
    i = label - 1
    while i >= first and label - i <= 12:
        ln = lines[i]
        if is_blank(ln):
            i -= 1
            continue
        ps = pieces(ln)
        if not all(_sig_like(p.text) for p in ps):
            break
        if any(is_authority(p.text) or is_name(p.text) for p in ps):
            found = True
        top = i
        i -= 1
    return top if found else label


def _block_at_end(lines: list[Line], first: int, limit: int) -> int | None:
    """The first line of the signature block that ends the text, for documents without a label."""
    top = None
    seen = 0
    i = limit - 1
    while i >= first and seen < _TAIL_LINES:
        ln = lines[i]
        if is_blank(ln):
            i -= 1
            continue
        seen += 1
        ps = pieces(ln)
        if not ps or not all(_sig_like(p.text) for p in ps):
            break
        top = i
        i -= 1
    return top


def _tail_pieces(lines: list[Line], a: int, b: int) -> list[Piece]:
    """The pieces of lines ``a`` to ``b``, up to the first line of prose (a footnote, a new text)."""
    out: list[Piece] = []
    for ln in lines[a:b]:
        ps = pieces(ln)
        if any(len(p.text.split()) >= 5 and not _sig_like(p.text) for p in ps):
            break
        out.extend(ps)
    return out


def _attachment_line(lines: list[Line], a: int) -> int | None:
    """The first line of an appendix or of an attached text (``… (Kèm theo …)``) from line ``a`` on."""
    best = _appendix_line(lines, a)
    for ln in lines[a : best if best is not None else len(lines)]:
        if RE_KEM_THEO.match(clean(ln.text.replace("|", " "))):
            top, _ = _title_above(lines, ln.index, a)
            if top is not None:
                return top
    return best


def _appendix_line(lines: list[Line], a: int, *, strict: bool = False) -> int | None:
    """The first appendix title line from line ``a`` on.

    ``strict`` (no closing found to anchor the search) accepts only upper-case titles.
    """
    for ln in lines[a:]:
        t = clean(ln.text.replace("|", " "))
        m = RE_APPENDIX.match(t)
        if not m or len(t.split()) > 16 or re.search(r"[.;,)]$", t):
            continue
        if strict and not t[:6].isupper():
            continue
        rest = m.group("rest").strip(" .:-–")
        if rest and not rest.isupper() and len(rest.split()) > 6:
            continue
        return ln.index
    return None


def _appendices(text: str, lines: list[Line], start: int, limit: int) -> list[Appendix]:
    """Appendix titles after the closing, each spanning to the next one or the end."""
    heads: list[tuple[int, str]] = []
    i = start
    while i < len(lines):
        ln = lines[i]
        t = clean(ln.text.replace("|", " "))
        m = RE_APPENDIX.match(t)
        if m and heads and not m.group(0).upper().startswith("PHỤ"):
            m = None  # "Biểu mẫu 1" inside an appendix is a table of it
        if i >= limit and m and i == (_appendix_line(lines, i) or -1):
            title, j = _title(lines, i + 1, [t])
            heads.append((i, title))
            i = j
            continue
        if RE_KEM_THEO.match(t) and i > start + 1:
            top, title = _title_above(lines, i, start)
            if top is not None and all(h[0] < top for h in heads):
                heads.append((top, title))
        i += 1
    heads.sort()
    out: list[Appendix] = []
    for k, (i, title) in enumerate(heads):
        a = lines[i].start + (len(lines[i].text) - len(lines[i].text.lstrip()))
        b = lines[heads[k + 1][0]].start if k + 1 < len(heads) else len(text)
        out.append(Appendix(title=title, span=(a, len(text[:b].rstrip(" \t\r\n\f*_|#")))))
    return out


def _upper(t: str) -> bool:
    letters = re.sub(r"[\W\d_]", "", t)
    return len(letters) >= 2 and letters.isupper()


def _title(lines: list[Line], i: int, parts: list[str]) -> tuple[str, int]:
    """Join the upper-case title lines below an appendix label."""
    while i < len(lines) and len(parts) < 6:
        t = clean(lines[i].text.replace("|", " "))
        if not t:
            if len(parts) > 1:
                break
            i += 1
            continue
        if not _upper(t) or RE_KEM_THEO.match(t) or RE_APPENDIX.match(t) and len(parts) > 1:
            break
        parts.append(t)
        i += 1
    return " ".join(parts), i


def _title_above(lines: list[Line], kem: int, start: int) -> tuple[int | None, str]:
    """The upper-case title lines above a ``(Kèm theo …)`` line, and where the attachment starts."""
    parts: list[str] = []
    top = None
    i = kem - 1
    while i > start and len(parts) < 5:
        t = clean(lines[i].text.replace("|", " "))
        if not t or not t.isupper() or RE_QUOC_HIEU.search(t) or len(pieces(lines[i])) > 1:
            break
        parts.insert(0, t)
        top = i
        i -= 1
    if top is None:
        return None, ""
    for j in range(top - 1, max(start, top - 8), -1):
        if RE_QUOC_HIEU.search(lines[j].text):
            top = j - 1 if j - 1 > start and not is_blank(lines[j - 1]) and j - 1 >= 0 else j
            break
    return top, " ".join(parts)
