"""What a request letter asks: its deadline (``gửi … trước ngày 15/12/2025``) and the points to report on.

The basis of submission tracking in :mod:`pipeline.aggregate.compare`; kept free of heavy
imports because the extract stage runs it on every document.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_DATE = r"(?P<d>\d{1,2})\s*(?:[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})|\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))"
_DEADLINE = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+là)?|hạn\s+chót(?:\s+là)?|không\s+muộn\s+hơn|hoàn\s+thành\s+trước)\s+(?:ngày\s+)?" + _DATE,
    re.I,
)


def find_deadline(text: str, *, anchor: dt.date | None = None) -> dict[str, Any] | None:
    """The first deadline the text sets, as ``{"text", "date", "span"}``.

    >>> find_deadline("Báo cáo gửi về Ban Tuyên giáo Tỉnh ủy trước ngày 15/12/2025.")["date"]
    '2025-12-15'
    """
    for m in _DEADLINE.finditer(text):
        d = int(m.group("d"))
        mo = int(m.group("m") or m.group("m2"))
        y = int(m.group("y") or m.group("y2"))
        try:
            date = dt.date(y, mo, d)
        except ValueError:
            continue
        if anchor is not None and date < anchor:
            continue  # a date before the letter itself is a past event, not a deadline
        return {"text": m.group(0), "date": date.isoformat(), "span": [m.start(), m.end()]}
    return None


# Points a request letter asks for, and the finding categories that answer each.
POINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ket_qua": ("Kết quả đạt được", ("achievement",)),
    "han_che": ("Hạn chế, khó khăn", ("shortcoming",)),
    "nguyen_nhan": ("Nguyên nhân", ("cause",)),
    "phuong_huong": ("Phương hướng, nhiệm vụ", ("task",)),
    "kien_nghi": ("Đề xuất, kiến nghị", ("recommendation",)),
}
_POINT_CUES = {
    "ket_qua": r"kết\s+quả|ưu\s+điểm|đã\s+làm\s+được",
    "han_che": r"hạn\s+chế|tồn\s+tại|khó\s+khăn|vướng\s+mắc|bất\s+cập",
    "nguyen_nhan": r"nguyên\s+nhân",
    "phuong_huong": r"phương\s+hướng|nhiệm\s+vụ|giải\s+pháp|kế\s+hoạch\s+thời\s+gian\s+tới",
    "kien_nghi": r"kiến\s+nghị|đề\s+xuất|đề\s+nghị",
}


def requested_points(text: str) -> list[str]:
    """The points a request letter asks the bodies to report on, in the order it names them."""
    found = []
    for key, pat in _POINT_CUES.items():
        m = re.search(pat, text, flags=re.I)
        if m:
            found.append((m.start(), key))
    return [k for _pos, k in sorted(found)]
