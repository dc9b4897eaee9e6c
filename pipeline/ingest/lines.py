"""Lines and layout columns of a text, with offsets.

Text extracted from a two-column header (``pdftotext -layout``, a Word table flattened to
text) keeps both columns on one line, separated by a run of spaces or a tab.  A
:class:`Line` splits itself into :class:`Cell` objects at such gaps so that the header
parser can follow the left column (issuer, number) and the right one (Quốc hiệu, date)
apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A column gap: a tab, or three or more spaces between two non-space characters.
_GAP = re.compile(r"\t+\s*| {3,}")


@dataclass(slots=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Line:
    """One line of the text: ``text`` is the line without its newline, ``start`` its offset."""

    index: int
    start: int
    end: int
    text: str
    indent: int = 0
    _cells: list[Cell] | None = field(default=None, repr=False)

    @property
    def cells(self) -> list[Cell]:
        """The line's column cells, split at gaps (computed on first use: most lines never need it)."""
        if self._cells is None:
            self._cells = split_cells(self.text, self.start)
        return self._cells

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def strip_span(self) -> tuple[int, int]:
        """Offsets of the line without surrounding white space."""
        s = self.text
        left = len(s) - len(s.lstrip())
        right = len(s.rstrip())
        return (self.start + left, self.start + max(left, right))


def split_cells(text: str, start: int) -> list[Cell]:
    """Split a line into cells at column gaps; offsets are absolute."""
    cells: list[Cell] = []
    pos = 0
    for m in _GAP.finditer(text):
        if m.start() > pos and text[pos : m.start()].strip():
            _add(cells, text, pos, m.start(), start)
        pos = m.end()
    if text[pos:].strip():
        _add(cells, text, pos, len(text), start)
    return cells


def _add(cells: list[Cell], text: str, a: int, b: int, base: int) -> None:
    seg = text[a:b]
    left = len(seg) - len(seg.lstrip())
    right = len(seg.rstrip())
    cells.append(Cell(base + a + left, base + a + right, seg.strip()))


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The lines of ``text[start:end]`` with absolute offsets; form feeds end a line too."""
    end = len(text) if end is None else end
    out: list[Line] = []
    pos = start
    i = 0
    for m in re.finditer(r"[\n\f]", text[start:end]):
        e = start + m.start()
        out.append(_line(text, i, pos, e))
        i += 1
        pos = e + 1
    if pos < end:
        out.append(_line(text, i, pos, end))
    return out


def _line(text: str, i: int, a: int, b: int) -> Line:
    s = text[a:b].rstrip("\r")
    b2 = a + len(s)
    indent = len(s) - len(s.lstrip())
    return Line(index=i, start=a, end=b2, text=s, indent=indent)
