"""Agency mentions, each resolved to one canonical body, aware of the 2025 reorganisation.

A mention is a named state, Party, Front or mass-organisation body as printed
(``UBND tỉnh``, ``Sở Tài chính``, ``Ban Thường vụ Tỉnh ủy``).  Finding them costs one pass of
a syllable trie over the text (no model): a *head* from ``data/agency_heads.tsv``
(``Sở``, ``Ủy ban nhân dân``, ``Tỉnh ủy`` …, abbreviations expanded through
``data/agency_abbreviations.tsv``) is extended by a capitalised name, a place
(``tỉnh Bình Phước``, ``huyện``, ``xã …``) and a parent body (``… HĐND tỉnh``, ``… của Chính phủ``).

Short forms are resolved with an :class:`AgencyContext` (the document's province, district,
commune and date): ``UBND tỉnh`` in a Bình Phước report is ``Ủy ban nhân dân tỉnh Bình Phước``,
and, that province having merged into Đồng Nai on 2025-07-01, its ``successor`` is
``Ủy ban nhân dân tỉnh Đồng Nai``.

Names follow the grammar head + field + level + place: a known field fixes where a name ends
(``Sở Tài chính thẩm định`` → ``Sở Tài chính``); a lower-case name is kept when a place closes
it (``Hiệp hội cơ điện tỉnh``); abbreviations are spelt out in canonical names (``Viện KSND
tỉnh`` → ``Viện kiểm sát nhân dân tỉnh Gia Lai``).  A part named without its owner (``Ban
Thường vụ``) takes the owner of the nearest mention of the same part, or the issuer's.

Not mentions: classes of bodies (``HĐND cấp tỉnh``, ``UBND tỉnh, thành phố``, ``Công an xã``
in a provincial report), the Party-and-State formula (``do Đảng, Nhà nước giao``), law titles,
generic plurals (``các sở, ban, ngành``, ``UBND các huyện``), abbreviations
inside a document number (``BTGTU`` in ``904-CV/BTGTU``), posts (``Thủ tướng Chính phủ``),
deputies (``đại biểu Quốc hội``) and law titles (``Luật Mặt trận Tổ quốc Việt Nam``).
A body named with its parent is one mention (``Ban Thường vụ Tỉnh ủy``) whose ``parent``
gives the parent's canonical name; the parent is not a mention of its own there (the gold
counts it only where it is named alone, and emitting it cost precision for no recall).

>>> ctx = AgencyContext(province="Bình Phước", date="2023-04-13")
>>> m = find_agencies("Đề nghị UBND tỉnh chỉ đạo Sở Tài chính.", context=ctx)
>>> [(x["text"], x["canonical"]) for x in m]
[('UBND tỉnh', 'Ủy ban nhân dân tỉnh Bình Phước'), ('Sở Tài chính', 'Sở Tài chính tỉnh Bình Phước')]
>>> m[0]["successor"]
'Ủy ban nhân dân tỉnh Đồng Nai'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pipeline.nlp import admin_units as au
from pipeline.nlp.agency_lexicon import (
    BLOCKED_AFTER,
    FUNCTION_WORDS,
    LEVEL_WORDS,
    NAME_STOP,
    NOT_NAMES,
    PLURALS,
    POST_BEFORE,
    POST_NAMES,
    POST_WORDS,
    PREV_WORDS,
    STOP_PAIRS,
    SURNAMES,
    VERBS,
    Head,
    abbreviation_readings,
    expansions,
    fields,
    head_trie,
    heads,
    renamed_fields,
    syllable_key,
)

__all__ = ["AgencyContext", "context_from_document", "find_agencies"]

_TOKEN = re.compile(r"[^\W_]+(?:[-.&][^\W_]+)*|[^\w\s]")
_GAP = re.compile(r"\t|\s{3,}")
_CODE_DASH = re.compile(r"[ \t]*[-–][ \t]*")
_LEFT_COLUMN = 34  # a cell starting further right belongs to the right-hand column of a header


@dataclass(slots=True)
class AgencyContext:
    """What short forms resolve against: the document's units and date.

    ``province``/``district``/``commune`` are names as printed (``Bình Phước``, ``Lệ Thủy``);
    ``level`` is the issuer's level (``province``, ``district``, ``commune``, ``central``);
    ``date`` is ISO (``2023-04-13``, or ``2023`` for a draft).
    """

    province: str | None = None
    district: str | None = None
    commune: str | None = None
    level: str | None = None
    issuer: str | None = None
    date: str | None = None


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    keys: tuple[str, ...]
    word: bool
    brk: bool = False  # nothing before it in its stream (new column run)
    upper: bool = False
    caps: bool = False
    code: bool = False  # touches a "/" (part of a number-and-symbol)
    nl: bool = False  # first token of its line
    alts: tuple[tuple[str, ...], ...] = ()  # other readings of an ambiguous abbreviation (TT)


@dataclass(slots=True)
class _Body:
    i: int
    j: int  # token range [i, j)
    head: Head
    name: tuple[int, int] | None = None  # token range of the name after the head
    place: tuple[str, str | None] | None = None  # (level, name as printed or None)
    parent: _Body | None = None
    fieldname: str | None = None  # the field display if the name is a known field


# --------------------------------------------------------------------------- tokens


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    """Tokens in reading order of two streams: the left column, then the right column.

    A header laid out in two columns (``UBND TỈNH X      CỘNG HÒA …``) keeps each column's
    lines together, so ``ỦY BAN NHÂN DÂN`` / ``TỈNH BÌNH PHƯỚC`` reads as one name.  A line
    with text in one column only breaks the other column's run; blank lines break nothing.
    """
    abbr = abbreviation_readings()
    key_of = syllable_key
    streams: dict[int, list[_Tok]] = {}
    pending: dict[int, bool] = {}  # the next token of the stream starts a new run
    pos = start
    for line in text[start:end].split("\n"):
        lstart, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        cells, cpos = [], 0
        for m in _GAP.finditer(line):
            if line[cpos : m.start()].strip():
                cells.append((cpos, m.start()))
            cpos = m.end()
        if line[cpos:].strip():
            cells.append((cpos, len(line)))
        seen: set[int] = set()
        for n, (a, b) in enumerate(cells):
            lead = len(line[a:b]) - len(line[a:b].lstrip())
            x = a + lead
            if len(cells) > 1:
                col = 0 if n == 0 else 1 + x // 16
            else:  # a lone cell: left column unless indented like the right one (a long one is body text)
                col = 0 if x < _LEFT_COLUMN or b - a > 60 else 1 + x // 16
            if col in seen:
                pending[col] = True  # two cells of one column on a line: do not join them
            first = True
            stream = streams.setdefault(col, [])
            brk = pending.get(col, True)
            # the hot loop of the extract stage: one token object per syllable, built in one call
            slashes = "/" in line or "\\" in line
            for m in _TOKEN.finditer(line, a, b):
                s = m.group()
                ms, me = m.span()
                word = s[0].isalnum()
                readings = abbr.get(s) if word else None
                if readings:
                    keys, alts = readings[0], readings[1:]
                else:
                    keys, alts = (key_of(s),), ()
                # a word touching "/" is part of a number-and-symbol (904-CV/BTGTU)
                code = slashes and word and ((ms > 0 and line[ms - 1] in "/\\") or (me < len(line) and line[me] in "/\\"))
                stream.append(
                    _Tok(lstart + ms, lstart + me, s, keys, word, brk,
                         word and s[0].isupper(), word and s.isupper(), code, first, alts)
                )
                brk = first = False
            pending[col] = brk
            seen.add(col)
        for col in streams:
            if col not in seen:
                pending[col] = True
    out = [t for col in sorted(streams) for t in streams[col]]
    if "/" not in text and "\\" not in text:
        return out  # no number-and-symbol anywhere: no token is part of one
    prev: _Tok | None = None
    for t in out:  # a symbol is on one line, so stream order is text order here
        if t.word:
            if prev is not None and prev.code and not t.code and prev.end < t.start and _CODE_DASH.fullmatch(
                text, prev.end, t.start
            ):
                t.code = True  # 358/LĐLSVN- BTV: the symbol goes on after a dash
            prev = t
    return out


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.t = toks
        self.n = len(toks)
        self.trie = head_trie()
        self._heads: dict[int, tuple[int, Head] | None] = {}
        self._bodies: dict[tuple[int, int], _Body | None] = {}

    def cont(self, k: int) -> bool:
        """Token ``k`` exists and continues the stream of ``k - 1``."""
        return k < self.n and not self.t[k].brk

    def head(self, i: int) -> tuple[int, Head] | None:
        if i in self._heads:
            return self._heads[i]
        node, best, k = self.trie, None, i
        while k < self.n and (k == i or self.cont(k)) and not self.t[k].code:
            for key in self.t[k].keys:
                node = node.get(key)
                if node is None:
                    break
            if node is None:
                break
            k += 1
            if None in node:
                best = (k, node[None])
        self._heads[i] = best
        return best

    def key(self, k: int) -> str:
        return self.t[k].keys[0] if k < self.n else ""

    def level_at(self, k: int) -> tuple[int, str] | None:
        """A place word at ``k`` (``tỉnh``, ``thành phố``, ``TP.``): (end, level)."""
        if not self.cont(k) or not self.t[k].word:
            return None
        if k + 1 < self.n and self.cont(k + 1) and (
            self.key(k + 1) in ("ủy", "đoàn") or self.key(k) == "xã" and self.key(k + 1) == "hội"
        ):
            return None  # Tỉnh ủy, Huyện đoàn: a body; xã hội: a word
        keys: list[str] = []
        for j in range(k, min(k + 2, self.n)):
            if j > k and not self.cont(j):
                break
            keys.extend(self.t[j].keys)
            lvl = LEVEL_WORDS.get(tuple(keys))
            if lvl:
                end = j + 1
                if (self.cont(end) and self.t[end].text == "." and self.t[end].start == self.t[j].end
                        and len(self.t[j].text) <= 2):  # TP. HCM, not the full stop after "tỉnh."
                    end += 1
                return end, lvl
        return None

    def proper(self, k: int, caps: bool, limit: int = 4, wrap: bool = False) -> int:
        """End of a run of capitalised words (a place name) from ``k``."""
        j = k
        while j < self.n and j - k < limit and self.cont(j) and self.t[j].word and self.t[j].upper:
            if j > k and self.head(j) and self.body(j, 3) is not None:
                break
            if self.stop(j) or self.t[j].nl and not caps and not wrap:
                break
            if caps != self.t[j].caps and j > k:
                break
            j += 1
        return j

    def place(self, k: int, head: Head, caps: bool) -> tuple[int, str, str | None] | None:
        """A place after a body: ``tỉnh Bình Phước``, ``huyện``, ``Trung ương``, ``Bình Dương``."""
        if not self.cont(k):
            return None
        if self.key(k) == "trung" and self.key(k + 1) == "ương" and self.cont(k + 1):
            return k + 2, "central", None
        if self.t[k].text == "TW":
            return k + 1, "central", None
        if self.key(k) == "chi" and self.key(k + 1) == "nhánh" and self.cont(k + 1) and self.level_at(k + 2):
            end, level, name = self.place(k + 2, head, caps) or (k + 2, "province", None)
            return end, level, name  # Ngân hàng … chi nhánh tỉnh Bình Dương
        if self.key(k) == "trường" and head.kind in _SCHOOL_PLACE_KINDS:
            nxt = k + 1  # Hội Sinh viên trường, Đoàn trường, BAN CHẤP HÀNH HỘI SINH VIÊN TRƯỜNG NHIỆM KỲ XI
            named = (self.cont(nxt) and self.t[nxt].word and self.t[nxt].upper and self.key(nxt) not in TERM_WORDS
                     and (self.t[nxt].caps or not self.t[k].caps))
            if not named:
                return k + 1, "school", None
        lv = self.level_at(k)
        if lv:
            end, level = lv
            caps = caps if end < self.n and self.t[end].caps else False
            nend = self.proper(end, caps)
            if level in ("province", "city"):  # a wrapped name counts when it is a real unit
                wend = self.proper(end, caps, wrap=True)
                if wend > nend and any(au.province(self._text(end, e)) or au.province_of_district(self._text(end, e))
                                       for e in range(nend + 1, wend + 1)):
                    nend = wend
            if nend == end:
                return end, level, None
            names = [self._text(end, e) for e in range(nend, end, -1)]
            if level in ("province", "city"):
                for e, nm in zip(range(nend, end, -1), names, strict=True):
                    if au.province(nm):
                        return e, "province", nm
                if level == "province":
                    return end, level, None  # not a province name: the bare "tỉnh"
                for e, nm in zip(range(nend, end, -1), names, strict=True):
                    if au.province_of_district(nm):
                        return e, "district", nm
                return nend, "district", names[0]
            return nend, level, names[0]
        if self.t[k].upper and head.tail != "fixed":
            for e in range(min(k + 4, self.n), k, -1):
                if all(self.cont(x) and self.t[x].word for x in range(k, e)) and au.province(self._text(k, e)):
                    return e, "province", self._text(k, e)
        return None

    def _text(self, a: int, b: int) -> str:
        return " ".join(self.t[x].text for x in range(a, b))

    def stop(self, k: int) -> bool:
        """Token ``k`` is a word that ends a name (``của``, ``theo``, ``báo cáo``)."""
        key = self.key(k)
        return key in NAME_STOP or (key, self.key(k + 1)) in STOP_PAIRS and self.cont(k + 1)

    def anchored(self, k: int, most: int = 12) -> int | None:
        """The place word ending a lower-case run from ``k``, if one comes within ``most`` words.

        A lower-case name is told from the clause after a body by the place that closes it:
        ``Hiệp hội cơ điện tỉnh``, ``Ban Quản lý Đầu tư xây dựng các công trình dân dụng và
        công nghiệp tỉnh Đắk Nông``; ``Đoàn Luật sư vận dụng theo …`` reaches none.
        """
        for x in range(k, min(k + most, self.n)):
            tk = self.t[x]
            if not self.cont(x) or not tk.word or tk.code or x > k and tk.nl:
                return None
            if x > k and self.level_at(x):
                return x
            if tk.upper or tk.keys[0] in FUNCTION_WORDS or tk.keys[0] in VERBS or self.stop(x) and tk.keys[0] not in NAME_STOP or tk.keys[0] in PLURALS and not self._lower_after(x):
                return None
        return None

    def name(self, j: int, head: Head, caps: bool, upper_head: bool = True) -> tuple[int, str | None] | None:
        """The name after a generic head (``Nội vụ`` after ``Sở``): (end, field display or None).

        ``upper_head``: the head is printed with a capital (``Hiệp hội``), which lets a short
        lower-case name closed by a place through (``Hiệp hội cơ điện tỉnh``).
        """
        t = self.t
        if not self.cont(j) or not t[j].word:
            return None
        if caps and t[j].nl and not t[j].caps:
            return None  # CHÁNH VĂN PHÒNG / Trần Văn Sơn: a name on the next line is a signer
        lower_ok = head.tail == "lname"
        if not (t[j].upper or lower_ok):
            if f"{head.words[-1]}:{t[j].keys[0]}" in NOT_NAMES or t[j].keys[0] in POST_NAMES:
                return None
            if not upper_head or caps or t[j].keys[0] in ("và", "hoặc"):
                return None
            a = self.anchored(j, most=7)
            return (a, None) if a is not None else None
        caps = caps and t[j].caps
        if f"{head.words[-1]}:{t[j].keys[0]}" in NOT_NAMES or t[j].keys[0] in POST_NAMES:
            return None
        if t[j].keys[0] in PLURALS or (not t[j].upper and t[j].keys[0] in NAME_STOP) or self.level_at(j):
            return None
        if not caps and t[j].upper and self.head(j) and self.head(j)[0] == j + 1 and self.body(j, 3) is None:
            return None  # Trưởng phòng Sở: a bare head word is no name
        if self._host_at(j, 2):
            return None  # ĐOÀN TRƯỜNG ĐH …: the school is where the Đoàn is, not its name
        # a known field first: it fixes where the name ends
        for words, display in fields():
            e, w = j, 0
            while w < len(words) and e < self.n and self.cont(e):
                if t[e].keys == (words[w],) or (words[w] == "-" and t[e].text in "-–"):
                    e, w = e + 1, w + 1
                elif len(t[e].keys) > 1 and tuple(words[w : w + len(t[e].keys)]) == t[e].keys:
                    e, w = e + 1, w + len(t[e].keys)
                else:
                    break
            if w == len(words) and self._name_ends(e):
                return e, display
        limit = 6 if lower_ok or head.kind not in ("ministry", "department") else 2
        k, run = j + 1, 0 if t[j].upper else 1
        last_upper = j + 1  # end of the name up to its last capitalised word
        while k < self.n and self.cont(k) and not t[k].code:
            tk = t[k]
            if tk.word and tk.upper and caps == tk.caps and self.head(k) and self.body(k, 3) is not None:
                break
            if self.level_at(k):
                break
            if k > j and tk.upper and self.place(k, head, caps) and self.place(k, head, caps)[1] == "province":
                break  # Liên đoàn Taekwondo Lâm Đồng: the province is the place
            if tk.word and tk.keys[0] == "và" or tk.text in ("&", "-", "–", ","):
                nxt = k + 1
                if not (self.cont(nxt) and t[nxt].word and t[nxt].upper) or self.level_at(nxt):
                    break
                if t[nxt].keys[0] in POST_WORDS and tk.text != "&":
                    break
                if tk.text in ("-", "–", ",") and self.head(nxt):
                    break
                if self.head(nxt) and self.body(nxt, 3) is not None:
                    break
                if tk.text == "," and not any(self.key(x) == "và" for x in range(nxt, min(nxt + 5, self.n))):
                    break
                k = nxt + 1
                run = 0
                last_upper = k
                continue
            if not tk.word:
                break
            if caps and not tk.caps:
                break
            if tk.upper and tk.nl and not caps and self.stop(k):
                break
            if tk.upper and not caps:
                run = 0
                last_upper = k + 1
            else:
                if self.stop(k) or tk.keys[0] in PLURALS and not self._lower_after(k):
                    break
                if not caps:
                    run += 1
                    if run > limit:
                        break
            k += 1
        if not caps and self.cont(k) and t[k].word and not t[k].upper and not self.level_at(k):
            a = self.anchored(last_upper)  # a long lower-case name closed by its place
            if a is not None:
                return a, None
        if k > last_upper + 1 and not lower_ok and not caps:
            # a lower-case run that neither reaches a capital, a place nor a parent is most
            # often the verb after the name (Đoàn Luật sư vận dụng …): keep one syllable
            if not (self.cont(k) and (self.level_at(k) or self.t[k].upper and self.head(k))):
                k = last_upper + 1
        return k, None

    def _name_ends(self, e: int) -> bool:
        """Whether a name may end before token ``e``: nothing of the name seems to follow."""
        if not self.cont(e) or not self.t[e].word:
            return True
        tk = self.t[e]
        return bool(self.stop(e) or self.level_at(e) or tk.upper and self.head(e)
                    or not tk.upper and not self.t[e - 1].caps and tk.keys[0] in PLURALS)

    def _host_at(self, k: int, depth: int) -> bool:
        """A named school, hospital, department … starts at ``k`` (the unit a body is formed in)."""
        h = self.head(k)
        if h is None or not self.t[k].upper or h[1].kind not in _HOST_KINDS:
            return False
        b = self.body(k, depth + 1)
        return b is not None and bool(b.name or b.place)

    def _party_and_state(self, k: int) -> bool:
        """``Nhà nước`` follows within the clause: ``Đảng và Nhà nước``, ``của Đảng, pháp luật của Nhà nước``."""
        for x in range(k, min(k + 8, self.n - 1)):
            if not self.cont(x) or self.t[x].text in (".", ";", ":"):
                return False
            if self.key(x) == "nhà" and self.key(x + 1) == "nước":
                return True
        return False

    def _lower_after(self, k: int) -> bool:
        return (self.cont(k + 1) and self.t[k + 1].word and not self.t[k + 1].upper
                and not self.level_at(k + 1) and self.key(k + 1) != "cấp")

    def body(self, i: int, depth: int = 0) -> _Body | None:
        """The body whose name starts at token ``i``, or None."""
        key = (i, depth)
        if key not in self._bodies:
            self._bodies[key] = self._body(i, depth)
        return self._bodies[key]

    def _body(self, i: int, depth: int) -> _Body | None:
        b = self._body_at(i, depth)
        tok = self.t[i] if i < self.n else None
        if b is None and tok is not None and tok.alts:
            first = tok.keys
            for keys in tok.alts:  # TT Công báo: not Thường trực, so Trung tâm
                tok.keys = keys
                self._heads.pop(i, None)
                b = self._body_at(i, depth)
                if b is not None:
                    return b
            tok.keys = first
            self._heads.pop(i, None)
        return b

    def _body_at(self, i: int, depth: int) -> _Body | None:
        if depth > 3 or i >= self.n or not self.t[i].word or self.t[i].code:
            return None
        h = self.head(i)
        if h is None:
            return None
        j, head = h
        if i > 0 and not self.t[i].brk:
            prev = self.t[i - 1]
            if f"{prev.keys[-1]}:{self.t[i].keys[0]}" in PREV_WORDS:
                return None
            if prev.word and prev.upper and not prev.caps and prev.keys[-1] in SURNAMES and not self.t[i].caps:
                return None  # Nguyễn Trường Nhật Phượng
            if prev.text.isdigit() and len(prev.text) <= 3 and not self.t[i].nl:
                return None  # 03 vụ, 5 phòng: a count, not a body (a year on the line above is not)
        if head.tail == "fixed" and not self.t[i].upper:
            return None  # "sáp nhập thành đoàn …" is not the Thành đoàn
        if head.canonical == "Đảng Cộng sản Việt Nam" and j == i + 1 and self.cont(j) and self.t[j].word and not (
            self.key(j) in FUNCTION_WORDS or self.key(j) in ("và", "ta", "lãnh", "luôn") or self.t[j].upper
        ):
            return None  # Đảng alone is the Party; Đảng viên, Đảng phí are not bodies
        if head.canonical == "Đảng Cộng sản Việt Nam" and j == i + 1 and self._party_and_state(j):
            return None  # "do Đảng, Nhà nước giao nhiệm vụ": the political formula, not the body
        if self.cont(j) and self.key(j) == "viên":
            return None  # Tỉnh ủy viên, Ủy viên: a member
        caps = self.t[i].caps and self.t[j - 1].caps
        b = _Body(i=i, j=j, head=head)
        if head.tail in ("name", "lname"):
            nm = self.name(j, head, caps, self.t[i].upper)
            if nm is None:
                school = self.place(j, head, caps)
                if school and (school[1] == "school" or head.display == "Đoàn" and school[1] != "central"):
                    nm = None  # Đoàn trường, BCH ĐOÀN TỈNH GIA LAI
                elif head.tail != "lname" and not self._host_at(j, depth):
                    return None
            else:
                b.name, b.fieldname = (j, nm[0]), nm[1]
                b.j = nm[0]
        elif self.cont(j) and self.key(j) in PLURALS:
            return None  # UBND các huyện, Hội Nông dân các cấp
        if head.tail != "fixed":
            p = self.place(b.j, head, caps)
            if p:
                b.j, b.place = p[0], (p[1], p[2])
        elif head.display in _PARTY_PLACE | _DISTRICT_PLACE and self.cont(j) and self.t[j].upper:
            e = self.proper(j, caps, limit=3)  # Huyện ủy Bù Đăng, Tỉnh ủy Bình Phước
            if e > j:
                b.j, b.place = e, (head.level or "province", self._text(j, e))
        if head.tail in ("of", "ofp", "name", "lname") and b.place is None:
            k = b.j
            if self.cont(k) and self.key(k) == "của" and head.kind not in ("ministry", "department"):
                k += 1
            if self.cont(k) and self.t[k].upper:
                parent = self.body(k, depth + 1)
                if parent is not None:
                    b.parent, b.j = parent, parent.j
        elif head.tail == "place" and head.kind == "mass_org" and b.place is None and self.cont(b.j):
            k = b.j  # Đoàn TNCS Hồ Chí Minh Trường Đại học …, Công đoàn Sở Y tế: the unit it is formed in
            if self.t[k].upper or self.key(k) == "trường":
                parent = self.body(k, depth + 1)
                if parent is not None and parent.head.kind in _HOST_KINDS and (parent.name or parent.place):
                    b.parent, b.j = parent, parent.j
        if head.display == "Đoàn" and b.name is None and (b.place or b.parent):
            b.head = heads()[_YOUTH_UNION]  # Đoàn trường, BCH Đoàn tỉnh: the Youth Union there
        if head.tail in ("of", "ofp") and b.parent is None and b.place is None and depth == 0 and (
                head.display not in _PARTY_ORGS):
            k = b.j  # Ban Thường vụ - Liên đoàn Luật sư Việt Nam: the owner after a dash, on the line
            if (self.cont(k + 1) and self.t[k].text in ("-", "–") and not self.t[k + 1].nl and self.t[k + 1].upper
                    and self.t[k + 1].keys[0] not in POST_WORDS):
                parent = self.body(k + 1, depth + 1)
                if (parent is not None and parent.head.kind in _OWNED_BY_ISSUER and parent.head.tail != "of"
                        and not (self.cont(parent.j) and self.t[parent.j].text in ("-", "–"))):
                    b.parent, b.j = parent, parent.j
        if head.tail == "ofp" and b.parent is None and b.place is None:
            return None
        if self.cont(b.j + 1) and self.key(b.j) == "các" and self.key(b.j + 1) == "cấp":
            return None  # Hội Nông dân các cấp
        if self.cont(b.j + 1) and self.key(b.j) == "khóa" and not self.t[b.j].nl and re.fullmatch(r"[IVXLC]+|\d+", self.t[b.j + 1].text):
            b.j += 2  # Ban Chấp hành Trung ương Đảng khóa XIII
        if head.tail == "of" and b.parent is None and b.place is None and not self.t[i].upper:
            return None
        return b


# --------------------------------------------------------------------------- resolution



def _place_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


def _is_pre_reform(date: str | None) -> bool:
    return date is None or date < au.REFORM_DATE


@dataclass(slots=True)
class _Resolved:
    canonical: str
    level: str | None
    province: str | None
    kind: str
    successor: str | None = None
    parts: dict[str, Any] = field(default_factory=dict)


_YOUTH_UNION = tuple("đoàn thanh niên cộng sản hồ chí minh".split())
_HOST_KINDS = {"school", "hospital", "ministry", "department", "state", "media", "bank"}
_SCHOOL_PLACE_KINDS = {"mass_org", "party", "committee", "council", "association", "front"}
# Words after a body that open its term, not its name: ``… TRƯỜNG NHIỆM KỲ XI``, ``khóa XXI``.
TERM_WORDS = frozenset({"nhiệm", "khóa", "lần", "năm", "giai"})
_PARTY_PLACE = {"Tỉnh ủy", "Thành ủy", "Tỉnh đoàn", "Thành đoàn"}
_DISTRICT_PLACE = {"Huyện ủy", "Quận ủy", "Thị ủy", "Huyện đoàn"}
_CONTEXT_KINDS = {"state", "council", "police", "court", "procuracy", "inspectorate", "treasury", "front"}


def _resolve(p: _Parser, b: _Body, ctx: AgencyContext) -> _Resolved:
    head = b.head
    own = head.canonical or head.display
    if b.name:
        if b.fieldname:
            nm = b.fieldname
        else:
            nm = _name_text(p, *b.name)
        own = f"{own} {nm}"
    level, prov = head.level, None
    succ_place: str | None = None
    place_txt = ""
    if b.place:
        lvl, pname = b.place
        if lvl == "central":
            level, place_txt = "central", "Trung ương"
        elif lvl == "school":
            place_txt = "trường"
        elif lvl == "province":
            pv = au.province(pname) if pname else (au.province(ctx.province) if ctx.province else None)
            level = "province"
            if pv:
                prov, place_txt = pv.short, pv.short if head.display in _PARTY_PLACE else pv.styled
            else:
                place_txt = "tỉnh"
        elif lvl in ("district", "city"):
            level = "district"
            dname = _place_case(pname) if pname else ctx.district
            word = "" if head.display in _DISTRICT_PLACE else _level_word(p, b) or "huyện"
            place_txt = f"{word} {dname}".strip() if dname else word
            prov = (au.province_of_district(dname).short if dname and au.province_of_district(dname) else None) or ctx.province
        else:  # commune
            level = "commune"
            cname = _place_case(pname) if pname else ctx.commune
            word = _level_word(p, b) or "xã"
            place_txt = f"{word} {cname}" if cname else word
            prov = ctx.province
            if cname and prov and _is_pre_reform(ctx.date):
                new = au.successor_commune(f"{word} {cname}", prov)
                if new:
                    succ_place = new[:1].lower() + new[1:]
    elif b.parent is not None:
        pr = _resolve(p, b.parent, ctx)
        canon = f"{own} {pr.canonical}"
        succ = f"{own} {pr.successor}" if pr.successor else None
        return _Resolved(canon, pr.level, pr.province, head.kind, succ)
    elif head.display in _PARTY_PLACE:
        pv = au.province(ctx.province) if ctx.province else None
        level = "province"
        if pv:
            prov = pv.short
            place_txt = pv.short
    elif head.display in _DISTRICT_PLACE:
        level = "district"
        if ctx.district:
            place_txt = ctx.district
            prov = ctx.province
    elif head.level == "province" or (
        head.tail == "place" and head.level is None and head.kind in _CONTEXT_KINDS and "Mặt trận" not in head.display[:8]
    ):
        level = ctx.level if head.level is None and ctx.level in ("district", "commune") else "province"
        if level == "commune" and ctx.commune:
            place_txt = f"xã {ctx.commune}"
            prov = ctx.province
        elif level == "district" and ctx.district:
            place_txt = f"huyện {ctx.district}"
            prov = ctx.province
        else:
            level = "province"
            pv = au.province(ctx.province) if ctx.province else None
            if pv:
                prov, place_txt = pv.short, pv.styled
    canon = f"{own} {place_txt}".strip()
    successor = None
    if prov and level in ("province", "commune", "district"):
        if level == "district" and _is_pre_reform(ctx.date):
            successor = None  # the district level ceased on 2025-07-01: no successor body
        elif level == "province":
            sp = au.successor_province(prov)
            if sp:
                old = au.province(prov)
                successor = canon
                if old and old.styled in successor:
                    successor = successor.replace(old.styled, sp.styled)
                else:
                    successor = successor.replace(prov, sp.short)
                if sp.is_city:
                    successor = successor.replace("Tỉnh ủy", "Thành ủy").replace("Tỉnh đoàn", "Thành đoàn")
        elif level == "commune" and succ_place:
            successor = f"{own} {succ_place}"
    if head.kind in ("ministry", "department") and b.fieldname and _is_pre_reform(ctx.date):
        for before, after, when in renamed_fields():
            if b.fieldname == before and (ctx.date is None or ctx.date < when):
                successor = (successor or canon).replace(before, after, 1)
    return _Resolved(canon, level, prov, head.kind, successor)


def _level_word(p: _Parser, b: _Body) -> str | None:
    for k in range(b.name[1] if b.name else b.i, b.j):
        lv = p.level_at(k)
        if lv:
            word = " ".join(p.t[x].text for x in range(k, lv[0])).lower().rstrip(".")
            return "thành phố" if word in ("tp", "tp.") else word
    return None


def _name_text(p: _Parser, a: int, b: int) -> str:
    """A name for the canonical: abbreviations spelt out (``ĐH`` → ``Đại học``), capitals lowered."""
    caps = p.t[a].caps
    out: list[str] = []
    for k in range(a, b):
        t = p.t[k]
        text = expansions().get(t.keys) if t.text in _ABBR else None
        if text is None:
            text = t.text.lower() if caps and (out or k > a) else t.text
            if caps and not out:
                text = text[:1].upper() + text[1:].lower()
        if out and p.t[k - 1].end == t.start:
            out[-1] += text
        else:
            out.append(text)
    return " ".join(out)


_ABBR = abbreviation_readings()


def _join(p: _Parser, a: int, b: int) -> str:
    """Tokens ``[a, b)`` as printed, single-spaced across line breaks and columns."""
    out = []
    for k in range(a, b):
        t = p.t[k]
        if out and p.t[k - 1].end == t.start:
            out[-1] += t.text
        else:
            out.append(t.text)
    return " ".join(out)


def _slug(s: str) -> str:
    """``Ủy ban nhân dân tỉnh Khánh Hòa`` → ``uy-ban-nhan-dan-tinh-khanh-hoa`` (an id, not kept text)."""
    return re.sub(r"[^a-z0-9]+", "-", au.fold(" ".join(syllable_key(w) for w in s.split()))).strip("-")


# --------------------------------------------------------------------------- public API


def _to_nfc(text: str) -> tuple[str, list[int] | None]:
    """NFC text and, when it differs, the original offset of each NFC character (+ end)."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    pos: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        pos.extend([i] * len(piece))
        i = j
    pos.append(len(text))
    return "".join(out), pos


