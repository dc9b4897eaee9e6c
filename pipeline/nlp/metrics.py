"""Figures reported in a text: counts with a unit, percentages, ratios, money and comparisons.

Numbers are read the Vietnamese way (``.`` thousands, ``,`` decimals).  Document numbers, dates,
years, article numbers (``Điều 5``) and heading numbers are not figures.

Each figure is a dict with ``text`` (as printed), ``span``, ``value`` (a float; money in đồng),
``unit``, ``kind`` (``count``, ``percent``, ``ratio``, ``money``, ``comparison``), ``measure`` (the
thing measured, as printed nearby), ``direction`` (``up``/``down`` for comparisons, else ``None``)
and ``baseline`` (what a comparison or a plan percentage is measured against).  Ratios also carry
``total`` (``45/50`` → value 45, total 50).

>>> [(m["kind"], m["value"], m["unit"]) for m in find_metrics("Tổ chức 45 hội nghị, thu hút 3.200 lượt người")]
[('count', 45.0, 'hội nghị'), ('count', 3200.0, 'lượt người')]
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.nlp.vntext import HYPHENS, LO, NUMBER, fold_space, parse_vn_number

__all__ = ["METRIC_KEYS", "find_metrics"]

METRIC_KEYS = ("text", "span", "value", "unit", "kind", "measure", "direction", "baseline")

_W = rf"[{LO}]+"  # one lower-case syllable
_NUM = rf"(?<![\w.,/%-])(?P<num>{NUMBER})(?![\d])"
# Multi-syllable units and counters worth keeping whole; any other unit is the first syllable.
_UNIT_LIST = """lượt người|lượt truy cập|lượt|người|hồ sơ|văn bản|hội nghị|cuộc|vụ|đơn|đơn thư|vụ việc|
    trường hợp|thủ tục|thủ tục hành chính|TTHC|cơ quan|đơn vị|tổ chức|doanh nghiệp|hộ|hộ gia đình|hộ dân|xã|
    phường|đặc khu|thôn|tổ dân phố|cán bộ|công chức|viên chức|đảng viên|hội viên|học sinh|sinh viên|lớp|khóa|
    buổi|đợt|bài|bài viết|tin|tin bài|phóng sự|chuyên mục|tài khoản|tài liệu|cuốn|tờ|bản|mô hình|sáng kiến|
    đề tài|dự án|công trình|nhiệm vụ|chỉ tiêu|tiêu chí|kiến nghị|ý kiến|câu hỏi|phiếu|mẫu|cơ sở|trường|
    điểm|lần|giờ|ha|héc ta|km|m2|m3|tấn|kg|lít|con|cây|chiếc|xe|phương tiện|căn|căn nhà|nhà|ngôi nhà|
    camera|máy|thiết bị|dịch vụ|dịch vụ công|giao dịch|thẻ|tài khoản định danh|chứng thư số|giấy phép"""
_UNIT_LIST += "|hợp đồng|tổ|nhóm|chi bộ|chi hội|đoàn viên|tuổi|chữ ký|ô tô|liều|suất|gói|lô|ca|bệnh nhân"
UNITS = tuple(sorted({fold_space(u) for u in _UNIT_LIST.split("|")}, key=len, reverse=True))
_UNIT_RE = "|".join(re.escape(fold_space(u)).replace(r"\ ", r"\s+") for u in UNITS)
_MONEY_SCALE = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "nghìn tỷ": 1e12, "ngàn tỷ": 1e12}
_MONEY = re.compile(
    rf"{_NUM}\s*(?:(?P<scale>nghìn\s+tỷ|ngàn\s+tỷ|nghìn|ngàn|triệu|tỷ|tỉ)(?:\s*(?P<cur>đồng|VNĐ|VND|USD))?"
    rf"|(?P<cur2>đồng|VNĐ|VND|đ|USD|\$))(?![{LO}\w])",
    re.I,
)
_PERCENT = re.compile(rf"{_NUM}\s*%(?P<plan>\s*(?:so\s+với\s+)?(?:kế\s+hoạch|chỉ\s+tiêu|dự\s+toán|KH)\b)?")
_RATIO = re.compile(rf"(?<![\w.,/%-])(?P<num>{NUMBER})\s*/\s*(?P<den>{NUMBER})(?![\d/.,]\d|\s*[{HYPHENS}/]|\w)")
# Words after a number that are not its unit: function words, time words, adjectives.
_NOT_UNIT = (
    "ngày|tháng|năm|quý|tuần|của|và|hoặc|đến|tới|từ|với|trong|trên|dưới|tại|theo|là|có|được|đã|đang|sẽ|"
    "cho|để|do|vì|về|nếu|thì|mà|này|đó|tốt|khá|xuất|sắc|đạt|chưa|không|các|những|mỗi|một|hai|ba|bốn|năm|"
    "sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|đối|so|lên|xuống|hơn|nữa|thì|nêu|trở|kể|trước|sau"
)
_COUNT = re.compile(rf"{_NUM}[ \u00a0](?:(?P<scale>nghìn|ngàn|triệu|tỷ)[ \u00a0])?(?P<unit>{_UNIT_RE}|(?!(?:{_NOT_UNIT})\b){_W}(?:[ ](?!(?:{_NOT_UNIT}|sang|vào|ra|đi)\b){_W})?)(?![{LO}\w])")
_COMPARE = re.compile(
    rf"(?P<verb>tăng|giảm|cao\s+hơn|thấp\s+hơn|nhiều\s+hơn|ít\s+hơn|vượt)\s+(?:thêm\s+)?(?:gần\s+|hơn\s+|khoảng\s+)?"
    rf"(?P<num>{NUMBER})\s*(?P<unit>%|lần|{_UNIT_RE}|{_W})?"
    rf"(?:\s+(?P<rest>{_W}(?:\s+{_W}){{0,4}}?))??\s*(?:\(?\s*so\s+với|so)\s+(?P<base>[^,;.()\n]{{2,40}}?)(?=[,;.()\n]|$)",
    re.I,
)
_NOT_FIGURE_BEFORE = re.compile(
    r"(?i)(?:điều|khoản|điểm|chương|mục|phần|phụ\s+lục|biểu|mẫu|số|lần\s+thứ|thứ|khóa|khoá|đề\s+án|"
    r"nghị\s+định|nghị\s+quyết|quyết\s+định|kế\s+hoạch|công\s+văn|thông\s+tư|luật|chỉ\s+thị|kết\s+luận|"
    r"ngày|tháng|năm|quý|giai\s+đoạn|nhiệm\s+kỳ|iso|covid|tầng|phòng|đường|quốc\s+lộ|tỉnh\s+lộ|km|"
    r"tổ|ấp|thôn|khu\s+phố|điện\s+thoại|ĐT|fax|stt|tt|top|hạng|lớp|version|phiên\s+bản|mã)\s*[:.]?\s*$"
)
_UP_WORDS = ("tăng", "cao hơn", "nhiều hơn", "vượt")
_MEASURE_STOP = re.compile(
    r"(?i)\s+(?:và|của|trên|tại|được|đã|đang|với|so|trong|theo|là|có|cho|từ|đến|để|do|thuộc|gồm|như|"
    r"đạt|chiếm|bằng|tăng|giảm)\b"
)


def find_metrics(
    text: str,
    *,
    anchor: dt.date | None = None,
    start: int = 0,
    end: int | None = None,
) -> list[dict]:
    """Every figure in ``text[start:end]``, in text order, without overlaps.

    A comparison (``tăng 12% so với cùng kỳ``) swallows the number it holds; a money amount
    (``1,5 tỷ đồng``) wins over a plain count.  ``anchor`` is accepted for the common extractor
    signature.

    >>> m = find_metrics("tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%")[0]
    >>> m["kind"], m["value"], m["measure"]
    ('percent', 98.5, 'tỷ lệ hồ sơ giải quyết đúng hạn')
    """
    end = len(text) if end is None else end
    found: list[tuple[int, int, dict]] = []
    taken = bytearray(end - start + 1)  # 1 where a figure already stands: a linear-time overlap test
    for rx, make in ((_COMPARE, _comparison), (_MONEY, _money), (_PERCENT, _percent), (_RATIO, _ratio), (_COUNT, _count)):
        for m in rx.finditer(text, start, end):
            a = m.start("num") if "num" in m.re.groupindex and m.group("num") else m.start()
            if 1 in taken[a - start : m.end() - start]:
                continue
            if not _is_figure(text, m.start("num") if m.group("num") else a, m):
                continue
            d = make(text, m)
            if d is not None:
                found.append((m.start(), m.end(), d))
                taken[m.start() - start : m.end() - start] = b"\x01" * (m.end() - m.start())
    found.sort(key=lambda f: f[0])
    return [f[2] for f in found]


def _is_figure(text: str, pos: int, m: re.Match[str]) -> bool:
    """False for heading numbers, article numbers, years and the numbers of documents."""
    before = text[max(0, pos - 25) : pos]
    if _NOT_FIGURE_BEFORE.search(before):
        return False
    line_start = text.rfind("\n", 0, pos) + 1
    if not text[line_start:pos].strip() and re.match(r"\d+(?:\.\d+)*\s*[.)\-–]\s", text[pos : pos + 12]):
        return False  # "1. Kết quả", "2) …": a heading or list number
    num = m.group("num")
    return not (re.fullmatch(r"(?:19|20)\d{2}", num) and m.re is not _MONEY)


def _base(text: str, m: re.Match[str], kind: str, value: float | None, unit: str | None) -> dict:
    a, b = m.start(), m.end()
    while b > a and text[b - 1].isspace():
        b -= 1
    return {
        "text": text[a:b],
        "span": (a, b),
        "value": value,
        "unit": unit,
        "kind": kind,
        "measure": None,
        "direction": None,
        "baseline": None,
    }


def _measure_before(text: str, pos: int) -> str | None:
    """The noun phrase a figure describes, read back to the clause start: ``tỷ lệ hồ sơ … đạt 98%``."""
    seg = text[max(0, pos - 120) : pos]
    cut = max(seg.rfind(c) for c in ",;:()\n.–|\t") + 1
    seg = seg[cut:]
    gap = seg.rfind("   ")  # a table column gap
    seg = fold_space(seg[gap + 3 :] if gap >= 0 else seg)
    if re.search(r"\d", seg) and len(re.sub(r"[\d\s.,%/]", "", seg)) < 3:
        return None  # only numbers before: a table cell
    seg = re.sub(r"(?i)\s*\b(?:đạt|là|chiếm|bằng|được|có|với|gồm|khoảng|gần|hơn|trên|dưới|tới|lên|xuống|đạt\s+tỷ\s+lệ)\s*$", "", seg)
    seg = re.sub(r"(?i)\s*\b(?:đạt|là|chiếm|bằng|khoảng|từ|tối\s+thiểu|tối\s+đa)\s*$", "", seg)
    seg = re.sub(r"(?i)^(?:chiếm|đạt|có|với|và|trong\s+đó)\s+", "", seg)
    seg = seg.strip(" -+*")
    words = seg.split()
    if not words:
        return None
    if len(words) > 10:
        words = words[-10:]
    return " ".join(words)


def _measure_after(text: str, pos: int, unit: str) -> str:
    """The unit and the words that qualify it: ``45 hội nghị tuyên truyền`` → ``hội nghị tuyên truyền``."""
    seg = text[pos : pos + 80]
    seg = re.split(r"[,;:()\n.]", seg, maxsplit=1)[0]
    stop = _MEASURE_STOP.search(seg)
    if stop:
        seg = seg[: stop.start()]
    words = fold_space(seg).split()[:8]
    return " ".join(words) or unit


def _count(text: str, m: re.Match[str]) -> dict | None:
    unit = fold_space(m.group("unit"))
    value = parse_vn_number(m.group("num"))
    if value is None:
        return None
    value *= _MONEY_SCALE.get(m.group("scale") or "", 1.0)  # "2 triệu lượt người"
    d = _base(text, m, "count", value, unit)
    d["measure"] = _measure_after(text, m.start("unit"), unit)
    return d


def _percent(text: str, m: re.Match[str]) -> dict | None:
    value = parse_vn_number(m.group("num"))
    if value is None:
        return None
    d = _base(text, m, "percent", value, "%")
    d["measure"] = _measure_before(text, m.start("num"))
    if m.group("plan"):
        d["baseline"] = fold_space(re.sub(r"(?i)^\s*so\s+với\s+", "", m.group("plan")))
    return d


def _ratio(text: str, m: re.Match[str]) -> dict | None:
    num, den = parse_vn_number(m.group("num")), parse_vn_number(m.group("den"))
    if num is None or den is None or den == 0 or num > den:
        return None  # "12/3" with a bigger numerator is a date or a code, not a part of a whole
    if re.fullmatch(r"(?:19|20)\d{2}", m.group("den")) and num <= 12:
        return None  # "9/2026": a month
    before = text[max(0, m.start() - 8) : m.start()]
    if re.search(r"(?i)ngày\s*$", before) or (den <= 12 and num <= 31 and re.search(r"(?i)(?:ngày|hạn)\s*$", before)):
        return None
    d = _base(text, m, "ratio", num, None)
    tail = re.match(rf"\s+(?P<unit>{_UNIT_RE}|{_W})\b", text[m.end() : m.end() + 40], re.I)
    if tail:
        d["unit"] = fold_space(tail.group("unit"))
        d["measure"] = _measure_after(text, m.end() + tail.start("unit"), d["unit"])
    else:
        d["measure"] = _measure_before(text, m.start())
    d["total"] = den
    return d


def _money(text: str, m: re.Match[str]) -> dict | None:
    value = parse_vn_number(m.group("num"))
    if value is None:
        return None
    scale = fold_space(m.group("scale") or "").lower()
    cur = m.group("cur") or m.group("cur2")
    if cur is None:
        # "2 triệu lượt người" counts people; "3 nghìn" alone is no amount of money
        if scale in ("nghìn", "ngàn") or re.match(rf"\s+(?:{_UNIT_RE})\b", text[m.end() : m.end() + 30], re.I):
            return None
        cur = "đồng"
    cur = "USD" if cur.upper() in ("USD", "$") else "đồng"
    d = _base(text, m, "money", value * _MONEY_SCALE.get(scale, 1.0), cur)
    d["measure"] = _measure_before(text, m.start("num"))
    return d


def _comparison(text: str, m: re.Match[str]) -> dict | None:
    value = parse_vn_number(m.group("num"))
    if value is None:
        return None
    unit = fold_space(m.group("unit") or "") or None
    d = _base(text, m, "comparison", value, unit)
    verb = fold_space(m.group("verb")).lower()
    d["direction"] = "up" if verb in _UP_WORDS else "down"
    d["baseline"] = fold_space(m.group("base"))
    d["measure"] = _measure_before(text, m.start()) if unit in (None, "%", "lần") else unit
    return d
