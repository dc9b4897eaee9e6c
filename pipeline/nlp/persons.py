"""People named in a text, with the position printed next to them.

A name is 2–5 capitalised syllables that either start with a common Vietnamese surname or follow a
cue (``đồng chí``, ``Đ/c``, ``ông``, ``bà``).  Place names that begin like a surname (``Lâm Đồng``,
``Hà Nội``, ``Phan Thiết``) and street or school names (``đường Lê Lợi``) are left out.  The title is
the position printed after the name (``Nguyễn Văn A, Phó Chủ tịch UBND tỉnh``, ``… - Tỉnh ủy viên``)
or right before it (``Phó Chủ tịch UBND tỉnh Nguyễn Văn A``).  The signer of the document comes from
the signature block (the caller adds it).

>>> [(p["text"], p["title"]) for p in find_persons("đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh chủ trì")]
[('Nguyễn Văn An', 'Phó Chủ tịch UBND tỉnh')]
"""

from __future__ import annotations

import re

from pipeline.nlp.vntext import HY, LO, UP

__all__ = ["PERSON_KEYS", "SURNAMES", "find_persons"]

PERSON_KEYS = ("text", "title", "span")

SURNAMES = frozenset(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Lâm Mai Trịnh
    Đào Cao Hà Tạ Lương Lưu Tô Châu Thái Quách Phùng Kiều Triệu Từ Vương Chu Khúc Mạc La Âu Lại Tăng Giang
    Hứa Nông Lò Lục Hầu Thân Ninh Quan Tống Diệp Ông Kim Nghiêm Tôn Đàm Chế Doãn Khổng Mẫn Bế Văn Thạch Y
    Danh Hoàng Huỳnh Lã Lữ Trang Viên Bạch Đồng Khương Mã Phó Sầm Thiều Trà Ung Vi Vòng Hàn Lò Cù Cấn""".split()
) - {"Văn", "Y", "Phó", "Đồng", "Trà"}  # too often not a surname at the start of a capitalised run

# Place names that start like a name (a surname and a capitalised syllable).
_PLACES = frozenset(
    """Hà Nội|Hà Tĩnh|Hà Giang|Hà Nam|Hà Đông|Hà Tiên|Hà Trung|Lâm Đồng|Lâm Hà|Cao Bằng|Cao Lãnh|Phan Thiết|
    Phan Rang|Phan Rí|Lý Sơn|Hồ Chí Minh|Hoàng Sa|Kim Bôi|Kim Sơn|Mai Châu|Châu Đốc|Châu Thành|Châu Phú|
    Châu Đức|Lương Sơn|Hồ Tràm|Quan Hóa|Quan Sơn|Thái Bình|Thái Nguyên|Thái Lan|Ninh Bình|Ninh Thuận|
    Ninh Hòa|Ninh Kiều|Giang Thành|Tô Lịch|Trương Định|Đinh Bộ Lĩnh|Lê Lợi|Trần Hưng Đạo|Đoàn Kết""".split("|")
)
_PLACES_PREFIX = tuple(sorted(_PLACES))
_SYL = rf"[{UP}][{LO}]*"
_POSITION = (
    r"(?:Phó\s+)?(?:Chủ\s+tịch|Bí\s+thư|Giám\s+đốc|Trưởng\s+ban|Trưởng\s+phòng|Trưởng\s+đoàn|Trưởng|Chánh\s+Văn\s+phòng|"
    r"Chánh\s+án|Chánh\s+Thanh\s+tra|Chánh|Thủ\s+tướng|Bộ\s+trưởng|Thứ\s+trưởng|Tổng\s+Bí\s+thư|Chủ\s+nhiệm|"
    r"Viện\s+trưởng|Cục\s+trưởng|Vụ\s+trưởng|Hiệu\s+trưởng|Tổng\s+Giám\s+đốc|Tổng\s+Kiểm\s+toán|Tổ\s+trưởng|"
    r"Đội\s+trưởng|Chỉ\s+huy\s+trưởng|Tư\s+lệnh|Thường\s+trực|Ủy\s+viên|Uỷ\s+viên|Tỉnh\s+ủy\s+viên|Tỉnh\s+uỷ\s+viên|"
    r"Thành\s+ủy\s+viên|Đại\s+biểu|Chuyên\s+viên|Thành\s+viên|Kiểm\s+toán\s+trưởng|Thanh\s+tra\s+viên|Thư\s+ký)"
)
_CUE = r"(?:đồng\s+chí|Đồng\s+chí|ĐỒNG\s+CHÍ|[đĐ]/[cC]|ông|Ông|bà|Bà|anh|chị|Anh|Chị)"
_NAME = re.compile(rf"(?<![{UP}{LO}\w])(?P<name>{_SYL}(?:[ \t]+{_SYL}){{1,4}})(?![{LO}\w])")
_CUE_BEFORE = re.compile(rf"{_CUE}\s*:?\s*$")
_NOT_NAME_BEFORE = re.compile(
    r"(?i)(?:đường|phố|trường|xã|phường|huyện|tỉnh|thôn|quận|cầu|chợ|thpt|thcs|tiểu\s+học|hẻm|ngõ|"
    r"tư\s+tưởng|tấm\s+gương|đoàn\s+tncs|tncs|tp\.?|thành\s+phố|giải(?:\s+thưởng)?|quỹ|bảo\s+tàng|khu|ấp)\s*$"
)
_TITLE_AFTER = re.compile(rf"\A\s*(?:,|{HY}|\(|:)\s*(?P<title>{_POSITION}[^;\n()]*?)(?=\s*(?:[;\n()]|\.(?:\s|$)|,\s*(?:{_CUE}\b|[{LO}])|$| và | chủ trì| đã | làm | phát biểu| tại | về | trong ))")
_TITLE_BEFORE = re.compile(rf"(?P<title>{_POSITION}[^;\n()\.]{{0,80}}?)\s*$")
# A name does not run into these capitalised words: a position or a body starts there.
_STOP_SYL = frozenset(
    "Phó Chủ Bí Giám Trưởng Tỉnh Ủy Uỷ Sở Ban Bộ Phòng Hội UBND HĐND Chính Văn Thành Huyện Xã Phường Tổng Đồng Ông Bà".split()
)


def find_persons(text: str, *, start: int = 0, end: int | None = None) -> list[dict]:
    """Every person named in ``text[start:end]``, one dict per mention: ``text`` (the name), ``title``, ``span``.

    >>> find_persons("Phó Chủ tịch UBND tỉnh Trần Hồng Thái dự họp")[0]["title"]
    'Phó Chủ tịch UBND tỉnh'
    """
    end = len(text) if end is None else end
    out: list[dict] = []
    for m in _NAME.finditer(text, start, end):
        syls = m.group("name").split()
        a = m.start("name")
        cue = bool(_CUE_BEFORE.search(text[max(0, a - 30) : a]))
        if syls[0] in ("Ông", "Bà", "Anh", "Chị"):
            a = text.index(syls[1], a + len(syls[0]))
            syls, cue = syls[1:], True
        # cut the run before a position or body word ("Nguyễn Văn A Phó Chủ tịch")
        for i, s in enumerate(syls):
            if s in _STOP_SYL and (i >= 2 or (i == 0 and cue)):
                syls = syls[:i]
                break
        if len(syls) < 2 or any(s.isupper() and len(s) > 1 for s in syls):
            continue  # too short, or an abbreviation inside: "Lê UBND"
        if not cue and syls[0] not in SURNAMES:
            continue
        b = _end_of(text, a, syls)
        name = text[a:b]
        if text.startswith(_PLACES_PREFIX, a) or name.startswith(_PLACES_PREFIX):
            continue
        title = _title(text, a, b)
        if not cue and title is None:
            if len(syls) == 2 or _NOT_NAME_BEFORE.search(text[max(0, a - 30) : a]):
                continue  # "Đoàn Thanh niên", "đường Lê Lợi": a lone two-syllable run is rarely a name
        out.append({"text": name, "title": title, "span": (a, b)})
    return out


def _end_of(text: str, a: int, syls: list[str]) -> int:
    pos = a
    for s in syls:
        pos = text.index(s, pos) + len(s)
    return pos


def _title(text: str, a: int, b: int) -> str | None:
    after = _TITLE_AFTER.match(text[b : b + 160])
    if after:
        return re.sub(r"\s+", " ", after.group("title")).strip(" ,.-")
    seg = text[max(0, a - 90) : a]
    seg = re.sub(rf"\s*{_CUE}\s*:?\s*$", "", seg)
    before = _TITLE_BEFORE.search(seg)
    if before:
        title = re.sub(r"\s+", " ", before.group("title")).strip(" ,.-")
        return title or None
    return None
