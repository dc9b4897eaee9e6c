"""Document types: the names printed on the type line and their codes in a ký hiệu.

State codes follow Nghị định 30/2020 Phụ lục III, with the Thông tư 01/2011 and TTLT 55/2005
codes still found in older documents; Party codes follow Hướng dẫn 36-HD/VPTW (FORMAT.md
§1.14, §2.10).  A few names carry no code (``VĂN KIỆN``, ``PHIẾU TRÌNH``): they are type lines
all the same, so the parser knows where the trích yếu starts.

>>> type_code("BÁO CÁO")
'BC'
>>> type_code("QUY ĐỊNH", system="party")
'QĐ'
>>> match_type_line("BÁO CÁO TÓM TẮT")
('BÁO CÁO', 'BC', 'TÓM TẮT')
"""

from __future__ import annotations

import unicodedata

from pipeline.ingest.repair.tone import modern_tones

# name on the type line -> (state code, Party code); None where no code exists.
TYPE_NAMES: dict[str, tuple[str | None, str | None]] = {
    "NGHỊ QUYẾT": ("NQ", "NQ"),
    "NGHỊ QUYẾT LIÊN TỊCH": ("NQLT", "NQLT"),
    "QUYẾT ĐỊNH": ("QĐ", "QĐ"),
    "CHỈ THỊ": ("CT", "CT"),
    "QUY CHẾ": ("QC", "QC"),
    "QUY CHẾ PHỐI HỢP": ("QCPH", "QCPH"),
    "QUY ĐỊNH": ("QyĐ", "QĐ"),
    "THÔNG CÁO": ("TC", "TC"),
    "THÔNG BÁO": ("TB", "TB"),
    "HƯỚNG DẪN": ("HD", "HD"),
    "CHƯƠNG TRÌNH": ("CTr", "CTr"),
    "CHƯƠNG TRÌNH PHỐI HỢP": ("CTPH", "CTPH"),
    "KẾ HOẠCH": ("KH", "KH"),
    "KẾ HOẠCH LIÊN TỊCH": ("KHLT", "KHLT"),
    "PHƯƠNG ÁN": ("PA", "PA"),
    "ĐỀ ÁN": ("ĐA", "ĐA"),
    "DỰ ÁN": ("DA", "DA"),
    "BÁO CÁO": ("BC", "BC"),
    "BIÊN BẢN": ("BB", "BB"),
    "TỜ TRÌNH": ("TTr", "TTr"),
    "HỢP ĐỒNG": ("HĐ", "HĐ"),
    "CÔNG ĐIỆN": ("CĐ", "CĐ"),
    "CÔNG VĂN": ("CV", "CV"),
    "BẢN GHI NHỚ": ("BGN", "BGN"),
    "BẢN THỎA THUẬN": ("BTT", "BTT"),
    "GIẤY ỦY QUYỀN": ("GUQ", "GUQ"),
    "GIẤY MỜI": ("GM", "GM"),
    "GIẤY GIỚI THIỆU": ("GGT", "GGT"),
    "GIẤY NGHỈ PHÉP": ("GNP", "GNP"),
    "GIẤY CHỨNG NHẬN": ("CN", "GCN"),
    "GIẤY ĐI ĐƯỜNG": ("ĐĐ", "ĐĐ"),
    "GIẤY BIÊN NHẬN HỒ SƠ": ("BN", "BN"),
    "BẢN CAM KẾT": ("CK", "CK"),
    "PHIẾU GỬI": ("PG", "PG"),
    "PHIẾU CHUYỂN": ("PC", "PC"),
    "PHIẾU BÁO": ("PB", "PB"),
    "BẢN SAO Y": ("SY", "BS"),
    "SAO Y": ("SY", "BS"),
    "SAO Y BẢN CHÍNH": ("SY", "BS"),
    "SAO LỤC": ("SL", "BS"),
    "TRÍCH SAO": ("TrS", "BS"),
    # legal-normative types (the law on legal documents, not ND30)
    "NGHỊ ĐỊNH": ("NĐ", "NĐ"),
    "THÔNG TƯ": ("TT", "TT"),
    "THÔNG TƯ LIÊN TỊCH": ("TTLT", "TTLT"),
    "PHÁP LỆNH": ("PL", "PL"),
    "LỆNH": ("L", "L"),
    "LUẬT": (None, None),
    # Party-only types (HD36 §2.10)
    "KẾT LUẬN": ("KL", "KL"),
    "THÔNG TRI": ("TT", "TT"),
    "TUYÊN BỐ": (None, None),
    "LỜI KÊU GỌI": (None, None),
    "QUY HOẠCH": ("QH", None),
    "CHIẾN LƯỢC": (None, None),
    "CƯƠNG LĨNH": (None, None),
    "ĐIỀU LỆ": (None, None),
    # names printed as a type line but with no code of their own
    "VĂN KIỆN": (None, None),
    "PHIẾU TRÌNH": (None, None),
    "BẢN TỰ KIỂM ĐIỂM": (None, None),
    "BẢN KIỂM ĐIỂM": (None, None),
    "BẢN ĐĂNG KÝ": (None, None),
    "DIỄN VĂN": (None, None),
    "THAM LUẬN": (None, None),
}

