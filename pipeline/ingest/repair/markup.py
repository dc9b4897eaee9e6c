"""Markdown and HTML artefacts of documents copied from the web.

Legal-document sites and converters hand out Markdown: ``**bold**`` and ``*italic*``
markers (often split across lines, ``**ỦY BAN NHÂN DÂN\\n**``), backslash escapes (``\\*``,
``\\-``, ``\\.``), ``#`` heading markers, tables written as ``| a | b |`` rows with a
``|---|---|`` rule or, in the thuvienphapluat style, as one ``|`` per line between cells,
``<br>`` inside cells and HTML entities.  :func:`markdown_edits` removes the markup and keeps
the words where they are:

* a table row ``| TT | Chỉ tiêu |`` becomes ``TT\\tChỉ tiêu`` (the line splitter treats a TAB
  as a column gap), a rule row is deleted;
* a line holding only ``|`` becomes an empty line, so that cells stay apart as paragraphs;
* a line left empty by removing emphasis markers is deleted with its line end.

>>> from pipeline.ingest.repair.edit import apply_edits
>>> apply_edits("**Điều 1. **Phê duyệt\\\\-ban hành", markdown_edits("**Điều 1. **Phê duyệt\\\\-ban hành"))[0]
'Điều 1. Phê duyệt-ban hành'
"""

from __future__ import annotations

import html
import re

from pipeline.ingest.repair.edit import Edits

_ESCAPABLE = r"\\`*_{}\[\]()#+\-.!|<>~"
_ESCAPE = re.compile(rf"\\([{_ESCAPABLE}])")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,7}|#[0-9]{2,6}|#[xX][0-9A-Fa-f]{2,6});")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_RULE_ROW = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)
_PIPE_ONLY = re.compile(r"^[ \t]*\|(?:[ \t]*\|)*[ \t]*$", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_BR = re.compile(r"<br\s*/?>", re.I)
# Inline HTML that carries no text of its own.
_TAG = re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|p|div|font|mark|small|del|ins)(?:\s[^<>]*)?>", re.I)
_STRONG = re.compile(r"(?<!\*)\*{2,3}(?!\*)|(?<![_\w])__(?!_)|(?<!_)__(?![_\w])")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*\)")


def detect_markdown(text: str) -> bool:
    """Whether ``text`` carries Markdown markup (emphasis, escapes, headings, table rules).

    >>> detect_markdown("**BÁO CÁO**\\n\\nSố: 12/BC\\\\-UBND ngày 05\\\\.3")
    True
    >>> detect_markdown("BÁO CÁO\\nSố: 12/BC-UBND")
    False
    """
    head = text[:200_000]
    if not any(mark in head for mark in ("*", "\\", "#", "|", "<", "&")):
        return False
    strong = head.count("**")
    pipes = "|" in head
    headings = "#" in head and len(_HEADING.findall(head)) >= 2
    rule = pipes and "---" in head and bool(_RULE_ROW.search(head))
    if strong >= 6 or headings or rule:  # each is conclusive alone: no administrative text has them
        return True
    evidence = (
        (strong >= 2)
        + ("\\" in head and len(_ESCAPE.findall(head)) >= 2)
        + (pipes and len(_PIPE_ONLY.findall(head)) >= 3)
        + (("<" in head or "&" in head) and len(_BR.findall(head)) + len(_ENTITY.findall(head)) >= 2)
    )
    return evidence >= 2


def markdown_edits(text: str) -> Edits:
    """Edits removing Markdown/HTML markup from ``text`` (see the module docstring)."""
    edits: Edits = []
    pos = 0
    for line in text.split("\n"):
        edits.extend(_line_edits(line, pos))
        pos += len(line) + 1
    if edits and edits[-1][1] > len(text):  # a deleted last line has no line end to take
        s, _, r = edits.pop()
        edits.append((s, len(text), r))
    return edits


def _line_edits(line: str, base: int) -> Edits:
    if not line.strip():
        return []
    if _RULE_ROW.fullmatch(line):
        return [(base, base + len(line) + 1, "")]
    if _PIPE_ONLY.fullmatch(line):
        return [(base, base + len(line), "")]
    table = bool(_TABLE_ROW.fullmatch(line)) and line.count("|") >= 2
    found: Local = []
    for pattern, fn in _INLINE:
        for m in pattern.finditer(line):
            found.extend(fn(m))
    if table:
        found.extend(_cell_edits(line))
    heading = _HEADING.match(line)
    if heading:
        found.append((0, heading.end(), ""))
    found = _non_overlapping(found)
    # A line made only of markup ("**", "*", "__") disappears with its line end.
    kept = _rest(line, found)
    if not kept.strip() and not table:
        return [(base, base + len(line) + 1, "")]
    return [(base + s, base + e, r) for s, e, r in found]


Local = list[tuple[int, int, str]]


def _delete(m: re.Match[str]) -> Local:
    return [(m.start(), m.end(), "")]


def _star(m: re.Match[str]) -> Local:
    """A single ``*`` is emphasis unless it is a list bullet or stands between spaces."""
    line, i = m.string, m.start()
    before = line[i - 1] if i > 0 else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if not line[:i].strip() and after in (" ", "\t"):
        return []  # "* mục": a bullet
    if before in (" ", "\t") and after in (" ", "\t"):
        return []  # "2 * 3"
    return [(i, i + 1, "")]


def _escape(m: re.Match[str]) -> Local:
    return [(m.start(), m.start() + 1, "")]  # drop the backslash, keep the character in place


def _entity(m: re.Match[str]) -> Local:
    s = html.unescape(m.group())
    return [] if s == m.group() else [(m.start(), m.end(), s.replace("\u00a0", " "))]


def _link(m: re.Match[str]) -> Local:
    """``[văn bản](https://...)`` → ``văn bản``: only the brackets and the address go."""
    return [(m.start(), m.start(1), ""), (m.end(1), m.end(), "")]


_INLINE = (
    (_ESCAPE, _escape),
    (_STRONG, _delete),
    (re.compile(r"(?<![\*\\])\*(?!\*)"), _star),
    (_ENTITY, _entity),
    (_BR, lambda m: [(m.start(), m.end(), "\n")]),
    (_TAG, _delete),
    (_LINK, _link),
)


def _cell_edits(line: str) -> Local:
    """``| a | b |`` → ``a\\tb``: the outer pipes go, inner pipes become one TAB."""
    out: Local = []
    pipes = [m for m in re.finditer(r"[ \t]*(?<!\\)\|[ \t]*", line)]
    for k, m in enumerate(pipes):
        out.append((m.start(), m.end(), "" if k in (0, len(pipes) - 1) else "\t"))
    return out


def _non_overlapping(found: Local) -> Local:
    found.sort(key=lambda e: (e[0], -(e[1] - e[0])))
    out: Local = []
    end = -1
    for s, e, r in found:
        if s < end:
            continue
        out.append((s, e, r))
        end = e
    return out


def _rest(line: str, edits: Local) -> str:
    parts: list[str] = []
    i = 0
    for s, e, r in edits:
        parts.append(line[i:s])
        parts.append(r)
        i = e
    parts.append(line[i:])
    return "".join(parts)