def find_agencies(
    text: str, *, context: AgencyContext | None = None, start: int = 0, end: int | None = None
) -> list[dict[str, Any]]:
    """The agency mentions in ``text[start:end]``, in text order, each resolved to a body.

    Each mention is ``{"text", "canonical", "key", "kind", "level", "province", "successor",
    "parent", "span"}``: ``text`` as printed (lines joined with one space), ``span`` the half-open
    offsets into ``text``; mentions of the same body share ``key`` (a slug of ``canonical``).

    >>> [m["canonical"] for m in find_agencies("Ban Thường vụ Tỉnh ủy", context=AgencyContext(province="Lâm Đồng"))]
    ['Ban Thường vụ Tỉnh ủy Lâm Đồng']
    """
    ctx = context or AgencyContext()
    src, pos = _to_nfc(text)
    if pos is not None:  # map the window into NFC offsets
        s2 = next((k for k, p in enumerate(pos) if p >= start), len(src))
        e2 = len(src) if end is None else next((k for k, p in enumerate(pos) if p >= end), len(src))
        start, end = s2, e2
    end = len(src) if end is None else end
    toks = _tokens(src, start, end)
    p = _Parser(toks)
    out: list[dict[str, Any]] = []
    trie = p.trie
    i = 0
    while i < p.n:
        tok = p.t[i]
        # most tokens cannot open a body's name: skip them before any parsing
        if tok.keys[0] not in trie and not (tok.alts and any(alt and alt[0] in trie for alt in tok.alts)):
            i += 1
            continue
        b = p.body(i)
        if b is None:
            i += 1
            continue
        prev = p.t[i - 1] if i > 0 and not p.t[i].brk else None
        blocked = prev is not None and (prev.keys[-1] in BLOCKED_AFTER or prev.keys[-1] in PLURALS)
        if blocked and prev.keys[-1] == "biểu" and i >= 3 and p.key(i - 3) == "hội" and p.key(i - 2) == "đại":
            blocked = False  # Đại hội đại biểu Đoàn TNCS …: the congress of the body, which is named
        blocked = blocked or _in_title(p, i)
        if prev is not None and prev.keys[-1] in POST_BEFORE and b.head.tail == "ofp" and b.parent:
            b = b.parent  # Phó Bí thư Thường trực Đảng ủy: a post of the Đảng ủy
        if not blocked and not _generic(p, b, ctx):
            out.append(_mention(p, b, ctx, src, pos))
        i = b.j
    out.sort(key=lambda m: (m["span"][0], -m["span"][1]))
    out = _corefer(out, ctx)
    _harmonise(out)
    return out


