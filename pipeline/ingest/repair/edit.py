"""Offset-tracking edits: every repair step is a list of replacements, and their maps compose.

A step never rewrites the text wholesale.  It returns :data:`Edits`, sorted non-overlapping
``(start, end, replacement)`` triples over its input; :func:`apply_edits` builds the new text
and a :class:`Trace` that gives, for each new character, the offset of the input character it
came from.  Inside a replacement the ``j``-th new character maps to ``start + j`` while the
old span lasts and to its last character after that (``"Ƣ"`` → ``"Ư"`` maps 1:1, ``"ﬁ"`` →
``"fi"`` maps both letters to the ligature, a deletion maps nothing), so the map stays
non-decreasing and inside the input.

Maps are stored as anchors like :class:`~pipeline.model.OffsetMap` (from ``norm[k]`` on,
``out = src[k] + (pos - norm[k])``): an untouched text costs one anchor, and two traces
compose in time proportional to their anchors, not to the text length.

>>> t, tr = apply_edits("Uỷ  ban", [(2, 4, " ")])
>>> t, tr.positions()
('Uỷ ban', [0, 1, 2, 4, 5, 6])
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.model import OffsetMap

Edit = tuple[int, int, str]
Edits = list[Edit]


@dataclass(slots=True)
class Trace:
    """A piecewise map from offsets of an output text to offsets of its input text.

    ``norm``/``src`` are anchors (as in :class:`OffsetMap`); ``length`` is the output length.
    """

    norm: list[int] = field(default_factory=lambda: [0])
    src: list[int] = field(default_factory=lambda: [0])
    length: int = 0

    @classmethod
    def identity(cls, length: int) -> Trace:
        return cls([0], [0], length)

    def at(self, pos: int) -> int:
        k = bisect.bisect_right(self.norm, pos) - 1
        return self.src[k] + (pos - self.norm[k])

    def positions(self) -> list[int]:
        """The per-character list (tests, debugging): input offset of each output character."""
        return [self.at(i) for i in range(self.length)]

    def then(self, later: Trace) -> Trace:
        """The map of ``later`` (a step run on this trace's output) back to this trace's input."""
        if later.length == 0:
            return Trace([0], [0], 0)
        norm: list[int] = []
        src: list[int] = []
        gn, gs = self.norm, self.src
        ln, ls = later.norm, later.src
        for k, start in enumerate(ln):
            end = ln[k + 1] if k + 1 < len(ln) else later.length
            mid = ls[k]  # offset in this trace's output where the segment starts
            span = end - start
            j = bisect.bisect_right(gn, mid) - 1
            pos = start
            while span > 0:
                seg_end = gn[j + 1] if j + 1 < len(gn) else None
                take = span if seg_end is None else min(span, seg_end - mid)
                _anchor(norm, src, pos, gs[j] + (mid - gn[j]))
                pos += take
                mid += take
                span -= take
                j += 1
        return Trace(norm or [0], src or [0], later.length)

    def to_offset_map(self) -> OffsetMap:
        return OffsetMap(norm=list(self.norm), raw=list(self.src))


def _anchor(norm: list[int], src: list[int], pos: int, to: int) -> None:
    """Append an anchor unless it continues the previous affine run."""
    if norm and to - src[-1] == pos - norm[-1]:
        return
    norm.append(pos)
    src.append(to)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, Trace]:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits to ``text``."""
    out: list[str] = []
    norm: list[int] = []
    src: list[int] = []
    last = max(len(text) - 1, 0)
    o = i = 0
    for s, e, rep in edits:
        if s < i:
            raise ValueError(f"overlapping edit at {s} (previous edit ended at {i})")
        if s > i:
            _anchor(norm, src, o, i)
            out.append(text[i:s])
            o += s - i
        if rep:
            width = e - s
            if width == 0:  # an insertion borrows the offset of the character it precedes
                for j in range(len(rep)):
                    _anchor(norm, src, o + j, min(s, last))
            else:
                _anchor(norm, src, o, s)
                for j in range(width, len(rep)):
                    _anchor(norm, src, o + j, e - 1)
            out.append(rep)
            o += len(rep)
        i = e
    if i < len(text):
        _anchor(norm, src, o, i)
        out.append(text[i:])
        o += len(text) - i
    return "".join(out), Trace(norm or [0], src or [0], o)


def regex_edits(pattern: re.Pattern[str], text: str, repl: Callable[[re.Match[str]], str | None]) -> Edits:
    """Edits replacing each match of ``pattern`` by ``repl(match)``; ``None`` keeps the match."""
    edits: Edits = []
    for m in pattern.finditer(text):
        new = repl(m)
        if new is not None and new != m.group():
            edits.append((m.start(), m.end(), new))
    return edits


def char_edits(text: str, table: dict[str, str], pattern: re.Pattern[str]) -> Edits:
    """Edits replacing every character matched by ``pattern`` through ``table``."""
    return [(m.start(), m.end(), table[m.group()]) for m in pattern.finditer(text) if m.group() in table]


def merge_edits(*groups: Edits) -> Edits:
    """Merge edit lists that do not overlap into one sorted list (the first wins on overlap)."""
    merged = sorted((e for g in groups for e in g), key=lambda e: (e[0], e[1]))
    out: Edits = []
    end = -1
    for e in merged:
        if e[0] < end or (out and e[0] == out[-1][0] == e[1] == out[-1][1]):
            continue
        out.append(e)
        end = max(end, e[1])
    return out
