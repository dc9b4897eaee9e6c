"""Cited documents: every number-and-symbol (số, ký hiệu) a text refers to.

Both numbering systems are read:

* state (ND30) ``4625/BNV-CCHC``, ``329/BC-UBND``, normative ``06/2024/QĐ-UBND``, laws ``72/2025/QH15``,
  and the slash-only variants printed in the wild (``57/NQ/TW``, ``180/KH/UBND``);
* Party (HD36) ``904-CV/BTGTU``, ``01-CTPH/BTG-HĐND-UBND-TA-VKS``, ``102-CTr/TU`` (also ``174 KL/TW``).

A number broken over two lines after its hyphen (``117/QĐ-`` / ``UBND``) is joined.  Laws cited
only by name (``Luật Đất đai``) have no number and are not references.

>>> [r["number"] for r in find_references("Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ")]
['4625/BNV-CCHC']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from pipeline.ingest.doctypes import PARTY_TYPE_CODES, STATE_TYPE_CODES
from pipeline.nlp.vntext import LO, UP, YEAR, expand_year, fold_space, make_date, normalize_dashes

__all__ = ["REFERENCE_KEYS", "find_references", "link_references", "normalize_number"]

REFERENCE_KEYS = ("number", "type", "date", "issuer", "span", "text")

# Type codes (ND30 Phụ lục III, VBQPPL, TT01/TTLT55 legacy, HD36 Party codes: ingest.doctypes), and
# what a cited state symbol may also open with: KL and CV (Party codes that state documents cite in
# the state form, ``57/KL/TW``) and TTg (the Prime Minister's công văn, ``1234/TTg-KGVX``).
STATE_TYPES = STATE_TYPE_CODES | {"CV", "KL", "TTg"}
PARTY_TYPES = PARTY_TYPE_CODES

# The word that names a document before its number → the type code.
TYPE_WORDS: dict[str, str] = {
    "công văn": "CV", "văn bản": "", "quyết định": "QĐ", "nghị quyết liên tịch": "NQLT", "nghị quyết": "NQ",
    "nghị định": "NĐ", "thông tư liên tịch": "TTLT", "thông tư": "TT", "chỉ thị": "CT", "kế hoạch": "KH",
    "chương trình phối hợp": "CTPH", "chương trình": "CTr", "báo cáo": "BC", "tờ trình": "TTr",
    "thông báo": "TB", "hướng dẫn": "HD", "kết luận": "KL", "quy định": "QyĐ", "quy chế": "QC",
    "công điện": "CĐ", "đề án": "ĐA", "phương án": "PA", "dự án": "DA", "giấy mời": "GM", "thông tri": "TT",
    "luật": "Luật", "pháp lệnh": "PL", "biên bản": "BB", "hợp đồng": "HĐ", "lệnh": "L",
}  # fmt: skip
_TYPE_WORD_RE = re.compile(
    r"(?i)\b("
    + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in TYPE_WORDS), key=len, reverse=True))
    + r")\b"
)

_SP = r"[ \t]*"
_SPN = r"[ \t]*(?:\n[ \t]*)?"  # a separator may end a line
_TOK = rf"[{UP}][{UP}{LO}0-9&]*"
_SEQ = r"\d{1,6}"

_CITE = re.compile(
    rf"""(?<![\w/.,:-])(?P<seq>{_SEQ})(?P<mark>\*{{1,2}}(?=[ \t]*[/-]))?
    (?:
        (?P<p_sep>{_SP}-{_SPN}|[ ])(?P<p_type>{_TOK}){_SP}/{_SPN}(?P<p_sym>{_TOK}(?:{_SP}-{_SPN}{_TOK})*)
      | {_SP}/{_SPN}(?:(?P<year>{YEAR}){_SP}/{_SPN})?(?P<s_sym>{_TOK}(?:{_SP}[-/]{_SPN}{_TOK})*)
    )""",
    re.X,
)
_DATE_AFTER = re.compile(
    rf"""\A[ \t]*,?\s*(?:được\s+)?(?:ban\s+hành\s+)?ngày[\s*]+
    (?:(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})\s*[/.-]\s*(?P<y>{YEAR}|\d{{2}})
      |(?P<d2>\d{{1,2}})\s+tháng\s+(?P<m2>\d{{1,2}})\s+năm\s+(?P<y2>{YEAR}))""",
    re.X,
)
_ISSUER_AFTER = re.compile(rf"\A\s*,?\s*(?:của|do)\s+(?P<who>[{UP}][^\n;:()“”\"]*?(?:\n[^\n;:()“”\"]*?)?)(?=$|[;:()“”\".]|,|\s+(?:về|v/v|V/v|thực hiện|quy định|hướng dẫn|ban hành|triển khai|phê duyệt|đã|và|giao|nhằm|trong|trên|ở|tại|theo|với|đối với|để|cho|gửi|được)\b)")
_FORM_BEFORE = re.compile(r"(?i)(?:mẫu|biểu|phụ lục|tờ khai|bảng)\s+(?:số\s*)?:?\s*$")
_SO_BEFORE = re.compile(r"(?i)\b(?:số|ký hiệu)\s*:?\s*$")


def _valid_token(tok: str) -> bool:
    """An abbreviation: mostly capitals (``CTr``, ``QĐi`` and ``QyĐ`` carry one small letter; ``Lưu`` does not)."""
    up = sum(1 for c in tok if c.isupper())
    lo = sum(1 for c in tok if c.islower())
    return up >= 1 and up >= lo and up + lo > 0 and not (lo and up == 1 and len(tok) > 2)


def _split_symbol(sym: str) -> tuple[list[str], list[str]]:
    """Tokens of a symbol and the separators between them, cut before the first non-abbreviation."""
    parts = re.split(r"([ \t]*[-/][ \t]*\n?[ \t]*)", sym)
    toks, seps = [parts[0]], []
    for i in range(1, len(parts) - 1, 2):
        if not _valid_token(parts[i + 1]):
            break
        seps.append(parts[i].strip())
        toks.append(parts[i + 1])
    return toks, seps


def normalize_number(text: str) -> str:
    """A number-and-symbol in the form the gold uses: dashes unified, no spaces around ``/`` and ``-``.

    >>> normalize_number("12 / BC – UBND")
    '12/BC-UBND'
    """
    s = normalize_dashes(fold_space(text))
    s = re.sub(r"\s*([/-])\s*", r"\1", s)
    return s.strip(" .,;")


def _type_from_context(before: str) -> str | None:
    """The type code named by the words just before a number (``Công văn số`` → ``CV``).

    The type word must stand right before the number, with ``số`` and at most a few words between:
    ``Kế hoạch hành động số``, ``Luật Cán bộ, công chức số`` (a law's name may be longer).
    """
    tail = before[-60:]
    matches = list(_TYPE_WORD_RE.finditer(tail))
    if not matches:
        return None
    m = matches[-1]
    word = fold_space(m.group(1)).lower()
    code = TYPE_WORDS[word]
    if code == "Luật" and not m.group(1).startswith("L"):
        return None  # "pháp luật", "theo luật": not a law's title
    most = 7 if code == "Luật" else 2
    rest = tail[m.end() :]
    if not re.fullmatch(rf"(?:[\s,]+[^\s\d;:.]{{1,12}}){{0,{most}}}?[\s*]*(?:số[\s*]*:?)?[\s*]*", rest, flags=re.I):
        return None
    return code or None


def find_references(
    text: str,
    *,
    anchor: dt.date | None = None,
    start: int = 0,
    end: int | None = None,
    exclude: Iterable[str] = (),
) -> list[dict]:
    """Every cited number-and-symbol in ``text[start:end]``, one dict per mention, in text order.

    Each dict has ``number`` (normalised, as :func:`normalize_number`), ``type`` (the type code from the
    word before the number, else from the symbol: ``CV`` for a state công văn), ``date`` (ISO or
    ``None``), ``issuer`` (``của …`` after the number, or ``None``), ``span`` (absolute offsets of
    the number) and ``text`` (the number as printed).  ``anchor`` is accepted for the common
    extractor signature; ``exclude`` holds numbers not to report (the document's own).

    >>> r = find_references("Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ về việc …")[0]
    >>> r["type"], r["date"], r["issuer"]
    ('CV', '2025-07-02', 'Bộ Nội vụ')
    """
    end = len(text) if end is None else end
    skip = {normalize_number(x).casefold() for x in exclude if x}
    work = normalize_dashes(text[:end])
    out: list[dict] = []
    for m in _CITE.finditer(work, start):
        ref = _reference(work, text, m)
        if ref is None or ref["number"].casefold() in skip:
            continue
        out.append(ref)
    return out


def _reference(work: str, text: str, m: re.Match[str]) -> dict | None:
    seq = m.group("seq")
    before = work[max(0, m.start() - 60) : m.start()]
    if _FORM_BEFORE.search(before):
        return None  # "Mẫu số 01/ĐK" is a form, not a document
    if m.group("mark") and not re.search(r"\*{1,2}[^*\n]{0,12}$", before):
        return None  # "*số 794*/SDTTG-VP": emphasis markup may only close a run opened just before
    if m.group("p_type") is not None:
        code = m.group("p_type")
        if not _valid_token(code):
            return None
        if m.group("p_sep") == " " and code not in PARTY_TYPES:
            return None
        toks, seps = _split_symbol(m.group("p_sym"))
        if not _valid_token(toks[0]):
            return None
        sep = "-" if "-" in m.group("p_sep") else " "
        number = f"{seq}{sep}{code}/" + _join(toks, seps)
        sym_type = code
        cut = m.start("p_sym") + _printed_len(m.group("p_sym"), toks, seps)
    else:
        toks, seps = _split_symbol(m.group("s_sym"))
        if not _valid_token(toks[0]):
            return None
        year = m.group("year")
        if len(toks) == 1 and not year and not _SO_BEFORE.search(before):
            return None  # a bare "12/ABC" is only a number when "số" introduces it
        if re.fullmatch(r"\d+", toks[0]):
            return None
        number = seq + "/" + (year + "/" if year else "") + _join(toks, seps)
        if re.fullmatch(r"(?:UBTV)?QH\d+", toks[0]):
            sym_type = "Luật" if toks[0].startswith("QH") else "NQ"  # weak: the word before decides
        elif toks[0] in STATE_TYPES and len(toks) > 1:
            sym_type = toks[0]
        elif len(toks) > 1 or year:
            sym_type = "CV"  # state công văn: issuer-unit, no type code
        else:
            sym_type = None
        cut = m.start("s_sym") + _printed_len(m.group("s_sym"), toks, seps)
    span = (m.start(), cut)
    ctx_type = _type_from_context(before)
    # A type code printed in the symbol wins (Party "Quy định số 294-QĐ/TW" is QĐ), except for a state
    # công văn whose issuer code looks like a type code ("Công văn số 12/CT-…" of a Cục Thuế); otherwise the
    # word before the number decides ("Nghị quyết số 74/2022/QH15" is NQ, "Luật số 72/2025/QH15" a law).
    strong = sym_type not in (None, "CV", "Luật", "NQ") or (m.group("p_type") is not None)
    if strong and not (ctx_type == "CV" and m.group("p_type") is None):
        ctx_type = None
    date, issuer = _date_and_issuer(work, cut)
    return {
        "number": number,
        "type": ctx_type or sym_type,
        "date": date,
        "issuer": issuer,
        "span": span,
        "text": text[span[0] : span[1]],
    }


def _join(toks: list[str], seps: list[str]) -> str:
    return toks[0] + "".join(s + t for s, t in zip(seps, toks[1:], strict=True))


def _printed_len(sym: str, toks: list[str], seps: list[str]) -> int:
    """Length of the printed prefix of ``sym`` that holds ``toks``."""
    pos = 0
    for i, tok in enumerate(toks):
        pos = sym.index(tok, pos) + len(tok)
        if i + 1 < len(toks):
            pos = sym.index(seps[i], pos)
    return pos


def _date_and_issuer(work: str, pos: int) -> tuple[str | None, str | None]:
    after = work[pos : pos + 260]
    date = None
    m = _DATE_AFTER.match(after)
    if m:
        if m.group("d"):
            d = make_date(expand_year(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            d = make_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
        date = d.isoformat() if d else None
        after = after[m.end() :]
    issuer = None
    mi = _ISSUER_AFTER.match(after)
    if mi:
        who = fold_space(mi.group("who")).rstrip(" ,.")
        words = who.split()
        if 1 <= len(words) <= 14 and not re.match(r"(?i)(?:ngày|số)\b", who):
            issuer = who
    return date, issuer


def link_references(docs: list[dict]) -> None:
    """Set ``reference["doc_id"]`` to the id of the batch document that carries the cited number.

    ``docs`` are extract records, each with ``id``, ``number`` (a dict with ``text``, or a string),
    optionally ``date`` (ISO), and ``references``.  See :func:`resolve_links` for the rule.
    """
    numbers = []
    for d in docs:
        num = d.get("number")
        numbers.append((d.get("id"), num.get("text") if isinstance(num, dict) else num, d.get("date")))
    refs = [(d.get("id"), ref) for d in docs for ref in d.get("references") or []]
    for (_, ref), target in zip(refs, resolve_links(numbers, [(i, r["number"], r.get("date")) for i, r in refs]), strict=True):
        ref["doc_id"] = target


def resolve_links(
    numbers: Iterable[tuple[str | None, str | None, str | None]],
    refs: Iterable[tuple[str | None, str, str | None]],
) -> list[str | None]:
    """For each cited ``(doc_id, number, date)``, the id of the batch document with that number.

    ``numbers`` are the batch's ``(doc_id, number, date)``.  A state number repeats from year to
    year, so when both the citation and a candidate carry a date they must agree; among several
    candidates without dates the link stays ``None`` rather than guess.  Drafts (blank sequence)
    never match, nor does a document cite itself.
    """
    by_number: dict[str, list[tuple[str, str | None]]] = {}
    for did, text, date in numbers:
        key = citable_key(text)
        if key and did is not None:
            by_number.setdefault(key, []).append((did, date))
    return [pick_link(src, date, by_number.get(number_key(number), [])) for src, number, date in refs]


def number_key(number: str | None) -> str:
    """The form under which a cited number meets the batch's numbers (:func:`resolve_links`)."""
    return normalize_number(number or "").casefold()


def citable_key(number: str | None) -> str | None:
    """:func:`number_key` of a document's own number, ``None`` for a draft's (blank sequence)."""
    return number_key(number) if number and number[0].isalnum() else None


def pick_link(src: str | None, date: str | None, candidates: Iterable[tuple[str, str | None]]) -> str | None:
    """Which candidate ``(doc_id, date)`` with the cited number a citation in ``src`` names.

    >>> pick_link("a", "2024-03-01", [("b", "2024-03-01"), ("c", "2023-05-02")])
    'b'
    >>> pick_link("a", None, [("b", None), ("c", None)]) is None
    True
    """
    cands = [(i, d) for i, d in candidates if i != src]
    if date:
        pick = [i for i, d in cands if d == date] or [i for i, d in cands if not d or len(d) < 10]
    else:
        pick = [i for i, _ in cands]
    return pick[0] if len(pick) == 1 else None