_LEVEL_RANK = {"central": 0, "province": 1, "city": 1, "district": 2, "commune": 3}


def _generic(p: _Parser, b: _Body, ctx: AgencyContext) -> bool:
    """The body names a class, not one body: ``HĐND cấp tỉnh``, ``UBND huyện, thị xã``,
    ``Sở Nội vụ các tỉnh``, or a bare lower level in a higher body's document (``Công an xã``
    in a provincial report: every commune's police)."""
    k = b.j
    if p.cont(k) and p.t[k].text == "(" and p.cont(k + 2) and p.t[k + 2].text == ")":
        k += 3  # Hội đồng nhân dân (HĐND) cấp tỉnh
    if p.cont(k + 1) and p.key(k) == "cấp" and (p.level_at(k + 1) or p.key(k + 1) in ("trung", "cơ")):
        return True
    if p.cont(k + 1) and p.key(k) in PLURALS and p.level_at(k + 1):
        return True
    if b.place is not None and b.place[1] is None and b.place[0] in _LEVEL_RANK:
        if p.cont(k + 1) and p.t[k].text in (",", "và", "/") or p.key(k) in ("và", "hoặc"):
            if p.level_at(k + 1):
                return True  # UBND tỉnh, thành phố trực thuộc Trung ương
        doc = _LEVEL_RANK.get(ctx.level or "")
        if doc is not None and _LEVEL_RANK[b.place[0]] > doc and b.parent is None:
            return True
    return False


