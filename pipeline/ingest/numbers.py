"""Number-and-symbol (số, ký hiệu) of state, Party and legal-normative documents.

The document's own number, in its header; numbers cited in the text are read by
:mod:`pipeline.nlp.references`.

Three shapes are printed (FORMAT.md §1.5, §2.4):

* state (ND30): ``Số: 329/BC-UBND``, a công văn ``Số: 1967/UBND-HCC`` (no type code);
* legal-normative: ``Số: 06/2024/QĐ-UBND`` (a four-digit year between two slashes);
* Party (HD36): ``Số 904-CV/BTGTU`` (hyphen, type, slash, issuers).

Drafts leave the sequence blank (``Số:      /BC-UBND``, ``Số    -NQ/ĐU``); layout extraction
puts spaces around ``/`` and ``-`` and may wrap the ký hiệu after a hyphen.  The normalised
text drops those spaces and keeps the blank: ``/BC-UBND``.

>>> n = parse_number("Số: 329      /BC-UBND")
>>> (n.text, n.seq, n.type, n.issuers, n.style)
('329/BC-UBND', '329', 'BC', ['UBND'], 'state')
>>> parse_number("Số 01-CTPH/BTG-HĐND-UBND-TA-VKS").issuers
['BTG', 'HĐND', 'UBND', 'TA', 'VKS']
"""

from __future__ import annotations

import re

from pipeline.ingest.doctypes import PARTY_TYPE_CODES, STATE_TYPE_CODES
from pipeline.model import Number

UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LO = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
HY = "[-\u2010\u2011\u2012\u2013\u2014\u2212]"  # hyphen and the dashes that stand for it
YEAR = r"(?:19|20)\d{2}"
# An abbreviation group: QĐ, CTr, QyĐ, QĐi, UBTVQH15, KH&ĐT, TT.HĐND; starts upper-case.
ABBR = rf"[{UP}][{UP}{LO}0-9&]*(?:\.[{UP}][{UP}{LO}0-9&]*)*"
# Hyphen-joined groups; a line may break after a hyphen, never before one.
_CHAIN = rf"{ABBR}(?:[ \t]*{HY}\s*{ABBR})*"
# The sequence: digits, sometimes a letter prefix or suffix (M8, 12a) or a sub-number (133-12).
SEQ = rf"(?:[{UP}]{{0,2}}\d{{1,7}}[a-z]?(?:[-.]\d{{1,4}})?)"
_FILL = r"[\s.…_]*"  # what stands for a blank sequence in a draft
# "Số:", "Số", "SỐ:", "So:" at the start of the field.
SO = rf"(?<![{UP}{LO}])S[ốỐoO](?![{UP}{LO}])[ \t]*[:.]?\s*"

RE_NUMBER_PARTY = re.compile(
    rf"(?P<so>{SO})?(?P<seq>\d{{1,7}})?{_FILL}{HY}[ \t]*(?P<type>[{UP}][{UP}{LO}]*)"
    rf"[ \t]*/\s*(?P<kh>{_CHAIN})"
)
RE_NUMBER_STATE = re.compile(
    rf"(?P<so>{SO})?(?P<seq>{SEQ})?{_FILL}/\s*(?:(?P<year>{YEAR})[ \t]*/\s*)?(?P<kh>{_CHAIN})"
)
_HY = re.compile(HY)
_WS = re.compile(r"\s+")


def _chain(text: str) -> list[str]:
    return [t for t in _HY.split(_WS.sub("", text)) if t]


def number_from_match(m: re.Match[str], *, party: bool) -> Number:
    """Build a :class:`Number` from a match of one of the patterns above.

    The span runs from the sequence (or, when it is blank, from the separator) to the end of
    the ký hiệu, relative to the searched string.
    """
    seq = m.group("seq") or None
    groups = _chain(m.group("kh"))
    start = m.start("seq") if seq else (m.end("so") if m.groupdict().get("so") else m.start())
    # skip the filler of a blank sequence
    while start < m.end() and m.string[start] in " \t\n.…_":
        start += 1
    span = (start, m.end("kh"))
    if party:
        type_ = m.group("type")
        text = f"{seq or ''}-{type_}/{'-'.join(groups)}"
        return Number(text=text, seq=seq, type=type_, issuers=groups, style="party", span=span)
    year = m.group("year") if "year" in m.re.groupindex else None
    head = f"{seq or ''}/" + (f"{year}/" if year else "")
    text = head + "-".join(groups)
    if groups and groups[0] in STATE_TYPE_CODES | PARTY_TYPE_CODES:
        type_, issuers = groups[0], groups[1:]
    else:
        # a công văn: issuer then drafting unit (UBND-HCC); a law: QH15
        type_, issuers = None, groups[:1]
    return Number(
        text=text,
        seq=seq,
        year=int(year) if year else None,
        type=type_,
        issuers=issuers,
        style="normative" if year else "state",
        span=span,
    )


def match_number(text: str, pos: int = 0, endpos: int | None = None) -> Number | None:
    """The first number-and-symbol introduced by ``Số`` in ``text[pos:endpos]``.

    Party shape first (it is the more specific), then state; spans are offsets in ``text``.
    """
    end = len(text) if endpos is None else endpos
    best: Number | None = None
    best_at = end + 1
    for rx, party in ((RE_NUMBER_PARTY, True), (RE_NUMBER_STATE, False)):
        for m in rx.finditer(text, pos, end):
            if not m.group("so"):
                continue
            if m.start() < best_at:
                best, best_at = number_from_match(m, party=party), m.start()
            break
    return best


def parse_number(text: str) -> Number | None:
    """Parse one number-and-symbol, with or without its ``Số:`` label.

    >>> parse_number("06/2024/QĐ-UBND").style
    'normative'
    >>> parse_number("Số:          /BC-BCĐ").text
    '/BC-BCĐ'
    >>> parse_number("Số    -NQ/ĐU").text
    '-NQ/ĐU'
    >>> parse_number("Số: 1967/UBND-HCC").type is None
    True
    """
    s = text.replace("\\", "").replace("*", "")
    for rx, party in ((RE_NUMBER_PARTY, True), (RE_NUMBER_STATE, False)):
        m = rx.search(s)
        if m and (m.group("seq") or m.group("so")):
            return number_from_match(m, party=party)
    return None

