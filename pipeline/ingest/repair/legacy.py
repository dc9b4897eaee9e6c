"""Legacy 8-bit Vietnamese font encodings (TCVN3/ABC, VNI) read as Latin-1/cp1252 text.

Before Unicode (TCVN 6909:2001) Vietnamese documents were typed in fonts whose glyphs sit on
Latin-1 code points: ``.VnTime`` (TCVN3, also called ABC) puts each accented letter on one
byte, ``VNI-Times`` writes a base letter followed by a diacritic byte.  Extracted as text,
such a document reads ``§¶ng bé c¬ quan`` (TCVN3 for ``Đảng bộ cơ quan``) or ``Coäng hoøa``
(VNI for ``Cộng hòa``).  :func:`detect_legacy` recognises them by character statistics and
:func:`to_unicode` converts them.

>>> to_unicode("§¶ng bé c¬ quan", "tcvn3")
'Đảng bộ cơ quan'
>>> to_unicode("Coäng hoøa", "vni")
'Cộng hòa'
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.ingest.repair.edit import Edits

# -- TCVN3 (TCVN 5712:1993) ----------------------------------------------------------------
# Lower-case letters of the VN3 set used by the .VnTime fonts, from byte 0xA1 up.  The
# .VnTimeH fonts draw the same bytes as capitals (see ``to_unicode(..., "tcvn3h")``); the
# VN1 set adds precomposed capitals on the bytes VN3 leaves free, included below so that a
# VN1 text converts too.  Bytes 0x80-0x9F keep their cp1252 meaning (curly quotes, dashes):
# ABC fonts draw punctuation there, and 0xB0-0xB4 (VN1 combining marks) stay °±²³´.
_TCVN3_ROWS = (
    (0xA1, "ĂÂÊÔƠƯĐăâêôơưđẰ"),
    (0xB5, "àảãáạ"),
    (0xBA, "Ẳằẳẵắ"),
    (0xBF, "ẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"),
)
_TCVN3_C0 = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ",
             0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}  # fmt: skip


def _tcvn3_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for start, letters in _TCVN3_ROWS:
        for k, ch in enumerate(letters):
            table[chr(start + k)] = ch
    table.update({chr(b): ch for b, ch in _TCVN3_C0.items()})
    return table


TCVN3: dict[str, str] = _tcvn3_table()
"""TCVN3 code point (as read through Latin-1) → Unicode letter."""

# Characters of 0xA1-0xBF that a TCVN3 text is full of (ư ơ đ à á ả ã ạ ă â ê ô ...) and
# that Vietnamese Unicode text almost never holds.
_TCVN3_MARK = re.compile("[\u00a1-\u00af\u00b5-\u00bf]")

# -- VNI (VNI-Windows) -----------------------------------------------------------------------
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# Diacritic byte (lower-case form; the upper-case form is its Latin-1 capital) → marks.
_VNI_MARKS: dict[str, str] = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}  # fmt: skip
_TONES = frozenset("ùøûõï")
# Letters VNI writes on one byte: ơ ư đ and the i/ỵ family.
_VNI_SINGLE: dict[str, str] = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """Every VNI sequence (one or two characters) → Unicode letter, both cases."""
    table: dict[str, str] = {}
    for base, allowed in (("a", None), ("e", "âáàåãä"), ("o", "âáàåãä"), ("u", ""), ("y", ""), ("ô", ""), ("ö", "")):
        for mark, comb in _VNI_MARKS.items():
            if allowed is not None and mark not in _TONES and mark not in allowed:
                continue
            letter = _VNI_SINGLE.get(base, base)
            lower = unicodedata.normalize("NFC", unicodedata.normalize("NFD", letter) + comb)
            if len(lower) != 1:
                continue
            table[base + mark] = lower
            table[base.upper() + mark.upper()] = lower.upper()
            table[base.upper() + mark] = lower.upper()  # a capital typed before a lower-case mark byte
    for k, v in _VNI_SINGLE.items():
        table[k] = v
        table[k.upper()] = v.upper()
    return table


VNI: dict[str, str] = _vni_table()
"""VNI sequence (as read through Latin-1) → Unicode letter."""

_VNI_SEQ = re.compile("|".join(sorted((re.escape(k) for k in VNI), key=len, reverse=True)))
# Base + mark pairs that never occur in Unicode Vietnamese text (``oà``, ``uâ`` ... do: hoà, xuân).
_VNI_STRONG = re.compile(
    "[aeouyAEOUYôöÔÖ][ùøûõïäåüëÙØÛÕÏÄÅÜË]|[aeAE][âáàãêéèúÂÁÀÃÊÉÈÚ]|[oO][åäÅÄ]|[ñÑæÆîÎ]"
)
# Letters only Unicode Vietnamese has: ă đ ĩ ũ ơ ư and the whole U+1EA0 block.
_VIET = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def _encoding(name: str) -> str:
    n = name.strip().lower().lstrip(".").replace("_", "-").replace(" ", "-")
    if n in ("tcvn3h", "tcvn3-upper", "abch") or (n.startswith("vn") and n.endswith("h") and not n.startswith("vni")):
        return "tcvn3h"
    if n in ("tcvn3", "tcvn", "abc", "tcvn5712", "tcvn-5712", "vn3") or n.startswith("vn") and not n.startswith("vni"):
        return "tcvn3"
    if n.startswith("vni"):
        return "vni"
    raise ValueError(f"unknown legacy encoding {name!r}: use 'tcvn3', 'tcvn3h' (.VnTimeH capitals) or 'vni'")


def to_unicode(text: str, encoding: str) -> str:
    """Convert text typed in a legacy Vietnamese font to Unicode (NFC).

    Args:
        text: the text as read through Latin-1/cp1252 (a .docx run, a .doc paragraph).
        encoding: ``"tcvn3"`` (ABC, ``.VnTime``), ``"tcvn3h"`` (``.VnTimeH``: the same bytes
            drawn as capitals) or ``"vni"`` (``VNI-Times``); font names such as
            ``".VnTimeH"`` or ``"VNI-Helve"`` are accepted too.

    >>> to_unicode("Uû ban nh©n d©n", ".VnTime")
    'Uỷ ban nhân dân'
    >>> to_unicode("uû ban nh©n d©n", ".VnTimeH")
    'UỶ BAN NHÂN DÂN'
    """
    enc = _encoding(encoding)
    if enc == "vni":
        return _VNI_SEQ.sub(lambda m: VNI[m.group()], text)
    out = "".join(TCVN3.get(c, c) for c in text)
    return out.upper() if enc == "tcvn3h" else out


_TCVN3_BYTES = bytes(range(0xA1, 0xB0)) + bytes(range(0xB5, 0xC0))
_VNI_BYTES = "øûïäåüëñæîØÛÏÄÅÜËÑÆÎ".encode("latin-1")  # not letters of Vietnamese


def _count_bytes(latin: bytes, which: bytes) -> int:
    return len(latin) - len(latin.translate(None, which))


def _scores(text: str) -> tuple[int, int, int, int]:
    """(TCVN3 marks, VNI marks, Unicode-only Vietnamese letters, length); cheap when 0, 0."""
    latin = text.encode("latin-1", "ignore")
    tcvn = _count_bytes(latin, _TCVN3_BYTES)
    vni = len(_VNI_STRONG.findall(text)) if _count_bytes(latin, _VNI_BYTES) >= 5 else 0
    viet = len(_VIET.findall(text)) if max(tcvn, vni) >= 5 else 0
    return tcvn, vni, viet, len(text)


def detect_legacy(text: str) -> str | None:
    """``"tcvn3"``, ``"vni"`` or ``None`` for Unicode text.

    A legacy text is full of characters typical of its encoding (``¬ ­ ® µ ¸ ¶`` for TCVN3,
    a vowel followed by ``ø ù û õ ï ä å`` for VNI) and holds next to none of the letters only
    Unicode Vietnamese has (``ư ơ đ ạ ả ...``); Unicode text is the other way round.

    >>> detect_legacy("§¶ng bé c¬ quan UBND huyÖn lÖ thuû, b¶n tù kiÓm ®iÓm")
    'tcvn3'
    >>> detect_legacy("Đảng bộ cơ quan UBND huyện Lệ Thủy") is None
    True
    """
    tcvn, vni, viet, size = _scores(text)
    best, score = ("tcvn3", tcvn) if tcvn >= vni else ("vni", vni)
    # At least 5 marks and 1% of the characters (a Vietnamese text has an accented letter in
    # most words), and more marks than Unicode-only Vietnamese letters (a Unicode text has
    # thousands of those and no marks; a mixed one is converted line by line).
    if score >= 5 and score >= 0.01 * size and viet <= score:
        return best
    return None


def legacy_edits(text: str, encoding: str) -> Edits:
    """Edits converting ``text`` from ``encoding``, line by line.

    A line that holds Unicode-only Vietnamese letters and no mark of the legacy encoding is
    already Unicode (a mixed document, a heading retyped later) and is left alone.
    """
    enc = _encoding(encoding)
    edits: Edits = []
    pos = 0
    marks = _VNI_STRONG if enc == "vni" else _TCVN3_MARK
    for line in text.split("\n"):
        if not (_VIET.search(line) and not marks.search(line)):
            if enc == "vni":
                edits.extend((pos + m.start(), pos + m.end(), VNI[m.group()]) for m in _VNI_SEQ.finditer(line))
            else:
                upper = enc == "tcvn3h"
                for k, c in enumerate(line):
                    new = TCVN3.get(c)
                    if upper:
                        new = (new or c).upper()
                    if new is not None and new != c:
                        edits.append((pos + k, pos + k + 1, new))
        pos += len(line) + 1
    return edits
