"""Deadlines set by a document (``gửi … trước ngày 15/12/2025``), the basis of submission tracking."""

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
