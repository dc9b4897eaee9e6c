"""Time periods: dates, months, quarters, half-years, years, ranges, terms, and the report's own period.

Every period is resolved to an inclusive calendar interval ``start``..``end`` (ISO dates), anchored on
the document's own date (``anchor``), never on today.

How a year that the text leaves out is chosen (FORMAT.md §4.4):

* ``year=`` given (the caller knows the reporting year, e.g. from the trích yếu): that year.
* ``6 tháng đầu năm``, ``9 tháng``, ``năm nay``, ``cả năm``: the anchor's year, also early in January.
  A report of 5 January 2024 on ``6 tháng đầu năm`` is read as 2024; the previous year is only taken
  when the text says so (``năm trước``, ``năm 2023``).  ND09 cut-offs do not move the calendar year.
* a bare month, quarter or day (``tháng 12``, ``quý IV``, ``ngày 25/12``): the occurrence nearest the
  anchor, so ``tháng 12`` in a report of 5 January 2024 is December 2023 and ``tháng 1`` in one of
  20 December 2023 (the plan for next month) is January 2024.
* ``năm trước``, ``tháng trước``, ``cùng kỳ``: relative to the reporting period when it is known
  (``reporting=``, or the last period named before in the same sentence), else to the anchor.

>>> import datetime as dt
>>> [(p["kind"], p["start"], p["end"]) for p in find_periods("6 tháng đầu năm", anchor=dt.date(2023, 7, 10))]
[('half_year', '2023-01-01', '2023-06-30')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.nlp.vntext import HY, ROMAN, YEAR, expand_year, make_date, month_end, shift_years, small_int

__all__ = ["PERIOD_KEYS", "data_window", "find_periods", "reporting_period"]

PERIOD_KEYS = ("text", "start", "end", "kind", "span")
# Kinds a report can be "about" (its trích yếu period); day, cutoff, until and relative kinds are not.
REPORTING_KINDS = frozenset(
    {"month", "quarter", "half_year", "nine_months", "months", "year", "range", "term", "school_year", "to_date"}
)

_F = re.I
_S = r"\s+"
_SEP = rf"\s*(?:/|{HY}|năm)\s*"  # "tháng 4/2023", "quý IV - 2022", "quý II năm 2024"


def _dnum(p: str) -> str:
    """A numeric date ``13/4/2023`` (year optional) with groups ``<p>d``, ``<p>m``, ``<p>y``."""
    return rf"(?P<{p}d>\d{{1,2}})\s*[/.]\s*(?P<{p}m>\d{{1,2}})(?:\s*[/.]\s*(?P<{p}y>{YEAR}|\d{{2}}))?"


def _date(p: str) -> str:
    """A numeric or worded date (``13 tháng 4 năm 2023``); worded groups are ``<p>wd`` …"""
    word = rf"(?P<{p}wd>\d{{1,2}}){_S}tháng{_S}(?P<{p}wm>\d{{1,2}})(?:{_S}năm{_S}(?P<{p}wy>{YEAR}))?"
    return f"(?:{_dnum(p)}|{word})"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F | re.X)


_NUM_MONTHS = r"(?P<n>0?[1-9]|1[01]|ba|sáu|chín)"
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("range_days", _c(rf"\btừ{_S}(?:ngày{_S})?{_date('a')}{_S}(?:đến|tới|{HY}){_S}(?:hết{_S})?(?:ngày{_S})?{_date('b')}")),
    ("range_months", _c(rf"\btừ{_S}tháng{_S}(?P<m1>\d{{1,2}})(?:{_SEP}(?P<y1>{YEAR}))?{_S}(?:đến|tới){_S}(?:hết{_S})?tháng{_S}(?P<m2>\d{{1,2}})(?:{_SEP}(?P<y2>{YEAR}))?")),
    ("range_years", _c(rf"\b(?:từ{_S}năm|giai{_S}đoạn(?:{_S}từ)?(?:{_S}năm)?){_S}(?P<y1>{YEAR})\s*(?:{HY}|đến(?:{_S}năm)?)\s*(?P<y2>{YEAR})\b")),
    ("term", _c(rf"\bnhiệm{_S}kỳ(?:{_S}(?P<roman>{ROMAN}|\d{{1,2}}))?\s*\(?\s*(?P<y1>{YEAR})\s*{HY}\s*(?P<y2>{YEAR})\s*\)?")),
    ("school_year", _c(rf"\bnăm{_S}học{_S}(?P<y1>{YEAR})\s*{HY}\s*(?P<y2>{YEAR})\b")),
    ("to_date", _c(rf"\b(?:(?:lũy|luỹ){_S}kế{_S})?(?:từ{_S})?đầu{_S}năm(?:{_S}(?P<y>{YEAR}))?{_S}(?:đến|tới){_S}(?:nay|hiện{_S}nay|thời{_S}điểm{_S}(?:hiện{_S}tại|báo{_S}cáo))")),
    ("cutoff", _c(rf"\b(?:tính{_S})?(?:đến|tới){_S}(?:hết{_S})?ngày{_S}{_date('a')}")),
    ("cutoff_now", _c(rf"\btính{_S}(?:đến|tới){_S}(?:thời{_S}điểm{_S}(?:báo{_S}cáo|hiện{_S}tại)|nay)")),
    ("until", _c(rf"\b(?:đến|tới){_S}năm{_S}(?P<y>{YEAR})\b")),
    ("day", _c(rf"\bngày{_S}{_date('a')}")),
    ("day", _c(rf"(?<![\w/.,-])(?P<ad>\d{{1,2}})([/.])(?P<am>\d{{1,2}})\2(?P<ay>{YEAR})(?![\w/.,-]\w)")),
    ("n_months", _c(rf"(?<![\w.,]){_NUM_MONTHS}{_S}tháng(?!{_S}\d)(?P<part>{_S}(?:đầu|cuối)(?:{_S}năm)?)?(?:(?:{_SEP}|{_S})(?P<y>{YEAR})\b)?")),
    ("month", _c(rf"\btháng{_S}(?P<m>1[0-2]|0?[1-9])(?!\d)(?:{_SEP}(?P<y>{YEAR})\b)?")),
    ("quarter", _c(rf"\bqu[ýy]{_S}(?P<q>IV|I{{1,3}}|[1-4])\b(?:{_SEP}(?P<y>{YEAR})\b)?")),
    ("same_period", _c(rf"\bcùng{_S}kỳ(?:{_S}năm{_S}(?P<rel>trước|ngoái|(?P<y>{YEAR})))?")),
    ("rel_month", _c(rf"\btháng{_S}(?P<rel>trước|này|tới|sau|kế{_S}tiếp)\b")),
    ("rel_quarter", _c(rf"\bqu[ýy]{_S}(?P<rel>trước|này|tới|sau)\b")),
    ("rest_of_year", _c(rf"\b(?:những|các){_S}tháng{_S}cuối{_S}năm(?:{_S}(?P<y>{YEAR}))?")),
    ("year", _c(rf"\b(?:cả{_S})?năm{_S}(?P<y>{YEAR})\b(?!\s*{HY}\s*{YEAR})")),
    ("rel_year", _c(rf"\bnăm{_S}(?P<rel>nay|trước|ngoái|tới|sau|kế{_S}tiếp)\b")),
    ("year_range_bare", _c(rf"(?<![\w/.-])(?P<y1>{YEAR})\s*{HY}\s*(?P<y2>{YEAR})(?![\w/])")),
]  # fmt: skip
# The words a rule's match can begin with (lower case), or None for the rules that begin with a
# figure.  One scan finds every such word; a rule is then tried only where one of its words
# stands, instead of each rule scanning the whole text.
_STARTS: list[frozenset[str] | None] = [frozenset(w.split()) if w else None for w in (
    "từ", "từ", "từ giai", "nhiệm", "năm", "lũy luỹ từ đầu", "tính đến tới", "tính", "đến tới", "ngày", "",
    "", "tháng", "quý quy", "cùng", "tháng", "quý quy", "những các", "cả năm", "năm", "",
)]
assert len(_STARTS) == len(_RULES)
_START_WORD = re.compile(
    r"\b(?:" + "|".join(sorted({w for ws in _STARTS if ws for w in ws}, key=len, reverse=True)) + r")\b", re.I
)

# Words before "6 tháng" etc. that make it a duration, not the first months of a year.
_DURATION_BEFORE = re.compile(r"(?i)(?:định\s+kỳ|hằng|hàng|thời\s+hạn|trong\s+vòng|sau|trước|tối\s+đa|ít\s+nhất|quá|hơn|mỗi|từng|sau\s+khi)\s*$")
_SENTENCE_END = re.compile(r"[.;!?\n]\s")


@dataclass(slots=True)
class _Hit:
    kind: str
    start: int
    end: int
    first: dt.date | None
    last: dt.date | None
    explicit_year: int | None = None
    relative: bool = False


def find_periods(
    text: str,
    *,
    anchor: dt.date | None,
    start: int = 0,
    end: int | None = None,
    year: int | None = None,
    reporting: dict | None = None,
) -> list[dict]:
    """Every time expression in ``text[start:end]``, in text order, without overlaps.

    Returns dicts with ``text``, ``start``/``end`` (ISO dates of the inclusive interval, ``None``
    where unknown: the start of a ``cutoff`` ``tính đến ngày 30/6/2024``), ``kind`` and ``span``
    (absolute offsets).  ``anchor`` is the document's date; ``year`` the reporting year when the
    caller knows it; ``reporting`` a :func:`reporting_period` result that ``cùng kỳ``, ``năm trước``
    and ``tháng trước`` are relative to.

    >>> import datetime as dt
    >>> [p["kind"] for p in find_periods("quý I/2023 tăng so với cùng kỳ", anchor=dt.date(2023, 4, 5))]
    ['quarter', 'same_period']
    """
    hits = _scan(text, anchor=anchor, start=start, end=end, year=year, reporting=reporting)
    return [_as_dict(text, h) for h in hits]


def _as_dict(text: str, h: _Hit) -> dict:
    return {
        "text": text[h.start : h.end],
        "start": h.first.isoformat() if h.first else None,
        "end": h.last.isoformat() if h.last else None,
        "kind": h.kind,
        "span": (h.start, h.end),
    }


def _scan(
    text: str,
    *,
    anchor: dt.date | None,
    start: int,
    end: int | None,
    year: int | None,
    reporting: dict | None,
) -> list[_Hit]:
    end = len(text) if end is None else end
    cands: list[tuple[int, int, int, str, re.Match[str]]] = []
    at: dict[str, list[int]] = {}
    for w in _START_WORD.finditer(text, start, end):
        at.setdefault(w.group().lower(), []).append(w.start())
    for order, (rule, rx) in enumerate(_RULES):
        words = _STARTS[order]
        if words is None:
            found = rx.finditer(text, start, end)
        else:
            found = (rx.match(text, pos, end) for pos in sorted(p for w in words for p in at.get(w, ())))
        for m in found:
            if m is not None:
                cands.append((m.start(), m.end(), order, rule, m))
    # longest first, then leftmost, then rule order: "ngày 13 tháng 4 năm 2023" beats "tháng 4 năm 2023"
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    taken = bytearray(end - start + 1)  # 1 where a chosen match already stands: O(length) overlap test
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    for a, b, _, rule, m in cands:
        if 1 in taken[a - start : b - start]:
            continue
        taken[a - start : b - start] = b"\x01" * (b - a)
        chosen.append((a, b, rule, m))
    chosen.sort(key=lambda c: c[0])
    ctx = _Context(anchor=anchor, year=year, reporting=_reporting_dates(reporting))
    hits: list[_Hit] = []
    for a, _b, rule, m in chosen:
        # a sentence boundary forgets the previous period ("cùng kỳ" refers within its sentence)
        if hits and _SENTENCE_END.search(text, hits[-1].end, a):
            ctx.last = None
        hit = _resolve(rule, m, ctx, text)
        if hit is None:
            continue
        hits.append(hit)
        if not hit.relative and hit.kind in REPORTING_KINDS:
            ctx.last = (hit.first, hit.last, hit.kind)
    return hits


@dataclass(slots=True)
class _Context:
    anchor: dt.date | None
    year: int | None
    reporting: tuple[dt.date, dt.date, str] | None
    last: tuple[dt.date | None, dt.date | None, str] | None = None

    def base_year(self) -> int | None:
        if self.year:
            return self.year
        return self.anchor.year if self.anchor else None

    def reference(self) -> tuple[dt.date | None, dt.date | None, str] | None:
        return self.last or self.reporting


def _reporting_dates(rep: dict | None) -> tuple[dt.date, dt.date, str] | None:
    if not rep or not rep.get("start") or not rep.get("end"):
        return None
    return (dt.date.fromisoformat(rep["start"]), dt.date.fromisoformat(rep["end"]), rep.get("kind") or "")


def _nearest_year(month: int, ctx: _Context) -> int | None:
    """The year that puts ``month`` nearest the anchor (past preferred on a tie)."""
    if ctx.year:
        return ctx.year
    if ctx.anchor is None:
        return None
    a = ctx.anchor.year * 12 + ctx.anchor.month
    return min((ctx.anchor.year + k for k in (-1, 0, 1)), key=lambda y: (abs(y * 12 + month - a), y))


def _parse_date(m: re.Match[str], p: str, ctx: _Context, default_year: int | None = None) -> dt.date | None:
    g = m.groupdict()
    if g.get(p + "d"):
        d, mo, y = int(g[p + "d"]), int(g[p + "m"]), g.get(p + "y")
    elif g.get(p + "wd"):
        d, mo, y = int(g[p + "wd"]), int(g[p + "wm"]), g.get(p + "wy")
    else:
        return None
    if not (1 <= mo <= 12):
        return None
    yy = expand_year(y) if y else (default_year or _nearest_year(mo, ctx))
    return make_date(yy, mo, d) if yy else None


def _resolve(rule: str, m: re.Match[str], ctx: _Context, text: str) -> _Hit | None:
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else None
    by = y or ctx.base_year()
    a, b = m.start(), m.end()
    if rule == "range_days":
        last = _parse_date(m, "b", ctx)
        first = _parse_date(m, "a", ctx, default_year=last.year if last else None)
        if first and last and first > last and not (g.get("ay") or g.get("awy")):
            first = make_date(last.year - 1, first.month, first.day)
        if not first or not last or first > last:
            return None
        return _Hit("range", a, b, first, last, explicit_year=last.year)
    if rule == "range_months":
        y2 = int(g["y2"]) if g.get("y2") else None
        y1 = int(g["y1"]) if g.get("y1") else None
        m1, m2 = int(g["m1"]), int(g["m2"])
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        y2 = y2 or y1 or ctx.base_year()
        if y2 is None:
            return _Hit("range", a, b, None, None)
        y1 = y1 or (y2 if m1 <= m2 else y2 - 1)
        return _Hit("range", a, b, dt.date(y1, m1, 1), month_end(y2, m2), explicit_year=y2)
    if rule in ("range_years", "year_range_bare", "term", "school_year"):
        y1, y2 = int(g["y1"]), int(g["y2"])
        if not (0 < y2 - y1 <= 15):
            return None
        if rule == "school_year":
            if y2 != y1 + 1:
                return None
            # the school year runs from September to the end of May (the MOET yearly time frame)
            return _Hit("school_year", a, b, dt.date(y1, 9, 1), dt.date(y2, 5, 31), explicit_year=y1)
        kind = "term" if rule == "term" else "range"
        return _Hit(kind, a, b, dt.date(y1, 1, 1), dt.date(y2, 12, 31), explicit_year=y1)
    if rule == "to_date":
        if by is None:
            return _Hit("to_date", a, b, None, None)
        last = ctx.anchor if ctx.anchor and ctx.anchor.year == by else dt.date(by, 12, 31)
        return _Hit("to_date", a, b, dt.date(by, 1, 1), last, explicit_year=y)
    if rule == "cutoff":
        d = _parse_date(m, "a", ctx)
        return _Hit("cutoff", a, b, None, d, explicit_year=d.year if d and (g.get("ay") or g.get("awy")) else None)
    if rule == "cutoff_now":
        return _Hit("cutoff", a, b, None, ctx.anchor, relative=True)
    if rule == "until":
        return _Hit("until", a, b, None, dt.date(y, 12, 31), explicit_year=y) if y else None
    if rule == "day":
        d = _parse_date(m, "a", ctx)
        if d is None:
            return None
        explicit = g.get("ay") or g.get("awy")
        if not explicit and not text[a:b].lower().startswith("ngày"):
            return None  # a bare "12/3" is too often a ratio or a number
        return _Hit("day", a, b, d, d, explicit_year=d.year if explicit else None)
    if rule == "n_months":
        return _n_months(m, ctx, text, y, by)
    if rule == "month":
        mo = int(g["m"])
        yy = y or _nearest_year(mo, ctx)
        if yy is None:
            return _Hit("month", a, b, None, None)
        return _Hit("month", a, b, dt.date(yy, mo, 1), month_end(yy, mo), explicit_year=y)
    if rule == "quarter":
        q = small_int(g["q"]) or 0
        if not 1 <= q <= 4:
            return None
        yy = y or _nearest_year(3 * q - 1, ctx)
        if yy is None:
            return _Hit("quarter", a, b, None, None)
        return _Hit("quarter", a, b, dt.date(yy, 3 * q - 2, 1), month_end(yy, 3 * q), explicit_year=y)
    if rule == "same_period":
        ref = ctx.reference()
        if ref is None or ref[0] is None or ref[1] is None:
            return _Hit("same_period", a, b, None, None, relative=True)
        shift = (y - ref[1].year) if y else -1
        return _Hit("same_period", a, b, shift_years(ref[0], shift), shift_years(ref[1], shift), relative=True)
    if rule in ("rel_month", "rel_quarter"):
        return _relative_month(rule, g["rel"].lower(), ctx, a, b)
    if rule == "rest_of_year":
        if by is None:
            return _Hit("rest_of_year", a, b, None, None)
        ref = ctx.reference()
        first = ref[1] + dt.timedelta(days=1) if ref and ref[1] and ref[1].year == by else None
        if first is None:
            first = ctx.anchor if ctx.anchor and ctx.anchor.year == by else dt.date(by, 7, 1)
        return _Hit("rest_of_year", a, b, first, dt.date(by, 12, 31), explicit_year=y)
    if rule == "year":
        return _Hit("year", a, b, dt.date(y, 1, 1), dt.date(y, 12, 31), explicit_year=y) if y else None
    if rule == "rel_year":
        rel = g["rel"].lower()
        ref = ctx.reference()
        base = ref[1].year if rel != "nay" and ref and ref[1] else ctx.base_year()
        if base is None:
            return _Hit("year", a, b, None, None, relative=True)
        yy = base + {"nay": 0, "trước": -1, "ngoái": -1}.get(rel, 1)
        return _Hit("year", a, b, dt.date(yy, 1, 1), dt.date(yy, 12, 31), relative=True)
    return None


def _n_months(m: re.Match[str], ctx: _Context, text: str, y: int | None, by: int | None) -> _Hit | None:
    """``6 tháng đầu năm``, ``6 tháng cuối năm 2024``, ``9 tháng``, ``3 tháng đầu năm``."""
    n = small_int(m.group("n")) or 0
    part = (m.group("part") or "").lower()
    a, b = m.start(), m.end()
    if _DURATION_BEFORE.search(text[max(0, a - 20) : a]):
        return None
    tail = text[b : b + 12].lower()
    if re.match(r"\s*(?:/\s*(?:0?1|một)?\s*lần|một\s+lần|(?:kể|tính|liên|trở|qua|gần|tới|nữa)\b)", tail):
        return None  # "6 tháng kể từ …", "3 tháng qua": a duration
    has_year_word = bool(re.search(r"năm", text[m.start("n") : b], re.I))
    if not part and not y and not has_year_word and n != 9:
        # a bare "6 tháng" is a report period only right after "báo cáo", "sơ kết", "kết quả"…
        if not re.search(r"(?i)(?:báo\s+cáo|sơ\s+kết|kết\s+quả|công\s+tác|kỳ|trong)\s*$", text[max(0, a - 15) : a]):
            return None
    if by is None:
        return _Hit("half_year" if n == 6 else "months", a, b, None, None)
    if "cuối" in part:
        first = dt.date(by, 13 - n, 1) if 1 <= n <= 12 else None
        if first is None:
            return None
        kind = "half_year" if n == 6 else ("quarter" if n == 3 else "months")
        return _Hit(kind, a, b, first, dt.date(by, 12, 31), explicit_year=y)
    if not 1 <= n <= 11:
        return None
    kind = {3: "quarter", 6: "half_year", 9: "nine_months"}.get(n, "months")
    return _Hit(kind, a, b, dt.date(by, 1, 1), month_end(by, n), explicit_year=y)


def _relative_month(rule: str, rel: str, ctx: _Context, a: int, b: int) -> _Hit | None:
    size = 1 if rule == "rel_month" else 3
    kind = "month" if size == 1 else "quarter"
    ref = ctx.reference()
    if ref and ref[0] and ref[2] == kind:
        base = ref[0]
    elif ctx.anchor:
        base = ctx.anchor.replace(day=1)
        if size == 3:
            base = base.replace(month=3 * ((base.month - 1) // 3) + 1)
    else:
        return _Hit(kind, a, b, None, None, relative=True)
    step = {"trước": -1, "này": 0}.get(rel, 1) * size
    idx = base.year * 12 + base.month - 1 + step
    yy, mm = divmod(idx, 12)
    first = dt.date(yy, mm + 1, 1)
    last_idx = idx + size - 1
    ly, lm = divmod(last_idx, 12)
    return _Hit(kind, a, b, first, month_end(ly, lm + 1), relative=True)


def data_window(kind: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The ND09/2019/NĐ-CP data window of a periodic report, or ``None`` where it does not apply.

    Month: the 15th of the previous month to the 14th; quarter, 6 and 9 months, year: from the 15th
    of the month before the period's first month to the 14th of its last month (quý I → 15/12 to
    14/3; năm → 15/12 to 14/12).

    >>> import datetime as dt
    >>> data_window("quarter", dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    (datetime.date(2022, 12, 15), datetime.date(2023, 3, 14))
    """
    if kind not in ("month", "quarter", "half_year", "nine_months", "months", "year"):
        return None
    prev = start.replace(day=1) - dt.timedelta(days=1)
    return prev.replace(day=15), end.replace(day=14)


