"""The signature block: authority prefixes, position, signer, e-signature box.

The block reads top-down in the right column of the closing::

    TM. ỦY BAN NHÂN DÂN      ← authority (TM, on behalf of the collective)
    KT. CHỦ TỊCH             ← authority (KT, signing for the head)
    PHÓ CHỦ TỊCH             ← position: the line directly above the name
    (Đã ký)                  ← notes, seal and e-signature boxes are skipped
    Nguyễn Ngọc Phúc         ← signer, as printed

>>> from pipeline.ingest.recipients import Piece
>>> rows = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Nguyễn Ngọc Phúc"]
>>> sig = parse_signature([Piece(t, 0, len(t), i, 40) for i, t in enumerate(rows)])
>>> sig.authority, sig.on_behalf_of, sig.position, sig.signer
(['TM', 'KT'], 'ỦY BAN NHÂN DÂN', 'PHÓ CHỦ TỊCH', 'Nguyễn Ngọc Phúc')
"""

from __future__ import annotations

import re

from pipeline.ingest.recipients import LO, TITLE, UP, Piece
from pipeline.model import Signature

RE_AUTHORITY = re.compile(
    rf"^(?P<prefix>T\s*/\s*U\s*Q|T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|(?:TUQ|TM|KT|TL)(?=\s*\.|\s)|Q(?=\s*\.))"
    rf"\s*\.?\s*(?=[{UP}])(?P<body>[^{LO}]*)$"
)
_STATE = {"T/M": "TM", "K/T": "KT", "T/L": "TL", "T/UQ": "TUQ"}
# "(Đã ký)", "[đã ký]", "(Ký, đóng dấu)", "(Dấu của VĂN PHÒNG ...)", "( ký tên, đóng dấu)"
RE_NOTE = re.compile(r"(?i)^[(\[]\s*(?:đã\s+ký|ký|dấu|chữ\s+ký|đóng\s+dấu)[^)\]]*[)\]]$|^đã\s+ký$")
RE_ESIGN_START = re.compile(r"(?i)^(?:Ký\s+bởi|Người\s+ký)\s*:")
RE_ESIGN_END = re.compile(r"[+-]\d{2}:?\d{2}\s*$")
RE_ESIGN_BIT = re.compile(
    r"(?i)^(?:Email|Cơ\s+quan|Chức\s+vụ|Thời\s+gian\s+ký)\s*:|@|^[\d.:/+\-\s]+$|^\S+\.(?:vn|gov|com)\.?$"
)
# A syllable of a name; names of the Central Highlands peoples carry an apostrophe or a hyphen
# inside a syllable ("Ksor H'Bơ Lan", "Y Bih Niê-Kdăm").
_SYL = rf"[{UP}](?:[{LO}]|['’\-][{UP}{LO}])*"
RE_NAME = re.compile(rf"^{_SYL}(?:\s+(?:{_SYL}|[{LO}]+)){{0,3}}\s+{_SYL}$")
_NOT_NAMES = re.compile(r"(?i)^(?:Như\s|Nơi\s|Trân\s|Kính\s|Lưu\b|Đã\s)")
_TITLE_START = re.compile(rf"^{TITLE}")


def is_authority(text: str) -> bool:
    return bool(RE_AUTHORITY.match(text))


def is_name(text: str) -> bool:
    """A person's name as printed: 2–5 syllables, first and last capitalised, not all caps."""
    return bool(RE_NAME.match(text)) and not _NOT_NAMES.match(text) and not text.isupper()


def is_position(text: str) -> bool:
    """An upper-case line of the block: ``PHÓ GIÁM ĐỐC``, ``VỤ TỔ CHỨC PHI CHÍNH PHỦ``."""
    letters = re.sub(r"[^\w]|\d|_", "", text)
    return (
        len(letters) >= 2
        and letters.isupper()
        and len(text.split()) <= 14
        and not is_authority(text)
        and not re.search(r"\d{2,}", text)
    )


def is_signature_text(text: str) -> str | None:
    """What a left-column line of the signature block is (``authority``, ``note``, ``position``), or None."""
    if is_authority(text):
        return "authority"
    if RE_NOTE.match(text):
        return "note"
    if is_position(text) and len(text.split()) >= 2:
        return "position"
    return None


def join_bold(items: list[Piece]) -> list[Piece]:
    """Join pieces split inside one ``**...**`` run: ``**TM. ỦY BAN NHÂN`` + ``DÂN**``."""
    out: list[Piece] = []
    open_run = False
    for p in _unglue(items):
        if open_run and out:
            q = out[-1]
            out[-1] = Piece(f"{q.text} {p.text}", q.start, p.end, q.line, q.col)
        else:
            out.append(Piece(p.text, p.start, p.end, p.line, p.col))
        if p.odd:
            open_run = not open_run
    return out


_GLUED = re.compile(rf"(?<=[{UP}])(?=(?:TM|KT|TL|TUQ)\.\s?[{UP}])")


def _unglue(items: list[Piece]) -> list[Piece]:
    """Split an authority glued to a seal overlay: ``GIÁM ĐỐCKT. GIÁM ĐỐC``."""
    out: list[Piece] = []
    for p in items:
        m = _GLUED.search(p.text)
        if m and p.text[: m.start()].isupper():
            k = m.start()
            out.append(Piece(p.text[:k], p.start, p.start + k, p.line, p.col, False))
            out.append(Piece(p.text[k:], p.start + k, p.end, p.line, p.col + k, p.odd))
        else:
            out.append(p)
    return out