_OWNED_BY_ISSUER = {"party", "front", "mass_org", "association"}


def _corefer(mentions: list[dict[str, Any]], ctx: AgencyContext) -> list[dict[str, Any]]:
    """Resolve a part named without its owner (``Ban Thường vụ``, ``Ban Giám hiệu``).

    In order: the nearest mention of the same part with its owner (``Ban Thường vụ Tỉnh ủy``),
    before it, else after it; else the issuer's own part when the issuer is a Party, Front or
    mass-organisation body.  A part whose owner cannot be told is dropped, and so is one that
    opens a list owned by a plural (``Ban Chấp hành, Ban Thường vụ các tổ chức Hội``).
    """
    issuer = _issuer_body(ctx) if any(m["_bare"] for m in mentions) else None
    owned: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        if not m["_bare"]:
            owned.setdefault(m["_head"], []).append(m)
    out = []
    for m in mentions:
        if not m["_bare"]:
            out.append(m)
            continue
        same = owned.get(m["_head"], [])
        before = [x for x in same if x["span"][0] < m["span"][0]]
        ante = before[-1] if before else (same[0] if same else None)
        if m["_plural_owner"]:
            continue
        if ante is not None:
            m["canonical"], m["successor"], m["parent"] = ante["canonical"], ante["successor"], ante["parent"]
        elif issuer is not None and issuer[1] == m["_head"]:
            m["canonical"], m["successor"] = issuer[0], issuer[2]
        elif issuer is not None and issuer[3] in _OWNED_BY_ISSUER and m["kind"] != "party" or (
            issuer is not None and m["kind"] == "party" and m["_head"] not in _PARTY_ORGS and issuer[3] in _OWNED_BY_ISSUER
        ):
            m["canonical"] = f"{m['canonical']} {issuer[0]}"
            m["successor"] = f"{m['canonical']} {issuer[2]}" if issuer[2] else None
            m["parent"] = issuer[0]
        # else: kept as named (Đảng ủy, Chi bộ, Ban Thường vụ): the document's own, owner untold
        m["key"] = _slug(m["canonical"])
        out.append(m)
    for m in out:
        for k in ("_bare", "_head", "_plural_owner"):
            m.pop(k, None)
    return out


