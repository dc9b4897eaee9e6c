"""Which reporting body is which: matching a request's addressees to the issuers of the answers.

A request is addressed to ``Thường trực HĐND tỉnh``; the answer is issued by ``HỘI ĐỒNG NHÂN
DÂN TỈNH GIA LAI`` and signed ``TM. THƯỜNG TRỰC HĐND``.  Both denote one body for the purpose
of "who answered".  :func:`core_key` reduces a name to the organisation it belongs to: the
leadership organ (Thường trực, Ban Thường vụ, BCH, Lãnh đạo, …) is dropped, abbreviations are
spelled out, and known synonyms (``Đoàn tỉnh`` = ``Tỉnh đoàn``) folded.
"""

from __future__ import annotations

import re
import unicodedata

# Leadership organs of a body: an answer signed by one of them is the body's answer.
_ORGANS = re.compile(
    r"^(?:(?:ban\s+)?thường\s+trực|(?:ban\s+)?thường\s+vụ|ban\s+chấp\s+hành|bch|tập\s+thể\s+lãnh\s+đạo|lãnh\s+đạo|"
    r"đảng\s+đoàn|ban\s+cán\s+sự\s+(?:đảng)?|thủ\s+trưởng|ban\s+giám\s+đốc|tm\.?|t/m)\s+",
)
_ABBR = {
    "ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "mttq": "mặt trận tổ quốc", "tand": "tòa án nhân dân",
    "vksnd": "viện kiểm sát nhân dân", "ksnd": "kiểm sát nhân dân", "ubmttq": "ủy ban mặt trận tổ quốc",
    "lđld": "liên đoàn lao động", "lđlđ": "liên đoàn lao động", "btg": "ban tuyên giáo", "tncs": "thanh niên cộng sản",
    "hlhpn": "hội liên hiệp phụ nữ", "ccb": "cựu chiến binh", "tt": "thường trực",
}
_SYNONYMS = [
    (re.compile(r"\bđoàn\s+(?:thanh\s+niên\s+cộng\s+sản\s+hồ\s+chí\s+minh\s+)?tỉnh\b"), "tỉnh đoàn"),
    (re.compile(r"\bđoàn\s+thanh\s+niên\s+cộng\s+sản\s+hồ\s+chí\s+minh\b"), "đoàn"),
    (re.compile(r"\bviệt\s+nam\b"), ""),
    (re.compile(r"\buỷ\b"), "ủy"),
]


def core_key(name: str | None) -> str:
    """The organisation a body name belongs to, as a comparable key.

    >>> core_key("Thường trực HĐND tỉnh Gia Lai") == core_key("HỘI ĐỒNG NHÂN DÂN TỈNH GIA LAI")
    True
    >>> core_key("BCH ĐOÀN TỈNH GIA LAI") == core_key("Ban Thường vụ Tỉnh đoàn Gia Lai")
    True
    """
    if not name:
        return ""
    s = unicodedata.normalize("NFC", name).casefold()
    s = re.sub(r"\([^)]*\)", " ", s)  # "(để b/c)"
    s = re.sub(r"[^\w\s/]", " ", s)
    s = " ".join(_ABBR.get(w, w) for w in s.split())
    s += " "  # an organ named alone ("Ban Thường trực") reduces to nothing
    for _ in range(3):
        s2 = _ORGANS.sub("", s)
        if s2 == s:
            break
        s = s2
    for pat, rep in _SYNONYMS:
        s = pat.sub(rep, s)
    return " ".join(s.split())


def same_body(a: str | None, b: str | None) -> bool:
    """Whether two names denote the same organisation (equal keys, or one names it more fully).

    The shorter key must carry at least two words so that ``tỉnh`` alone never matches.
    """
    ka, kb = core_key(a), core_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return len(short.split()) >= 3 and (f" {short} " in f" {long_} ")