# Every code that may open a typed ký hiệu (state, Party, legacy TT01/TTLT55, legal-normative).
STATE_TYPE_CODES: frozenset[str] = frozenset(
    "NQ QĐ CT QC QyĐ TC TB HD CTr KH PA ĐA DA BC BB TTr HĐ CĐ BGN BTT GUQ GM GGT GNP PG PC PB "
    "SY TrS SL NĐ TT TTLT NQLT PL L GN TTh UQ NP CK CN GT ĐĐ BN TS UN KHLT CTPH QCPH".split()
)
PARTY_TYPE_CODES: frozenset[str] = frozenset(
    "NQ QĐ QĐi QyĐ CT KL QC TT HD TB TC BC KH CTr CTPH QCPH ĐA PA DA TTr CV BB BS GM GGT GT GCN "
    "GNP NP PC PG TTLT NQLT".split()
)
TYPE_CODES: frozenset[str] = STATE_TYPE_CODES | PARTY_TYPE_CODES

def fold(text: str) -> str:
    """Upper-case ``text``, collapse white space and use the new tone placement (``HÒA``, ``ỦY``).

    >>> fold("Uỷ ban  nhân dân"), fold("Đoàn"), fold("hoà")
    ('ỦY BAN NHÂN DÂN', 'ĐOÀN', 'HÒA')
    """
    return modern_tones(unicodedata.normalize("NFC", " ".join(text.split()))).upper()


_NAMES_BY_LENGTH = sorted(TYPE_NAMES, key=len, reverse=True)
_FOLDED = {fold(n): n for n in TYPE_NAMES}


def type_code(name: str, *, system: str | None = None) -> str | None:
    """The code of a type name (``"KẾ HOẠCH"`` → ``"KH"``), Party codes for ``system="party"``."""
    key = _FOLDED.get(fold(name))
    if key is None:
        return None
    state, party = TYPE_NAMES[key]
    return party if system == "party" else state


def codes_for(name: str) -> set[str]:
    """All codes a type name may carry in a ký hiệu (``QUY ĐỊNH`` → ``{QyĐ, QĐ, QĐi}``)."""
    key = _FOLDED.get(fold(name))
    if key is None:
        return set()
    out = {c for c in TYPE_NAMES[key] if c}
    if key == "QUY ĐỊNH":
        out.add("QĐi")
    return out


def match_type_line(text: str) -> tuple[str, str | None, str] | None:
    """Split a line that opens with a type name: ``(canonical name, state code, rest)``.

    ``rest`` is what follows the name on the same line (``"TÓM TẮT"`` in ``BÁO CÁO TÓM
    TẮT``); the caller decides whether it is a qualifier or the start of the trích yếu.

    >>> match_type_line("KẾ HOẠCH")
    ('KẾ HOẠCH', 'KH', '')
    """
    s = fold(text)
    for name in _NAMES_BY_LENGTH:
        f = fold(name)
        if s == f:
            return name, TYPE_NAMES[name][0], ""
        if s.startswith(f + " "):
            words = " ".join(text.split()).split(" ")
            return name, TYPE_NAMES[name][0], " ".join(words[len(f.split(" ")) :])
    return None


def is_type_code(code: str) -> bool:
    return code in TYPE_CODES
