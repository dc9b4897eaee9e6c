"""Themes of findings (tuyên truyền, kinh phí, nhân lực, …) from a cue lexicon kept as data."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "themes.json"


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, re.Pattern[str]]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    out = {}
    for key, spec in raw.items():
        if key.startswith("_"):
            continue
        cues = sorted(spec["cues"], key=len, reverse=True)
        pat = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")(?!\w)")
        out[key] = (spec["label"], pat)
    return out


def theme_labels() -> dict[str, str]:
    """Theme key → Vietnamese label."""
    return {k: v[0] for k, v in _lexicon().items()}


def themes_of(text: str) -> list[str]:
    """Theme keys whose cues occur in ``text``, most cue hits first.

    >>> themes_of("Hình thức tuyên truyền còn đơn điệu, kinh phí còn hạn hẹp")[:2]
    ['tuyen_truyen', 'kinh_phi']
    """
    low = text.casefold()
    hits = []
    for key, (_label, pat) in _lexicon().items():
        n = len(pat.findall(low))
        if n:
            hits.append((n, key))
    hits.sort(key=lambda x: -x[0])
    return [k for _n, k in hits]