# Party bodies of an organisation, called by their own name inside it (Đảng ủy, Chi bộ).
_PARTY_ORGS = {"Đảng ủy", "Đảng bộ", "Đảng bộ cơ quan", "Chi bộ", "Đảng đoàn", "Ban cán sự Đảng"}


def _issuer_body(ctx: AgencyContext) -> tuple[str, str, str | None, str] | None:
    """(canonical, head display, successor, kind) of the issuer named in ``ctx.issuer``."""
    if not ctx.issuer:
        return None
    p = _Parser(_tokens(ctx.issuer, 0, len(ctx.issuer)))
    for i in range(p.n):
        b = p.body(i)
        if b is not None:
            r = _resolve(p, b, ctx)
            return r.canonical, b.head.display, r.successor, b.head.kind
    return None


def _in_title(p: _Parser, i: int) -> bool:
    """Token ``i`` is inside the title of a law (``Luật Hoạt động giám sát của Quốc hội và …``).

    The title runs from ``Luật`` + a capitalised word to the first punctuation, number or date word.
    """
    for k in range(i - 1, max(i - 16, -1), -1):
        t = p.t[k]
        if t.brk or not t.word or t.text.isdigit() or t.keys[0] in ("ngày", "số", "năm", "khóa"):
            return False
        if t.text in ("Luật", "LUẬT") and p.cont(k + 1) and p.t[k + 1].upper and p.key(k + 1) != "sư":
            return k == 0 or p.key(k - 1) not in ("đoàn", "liên")
        if t.nl and k < i - 1:
            return False
    return False


