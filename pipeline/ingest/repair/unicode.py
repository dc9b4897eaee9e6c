"""Code-point repairs: NFC, invisible characters, spaces and line ends, look-alike letters.

Two steps live here.  :func:`basic_edits` and :func:`nfc_edits` run first, before anything
reads the text (legacy-font detection included); :func:`lookalike_edits` runs after the
legacy-font conversion, because the characters it replaces (``Ð``, ``ð``, the soft hyphen,
C0/C1 controls) are letters of TCVN3 text until that conversion has read them.

>>> from pipeline.ingest.repair.edit import apply_edits
>>> apply_edits("PHƢƠNG HƢỚNG", lookalike_edits("PHƢƠNG HƢỚNG"))[0]
'PHƯƠNG HƯỚNG'
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.ingest.repair.edit import Edits

# -- step 1: invisible characters, spaces, line ends -----------------------------------------

_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u180e\x00"
# Spaces a layout or a web page uses for a plain space; U+2007/U+202F keep numbers together.
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# \v is Word's manual line break (Shift+Enter) in extracted text; U+2028/2029 are Unicode's.
_BASIC = re.compile(f"[{_INVISIBLE}{_SPACES}\r\v\u2028\u2029]")


def basic_edits(text: str) -> tuple[Edits, Edits]:
    """BOM and zero-width characters removed; exotic spaces to a space; CRLF, CR, VT to LF.

    Returns ``(invisible, whitespace)`` edit lists so that the caller can report them apart.
    Form feeds (page breaks) and tabs (column gaps) are kept.
    """
    invisible: Edits = []
    whitespace: Edits = []
    for m in _BASIC.finditer(text):
        c, i = m.group(), m.start()
        if c in _INVISIBLE:
            invisible.append((i, i + 1, ""))
        elif c in _SPACES:
            whitespace.append((i, i + 1, " "))
        elif c == "\r" and text.startswith("\n", i + 1):
            whitespace.append((i, i + 1, ""))  # CRLF: the CR goes, the LF stays where it is
        else:
            whitespace.append((i, i + 1, "\n"))
    return invisible, whitespace


def nfc_edits(text: str) -> Edits:
    """Edits that bring ``text`` to Unicode NFC, one grapheme cluster at a time.

    ``"Ủy"`` typed as ``U`` + U+031B... decomposed (NFD, cp1258 decoders, some PDF text
    layers) becomes one precomposed letter mapped to its base letter.
    """
    if unicodedata.is_normalized("NFC", text):
        return []
    edits: Edits = []
    pos = 0
    for line in text.split("\n"):
        if not unicodedata.is_normalized("NFC", line):
            edits.extend(_nfc_line(line, pos))
        pos += len(line) + 1
    return edits


def _nfc_line(line: str, base: int) -> Edits:
    edits: Edits = []
    n = len(line)
    i = 0
    combining = unicodedata.combining
    while i < n:
        j = i + 1
        while j < n and combining(line[j]):
            j += 1
        cluster = line[i:j]
        fixed = unicodedata.normalize("NFC", cluster)
        if fixed != cluster:
            edits.append((base + i, base + j, fixed))
        i = j
    out = _apply_local(line, edits, base)
    if not unicodedata.is_normalized("NFC", out):
        # Compositions across starters (Hangul jamo, some Indic vowels): redo the line whole.
        return [(base, base + n, unicodedata.normalize("NFC", line))]
    return edits


def _apply_local(line: str, edits: Edits, base: int) -> str:
    parts: list[str] = []
    i = 0
    for s, e, rep in edits:
        parts.append(line[i : s - base])
        parts.append(rep)
        i = e - base
    parts.append(line[i:])
    return "".join(parts)


# -- step 4: look-alike code points -------------------------------------------------------

# Unambiguous substitutions: PDF fonts that map Ư/ư to the Latin letter OI (U+01A2/3), the
# Icelandic Eth and African D used for Đ, fullwidth digits, ligatures from PDF text layers.
_FIXED: dict[str, str] = {
    "\u01a2": "Ư",
    "\u01a3": "ư",
    "\u00d0": "Đ",
    "\u0189": "Đ",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\u00ad": "",  # soft hyphen: an invisible line-break hint
}
_FIXED.update({chr(0xFF10 + d): str(d) for d in range(10)})
# Symbol-font bullets that PDF text layers leave in the Private Use Area (Wingdings, Symbol).
_FIXED.update({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf0e0": "→"})
# C1 controls are cp1252 characters read as Latin-1 (“ ” – … in a mis-decoded file).
for _b in range(0x80, 0xA0):
    try:
        _FIXED[chr(_b)] = bytes([_b]).decode("cp1252")
    except UnicodeDecodeError:
        _FIXED[chr(_b)] = ""
# Remaining C0 controls carry nothing (TAB, LF, FF are kept; CR and VT were handled in step 1).
_FIXED.update({chr(c): "" for c in range(0x20) if chr(c) not in "\t\n\f\r\v"})
_FIXED["\x7f"] = ""

# Cyrillic and Greek letters that look like Latin ones, replaced only inside a word that also
# holds Latin letters (a Russian or Greek word stays as it is).
_CONFUSABLE: dict[str, str] = dict(
    zip(
        "АВЕКМНОРСТХаеорсухіјѕІЈЅ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνυ",
        "ABEKMHOPCTXaeopcyxijsIJS" "ABEZHIKMNOPTYXoikvu",
        strict=True,
    )
)
# Every Vietnamese vowel letter, with or without a tone mark, both cases.
_VI_VOWEL = "".join(
    sorted(
        {
            unicodedata.normalize("NFC", b + t)
            for b in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
            for t in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
        }
        | {c.upper() for c in "aăâeêioôơuưy"}
    )
)

_LOOK = re.compile("[" + "".join(re.escape(c) for c in (*_FIXED, "\u00f0", *_CONFUSABLE)) + "]")
_WORD_CHAR = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")


def _confusable_word(text: str, pos: int) -> tuple[int, str]:
    """The letters around ``pos`` (start offset, word)."""
    a = pos
    while a > 0 and _WORD_CHAR.match(text[a - 1]):
        a -= 1
    b = pos + 1
    while b < len(text) and _WORD_CHAR.match(text[b]):
        b += 1
    return a, text[a:b]


def _word_fix(word: str) -> str | None:
    if not _LATIN.search(word):
        return None
    if any(c not in _CONFUSABLE and unicodedata.name(c, "").startswith(("CYRILLIC", "GREEK")) for c in word):
        return None  # a real Cyrillic/Greek word glued to Latin letters: leave it
    return "".join(_CONFUSABLE.get(c, c) for c in word)


def lookalike_edits(text: str) -> Edits:
    """Edits replacing look-alike code points by the Vietnamese letters they stand for.

    ``Ƣ``/``ƣ`` → ``Ư``/``ư``; ``Ð`` (Eth) and ``Ɖ`` → ``Đ``; ``ð`` → ``đ`` before a vowel
    (đ begins a syllable, never ends one); Cyrillic/Greek look-alikes inside Latin words;
    fullwidth digits; ligatures; soft hyphens and control characters removed.  Dashes are
    kept: the parsers read them.
    """
    edits: Edits = []
    done = -1  # end of the last word already judged for confusables
    for m in _LOOK.finditer(text):
        s = m.group()
        if s in _FIXED:
            edits.append((m.start(), m.end(), _FIXED[s]))
        elif s == "\u00f0":
            i = m.start()
            starts_word = i == 0 or not _WORD_CHAR.match(text[i - 1])
            if starts_word and text[i + 1 : i + 2] and text[i + 1] in _VI_VOWEL:
                edits.append((i, i + 1, "đ"))
        elif m.start() >= done:
            start, word = _confusable_word(text, m.start())
            done = start + len(word)
            new = _word_fix(word)
            if new is not None:
                edits.extend((start + k, start + k + 1, b) for k, (a, b) in enumerate(zip(word, new, strict=True)) if a != b)
    edits.sort()  # a word's confusables may lie past a fixed character found later
    return edits