def drop_noise(items: list[Piece]) -> tuple[list[Piece], list[Piece]]:
    """Split the pieces into the block proper and the e-signature box pieces."""
    keep: list[Piece] = []
    box: list[Piece] = []
    in_box = 0
    for p in items:
        t = p.text
        if RE_ESIGN_START.match(t):
            in_box = 14
        if in_box:
            box.append(p)
            in_box = 0 if RE_ESIGN_END.search(t) else in_box - 1
            continue
        if RE_NOTE.match(t) or RE_ESIGN_BIT.search(t) or re.fullmatch(r"[\d\W_]+", t):
            continue
        keep.append(p)
    return keep, box


def normalise_prefix(prefix: str, *, party: bool) -> str:
    """One code per authority whatever the style: ``T/M`` (Party) and ``TM.`` (state) are both ``TM``.

    The gold annotations and the output contract use the undotted state codes for both systems,
    so that a Party and a state signature chain compare; the printed form stays in the text.
    """
    p = re.sub(r"\s+", "", prefix).upper()
    return _STATE.get(p, p)


def parse_signature(items: list[Piece], *, party: bool = False) -> Signature | None:
    """Read a signature block from its pieces in reading order.

    Prefixes are normalised to their undotted codes (``T/M``, ``TM.`` → ``TM``).  Returns ``None`` when the pieces
    hold neither an authority line nor a name.
    """
    keep, box = drop_noise(join_bold(items))
    sig = Signature()
    auth_at: list[int] = []
    # the block ends at the first name that follows an authority or a position line
    for i, p in enumerate(keep):
        if is_name(p.text) and i and (is_authority(keep[i - 1].text) or is_position(keep[i - 1].text)):
            keep = keep[: i + 1]
            break
    for i, p in enumerate(keep):
        m = RE_AUTHORITY.match(p.text)
        if m:
            sig.authority.append(normalise_prefix(m.group("prefix"), party=party))
            body = m.group("body").strip(" ,.")
            auth_at.append(i)
            if sig.on_behalf_of is None and sig.authority[-1] in ("TM", "T/M"):
                sig.on_behalf_of = body or None
    after = auth_at[0] if auth_at else -1
    name_at = next((i for i in range(after + 1, len(keep)) if is_name(keep[i].text)), None)
    if name_at is not None:
        sig.signer = keep[name_at].text
        sig.signer_span = (keep[name_at].start, keep[name_at].end)
    if name_at is not None:
        top = name_at
    else:  # no name printed: the position lines right after the last authority
        top = auth_at[-1] + 1 if auth_at else len(keep)
        while top < len(keep) and is_position(keep[top].text) and keep[top].line - keep[top - 1].line <= 2:
            top += 1
    sig.position = _position(keep, top, auth_at)
    if sig.position is None and name_at is not None and name_at > 0:
        prev = keep[name_at - 1]
        if not auth_at or name_at - 1 > auth_at[-1]:
            if len(prev.text.split()) <= 6 and not is_name(prev.text):
                sig.position = prev.text
    if not sig.authority and sig.signer is None:
        return None
    used = keep[: top + 1] if keep else []
    if used:
        sig.span = (min(p.start for p in used), max(p.end for p in used))
    if box:
        sig.esign = esign(box)
    return sig


def _position(keep: list[Piece], top: int, auth_at: list[int]) -> str | None:
    """The position: the block of upper-case lines directly above ``top``.

    A gap (a blank line or more than one line between two pieces) separates blocks:
    ``TM. BAN CHỈ ĐẠO / PHÓ TRƯỞNG BAN / ⏎⏎ / PHÓ CHỦ TỊCH UBND TỈNH`` gives the last.  In
    one block, a line starting with a title word starts a new position unless the line
    before it is incomplete (``PHÓ`` / ``TRƯỞNG BAN``); other lines continue it
    (``VỤ TRƯỞNG`` / ``VỤ TỔ CHỨC PHI CHÍNH PHỦ``).
    """
    block: list[Piece] = []
    i = top - 1
    while i >= 0:
        p = keep[i]
        if i in auth_at or not is_position(p.text):
            break
        if block and block[0].line - p.line > 2:
            break
        block.insert(0, p)
        i -= 1
    if not block:
        return None
    parts: list[str] = []
    for p in block:
        t = p.text.strip(" ,")
        if parts and _TITLE_START.match(t) and not re.search(r"\bPHÓ$", parts[-1]):
            parts = [t]
        else:
            parts.append(t)
    return " ".join(parts)


def esign(box: list[Piece]) -> dict:
    """``{"signer", "time", "span"}`` of a ``Ký bởi: … Thời gian ký: …`` box."""
    text = " ".join(p.text for p in box)
    who = re.search(
        r"(?i)(?:Ký\s+bởi|Người\s+ký)\s*:\s*(.+?)\s*(?=Email|Cơ\s+quan|Chức\s+vụ|Thời\s+gian|$)", text
    )
    ts = re.search(
        r"(?i)Thời\s+gian\s+ký\s*:\s*(\d{1,2}[./-]\d{1,2}[./-]\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{2}:?\d{2})?)",
        text,
    )
    return {
        "signer": who.group(1) if who else None,
        "time": ts.group(1) if ts else None,
        "span": (box[0].start, box[-1].end),
    }