def _mention(p: _Parser, b: _Body, ctx: AgencyContext, src: str, pos: list[int] | None) -> dict[str, Any]:
    r = _resolve(p, b, ctx)
    s, e = p.t[b.i].start, p.t[b.j - 1].end
    if pos is not None:
        s, e = pos[s], pos[e]
    return {
        "text": _join(p, b.i, b.j),
        "canonical": r.canonical,
        "key": _slug(r.canonical),
        "kind": r.kind,
        "level": r.level,
        "province": r.province,
        "successor": r.successor,
        "parent": _resolve(p, b.parent, ctx).canonical if b.parent is not None else None,
        "span": (s, e),
        "_caps": p.t[b.i].caps,
        "_head": b.head.display,
        "_bare": b.head.tail in ("of", "ofp") and b.parent is None and b.place is None,
        "_plural_owner": _plural_owner(p, b.j),
    }


def _plural_owner(p: _Parser, k: int) -> bool:
    """A list of parts that ends in a plural owner: ``Ban Chấp hành, Ban Thường vụ các tổ chức Hội``."""
    x, after_head = k, True
    while x < min(k + 12, p.n) and p.cont(x):
        if p.key(x) in PLURALS:
            return after_head  # "… và các chức danh" coordinates a new item, it owns nothing
        h = p.head(x) if p.t[x].word and p.t[x].upper else None
        if h is not None:
            x, after_head = h[0], True
            continue
        if not (p.t[x].text == "," or p.key(x) == "và"):
            return False
        x, after_head = x + 1, False
    return False