def reporting_period(title: str | None, *, anchor: dt.date | None) -> dict | None:
    """The period a report is about, read from its trích yếu; ``None`` when the title names none.

    The first period of the title is the one reported on (a later one, after ``phương hướng``, is
    the next period); a year printed once for both (``6 tháng đầu năm và phương hướng 6 tháng cuối
    năm 2022``) applies to both.  Returns ``text``, ``start``, ``end``, ``kind`` and the ND09 data
    window ``data_start``/``data_end`` (``None`` for periods ND09 does not cover: terms, stages,
    school years; an explicit range is its own window).

    >>> import datetime as dt
    >>> r = reporting_period("Báo cáo kết quả công tác quý I năm 2024", anchor=dt.date(2024, 3, 20))
    >>> r["kind"], r["start"], r["end"], r["data_start"], r["data_end"]
    ('quarter', '2024-01-01', '2024-03-31', '2023-12-15', '2024-03-14')
    """
    if not title:
        return None
    hits = _scan(title, anchor=anchor, start=0, end=None, year=None, reporting=None)
    explicit = next((h.explicit_year for h in hits if h.explicit_year and h.kind in REPORTING_KINDS), None)
    if explicit:
        hits = _scan(title, anchor=anchor, start=0, end=None, year=explicit, reporting=None)
    for h in hits:
        if h.kind in REPORTING_KINDS and not h.relative and h.first and h.last:
            out = _as_dict(title, h)
            out.pop("span")
            win = data_window(h.kind, h.first, h.last)
            if h.kind == "range":
                win = (h.first, h.last) if (h.last - h.first).days < 366 else None
            out["data_start"] = win[0].isoformat() if win else None
            out["data_end"] = win[1].isoformat() if win else None
            return out
    return None
