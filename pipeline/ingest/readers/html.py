"""HTML pages (portals, "Save as web page" from Word): block elements become lines.

lxml's HTML parser is used with network access and entity resolution off; script, style,
navigation and form elements are dropped.  Table rows come out as TAB-separated cells, as
from the other readers, so a two-column header table keeps its columns apart.

>>> from pipeline.model import Source
>>> src = Source(path="a.html", sha256="0", format="html")
>>> read_html(b"<p>B&aacute;o c&aacute;o<br>s&#7889; 12</p>", src, Limits()).text
'Báo cáo\\nsố 12\\n'
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from pipeline.errors import CorruptDocument
from pipeline.ingest.guard import check_text_quality, check_text_size, short_reason
from pipeline.ingest.limits import Limits
from pipeline.ingest.readers import RawDocument
from pipeline.ingest.readers.text import decode_text
from pipeline.model import Source

_DROP = {
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "head",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "footer",
    "aside",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "center",
    "hr",
    "body",
    "html",
    "table",
    "caption",
    "tbody",
    "thead",
    "tfoot",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _decode(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.cur.append(re.sub(r"[ \t\r\n\f]+", " ", s))

    def newline(self) -> None:
        line = "".join(self.cur).strip()
        if line:
            self.lines.append(line)
        self.cur = []

    def walk(self, el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP:
            self.text(el.tail if tag else el.tail)
            return
        if tag == "br":
            self.newline()
        elif tag == "tr":
            self.newline()
            self.row(el)
            self.text(el.tail)
            return
        elif tag in _BLOCK:
            self.newline()
        self.text(el.text)
        for child in el:
            self.walk(child)
        if tag in _BLOCK:
            self.newline()
        self.text(el.tail)

    def row(self, tr: etree._Element) -> None:
        """One line per row; a cell with several blocks emits one line per block index."""
        cells: list[list[str]] = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            sub = _Writer()
            sub.text(td.text)
            for child in td:
                sub.walk(child)
            sub.newline()
            cells.append(sub.lines)
        height = max((len(c) for c in cells), default=0)
        if len(cells) > 3:  # a data table: one line per row
            parts = [" ".join(c) for c in cells]
            if any(parts):
                self.lines.append("\t".join(parts).rstrip("\t"))
            return
        for i in range(height):
            parts = [c[i] if i < len(c) else "" for c in cells]
            if any(parts):
                self.lines.append("\t".join(parts).rstrip("\t"))


def read_html(data: bytes, src: Source, limits: Limits) -> RawDocument:
    """Read an HTML file (no network, no external entities)."""
    text = _decode(data)
    check_text_size(len(text), limits)
    parser = lxml_html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, recover=True
    )
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptDocument(f"unreadable HTML: {short_reason(exc)}") from None
    writer = _Writer()
    body = root.find("body")
    writer.walk(body if body is not None else root)
    writer.newline()
    out = "\n".join(writer.lines)
    check_text_quality(out, "HTML text")
    return RawDocument(source=src, text=out + "\n", hints={"markup": "html", "wrapped": False})