def _harmonise(mentions: list[dict[str, Any]]) -> None:
    """One display per body: the canonical of a mention not printed in capitals, if any."""
    best: dict[str, dict[str, Any]] = {}
    for m in mentions:
        cur = best.get(m["key"])
        if cur is None or (cur["_caps"] and not m["_caps"]):
            best[m["key"]] = m
    for m in mentions:
        b = best[m["key"]]
        m["canonical"], m["successor"] = b["canonical"], b["successor"]
    for m in mentions:
        del m["_caps"]


# --------------------------------------------------------------------------- context

_DATE = re.compile(
    r"(?P<place>[^\W\d_][^\n,\d]{1,40}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)


def context_from_document(doc: Any) -> AgencyContext:
    """The :class:`AgencyContext` of a :class:`~pipeline.model.Document`.

    Uses the parsed header (``doc.issuer``, ``doc.place``, ``doc.date``) when present and
    otherwise scans the first lines: the date line (``Bình Phước, ngày 13 tháng 4 năm 2023``)
    and the bodies printed in the header (``UBND TỈNH LÂM ĐỒNG``).
    """
    text = doc.text or ""
    head = text[:1500]
    ctx = AgencyContext(date=getattr(doc, "date", None))
    place = getattr(doc, "place", None)
    m = _DATE.search(head)
    if m:
        if not place:
            place = m.group("place").strip().lstrip("*").strip()
        if not ctx.date:
            y, mo, d = m.group("y"), m.group("m"), m.group("d")
            ctx.date = f"{y}-{int(mo):02d}-{int(d):02d}" if mo and d else (f"{y}-{int(mo):02d}" if mo else y)
    issuer = getattr(doc, "issuer", None)
    sources = []
    if issuer is not None:
        sources.append(" ".join(x for x in (issuer.parent, issuer.name) if x))
        ctx.issuer = issuer.name
    sources.append(head[: m.start()] if m else head[:800])
    for src in sources:
        for mention in find_agencies(src):
            if mention["level"] and ctx.level is None:
                ctx.level = mention["level"]
            if mention["province"] and not ctx.province:
                ctx.province = mention["province"]
            _units_from(mention["text"], ctx)
        if ctx.province:
            break
    if not ctx.province and place:
        pv = au.province(place) or au.province_of_district(place)
        if pv:
            ctx.province = pv.short
    if not ctx.province:  # no header: the province the opening text names most often
        counts: dict[str, int] = {}
        for m2 in _PROVINCE_IN_TEXT.finditer(text[:4000]):
            words = m2.group(1).split()
            pv = next((au.province(" ".join(words[:n])) for n in range(len(words), 0, -1)
                       if au.province(" ".join(words[:n]))), None)
            if pv:
                counts[pv.short] = counts.get(pv.short, 0) + 1
        if counts:
            ctx.province = max(counts, key=lambda k: counts[k])
            ctx.level = ctx.level or "province"
    if ctx.level == "central":
        ctx.province = None  # a ministry's place (Hà Nội) is its seat, not what "Sở" or "tỉnh" refer to
    if ctx.issuer is None:
        first = next(iter(find_agencies(sources[-1])), None)
        ctx.issuer = first["canonical"] if first else None
    return ctx


_PROVINCE_IN_TEXT = re.compile(r"(?:tỉnh|thành phố|TP\.?)\s+((?:[^\W\d_]+[ \t]?){1,4})", re.IGNORECASE)
_UNIT = re.compile(r"\b(huyện|quận|thị xã|xã|phường|thị trấn)\s+((?:[^\W\d_]+\s?){1,3})", re.IGNORECASE)


def _units_from(mention: str, ctx: AgencyContext) -> None:
    for m in _UNIT.finditer(mention):
        word, name = m.group(1).lower(), _place_case(m.group(2).strip())
        if word in ("huyện", "quận", "thị xã") and not ctx.district:
            ctx.district = name
            pv = au.province_of_district(name)
            if pv and not ctx.province:
                ctx.province = pv.short
        elif word in ("xã", "phường", "thị trấn") and not ctx.commune:
            ctx.commune = name
