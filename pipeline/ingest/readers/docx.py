"""Word .docx: body in document order, automatic numbering rebuilt, tables as tab-separated rows.

The parts are read with lxml straight from the (pre-checked) zip archive, with a parser that
loads no DTD and resolves no entity, so nothing reaches the XML that :mod:`guard` has not seen.

What Word shows and the XML does not say outright, rebuilt here:

* **automatic numbering** (``numbering.xml``): ``1.``, ``a)``, ``II.`` labels that Word draws
  from counters, prefixed to the paragraph text (``"1. Kết quả đạt được"``);
* **two-column layout tables** (issuer | Quốc hiệu, recipients | signature): one line per
  paragraph index, cells separated by a TAB (``"ỦY BAN NHÂN DÂN\\tCỘNG HÒA XÃ HỘI…"``);
* **footnotes**: ``[^1]`` where the reference mark stands, ``[^1]: text`` lines after the body;
* **All caps** formatting (``w:caps``) applied, hidden text (``w:vanish``) and deletions dropped;
* **legacy fonts**: runs set in ``.VnTime`` (TCVN3) or ``VNI-Times`` (VNI) are converted to
  Unicode here when only some runs use them; when the whole text does, ``hints["legacy"]``
  tells the repair step to convert it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from pipeline.errors import CorruptDocument, InputError
from pipeline.ingest.guard import check_text_quality, check_text_size, open_docx_zip, short_reason
from pipeline.ingest.limits import Limits
from pipeline.ingest.readers import RawDocument
from pipeline.model import Source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)

# A layout table (header, signature block) is narrow and short; a data table is not.
_LAYOUT_MAX_COLS = 3
_LAYOUT_MAX_ROWS = 8

# Symbol/Wingdings bullets live in the private-use area (U+F0xx); draw them as a bullet.
_PUA_BULLET = "•"


def legacy_encoding(font: str | None) -> str | None:
    """``tcvn3`` for ABC fonts (``.VnTime``, ``.VnTimeH``), ``vni`` for VNI fonts, else ``None``.

    >>> legacy_encoding(".VnTimeH"), legacy_encoding("VNI-Times"), legacy_encoding("Times New Roman")
    ('tcvn3', 'vni', None)
    """
    if not font:
        return None
    f = font.strip().lower()
    if f.startswith(".vn") or f.startswith("vn-") or f in ("vntime", "vntimeh"):
        return "tcvn3"
    if f.startswith("vni-") or f.startswith("vni "):
        return "vni"
    return None


def _is_upper_font(font: str | None) -> bool:
    """ABC fonts whose name ends in ``H`` draw every letter as a capital (``.VnTimeH``)."""
    return bool(font) and legacy_encoding(font) == "tcvn3" and font.strip().endswith("H")


def _on(el: etree._Element | None) -> bool | None:
    """The value of a toggle property (``<w:caps/>``, ``<w:caps w:val="0"/>``), None if absent."""
    if el is None:
        return None
    return el.get(_w("val"), "true").lower() not in ("0", "false", "off")


# ---------------------------------------------------------------------------- parts


def _parse(zf: zipfile.ZipFile, name: str | None) -> etree._Element | None:
    if not name:
        return None
    try:
        raw = zf.read(name)
    except KeyError:
        return None
    try:
        return etree.fromstring(raw, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise CorruptDocument(f"corrupt .docx: {name}: {short_reason(exc)}") from None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship type (last path segment) → target part name, for ``part``."""
    folder, base = posixpath.split(part)
    root = _parse(zf, posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], name)
    return out


def _main_part(zf: zipfile.ZipFile) -> str:
    root = _parse(zf, "_rels/.rels")
    if root is not None:
        for rel in root.iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("Type") == OFFICE_DOC:
                return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


# ---------------------------------------------------------------------------- styles


@dataclass(slots=True)
class RunStyle:
    font: str | None = None
    caps: bool = False
    hidden: bool = False


class Styles:
    """Style inheritance (``w:basedOn``) for the few properties a reader needs."""

    def __init__(self, root: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_para: str | None = None
        self.defaults_rpr: etree._Element | None = None
        if root is None:
            return
        for st in root.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if sid:
                self.by_id[sid] = st
                if st.get(_w("type")) == "paragraph" and st.get(_w("default")) in ("1", "true", "on"):
                    self.default_para = sid
        self.defaults_rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")

    def chain(self, sid: str | None) -> list[etree._Element]:
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id and len(out) < 20:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            based = st.find(_w("basedOn"))
            sid = based.get(_w("val")) if based is not None else None
        return out

    def numpr(self, sid: str | None) -> tuple[str | None, int | None]:
        """``(numId, ilvl)`` that a paragraph style (or one it is based on) carries."""
        num_id = ilvl = None
        for st in self.chain(sid):
            np_ = st.find(f"{_w('pPr')}/{_w('numPr')}")
            if np_ is None:
                continue
            if num_id is None and np_.find(_w("numId")) is not None:
                num_id = np_.find(_w("numId")).get(_w("val"))
            if ilvl is None and np_.find(_w("ilvl")) is not None:
                ilvl = _int(np_.find(_w("ilvl")).get(_w("val")), 0)
        return num_id, ilvl

    def rpr_chain(self, run_style: str | None, para_style: str | None) -> list[etree._Element]:
        out = [st.find(_w("rPr")) for st in self.chain(run_style)]
        out += [st.find(_w("rPr")) for st in self.chain(para_style)]
        out.append(self.defaults_rpr)
        return [r for r in out if r is not None]


def _font_of(rpr: etree._Element) -> str | None:
    rf = rpr.find(_w("rFonts"))
    if rf is None:
        return None
    return rf.get(_w("ascii")) or rf.get(_w("hAnsi")) or rf.get(_w("cs"))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------- numbering


@dataclass(slots=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart (1-based level after which this one restarts); 0 = never
    legal: bool = False
    suffix: str = "tab"


_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def _roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter past z: 27 → "aa", 28 → "bb".
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word number format.

    >>> format_number(4, "upperRoman"), format_number(2, "lowerLetter"), format_number(7, "decimalZero")
    ('IV', 'b', '07')
    """
    if fmt == "upperRoman":
        return _roman(n) if n > 0 else str(n)
    if fmt == "lowerRoman":
        return _roman(n).lower() if n > 0 else str(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numbering:
    """Counters of Word's automatic numbering, advanced paragraph by paragraph."""

    def __init__(self, root: etree._Element | None, styles: Styles) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self._style_links: dict[str, str] = {}
        self.styles = styles
        if root is None:
            return
        for an in root.iter(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"), "")
            self.abstract[aid] = {lv_i: lv for lv_i, lv in (self._level(el) for el in an.findall(_w("lvl")))}
            link = an.find(_w("numStyleLink"))
            if link is not None:
                self._style_links[aid] = link.get(_w("val"), "")
        for num in root.iter(_w("num")):
            nid = num.get(_w("numId"), "")
            ref = num.find(_w("abstractNumId"))
            aid = ref.get(_w("val"), "") if ref is not None else ""
            overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for ov in num.findall(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl")), 0)
                so = ov.find(_w("startOverride"))
                if so is not None:
                    starts[ilvl] = _int(so.get(_w("val")), 1)
                lvl = ov.find(_w("lvl"))
                if lvl is not None:
                    overrides[ilvl] = self._level(lvl)[1]
            self.nums[nid] = (aid, overrides, starts)

    @staticmethod
    def _level(el: etree._Element) -> tuple[int, Level]:
        def val(tag: str) -> str | None:
            child = el.find(_w(tag))
            return child.get(_w("val")) if child is not None else None

        lvl = Level(
            fmt=val("numFmt") or "decimal",
            text=val("lvlText") if val("lvlText") is not None else "",
            start=_int(val("start"), 1),
            restart=_int(val("lvlRestart"), -1) if val("lvlRestart") is not None else None,
            legal=_on(el.find(_w("isLgl"))) or False,
            suffix=val("suff") or "tab",
        )
        return _int(el.get(_w("ilvl")), 0), lvl

    def _levels(self, num_id: str) -> dict[int, Level]:
        aid, overrides, _ = self.nums[num_id]
        levels = self.abstract.get(aid, {})
        if not levels and aid in self._style_links:
            # A list that points at a numbering style: follow the style to its own num.
            linked, _ = self.styles.numpr(self._style_links[aid])
            if linked and linked in self.nums and self.nums[linked][0] != aid:
                levels = self.abstract.get(self.nums[linked][0], {})
        return {**levels, **overrides}

    def label(self, num_id: str | None, ilvl: int | None) -> str:
        """Advance the counters for a paragraph and return its label (``""`` when none)."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = max(0, min(ilvl or 0, 8))
        levels = self._levels(num_id)
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        _, _, starts = self.nums[num_id]
        counters = self.counters.setdefault(num_id, {})

        def start_of(i: int) -> int:
            return starts.get(i, levels[i].start if i in levels else 1)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            # lvlRestart n (1-based): restarts after levels 0..n-1; absent: after any higher level.
            if restart is None or (restart > 0 and ilvl < restart):
                del counters[deeper]
        if lvl.fmt == "bullet":
            text = lvl.text
            return "".join(_PUA_BULLET if "\ue000" <= ch <= "\uf8ff" else ch for ch in text).strip()

        def repl(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = counters.get(k, start_of(k))
            fmt = levels[k].fmt if k in levels else "decimal"
            if lvl.legal and fmt not in ("decimal", "decimalZero"):
                fmt = "decimal"
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", repl, lvl.text).strip()


# ---------------------------------------------------------------------------- body


@dataclass(slots=True)
class _Ctx:
    styles: Styles
    numbering: Numbering
    notes: dict[str, int] = field(default_factory=dict)  # footnote id → displayed number, by first reference
    legacy_chars: dict[str, int] = field(default_factory=dict)  # encoding → characters in runs of that font
    plain_chars: int = 0
    converted: dict[str, int] = field(default_factory=dict)
    upper_legacy: bool = False


@dataclass(slots=True)
class _Run:
    text: str
    legacy: str | None = None
    upper: bool = False


class _Para:
    """The runs of one paragraph; text boxes met inside it are kept for after it."""

    def __init__(self) -> None:
        self.runs: list[_Run] = []
        self.boxes: list[str] = []

    def add(self, text: str, legacy: str | None = None, upper: bool = False) -> None:
        if text:
            self.runs.append(_Run(text, legacy, upper))


_SKIP = {
    _w("del"),
    _w("moveFrom"),
    _w("instrText"),
    _w("delText"),
    _w("rPr"),
    _w("pPr"),
    _w("proofErr"),
    _w("bookmarkStart"),
    _w("bookmarkEnd"),
    _w("commentRangeStart"),
    _w("commentRangeEnd"),
    _w("sectPr"),
    _w("tblPr"),
    _w("trPr"),
    _w("tcPr"),
    _w("tblGrid"),
    _w("fldChar"),
}


class _BodyReader:
    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx

    # -- blocks

    def blocks(self, parent: etree._Element) -> list[str]:
        """Lines of the block-level children of ``parent`` (body, cell, text box, note)."""
        out: list[str] = []
        for child in parent:
            tag = child.tag
            if tag == _w("p"):
                para = self.paragraph(child)
                out.append(self.finish(para))
                out.extend(para.boxes)
            elif tag == _w("tbl"):
                out.extend(self.table(child))
            elif tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent")) if tag == _w("sdt") else child
                if content is not None:
                    out.extend(self.blocks(content))
            elif tag == f"{{{MC}}}AlternateContent":
                choice = _alternate(child)
                if choice is not None:
                    out.extend(self.blocks(choice))
        return out

    def paragraph(self, p: etree._Element) -> _Para:
        para = _Para()
        ppr = p.find(_w("pPr"))
        pstyle = None
        num_id = ilvl = None
        if ppr is not None:
            ps = ppr.find(_w("pStyle"))
            pstyle = ps.get(_w("val")) if ps is not None else None
            np_ = ppr.find(_w("numPr"))
            if np_ is not None:
                if np_.find(_w("numId")) is not None:
                    num_id = np_.find(_w("numId")).get(_w("val"))
                if np_.find(_w("ilvl")) is not None:
                    ilvl = _int(np_.find(_w("ilvl")).get(_w("val")), 0)
        pstyle = pstyle or self.ctx.styles.default_para
        if num_id is None or ilvl is None:
            s_num, s_ilvl = self.ctx.styles.numpr(pstyle)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        # A paragraph whose only run is hidden still consumes no number; Word skips it too.
        self.inline(p, para, pstyle)
        label = self.ctx.numbering.label(num_id, ilvl) if num_id else ""
        if label:
            para.runs.insert(0, _Run(label + " "))
        return para

    def inline(self, el: etree._Element, para: _Para, pstyle: str | None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("r"):
                self.run(child, para, pstyle)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = _alternate(child)
                if choice is not None:
                    self.inline(choice, para, pstyle)
            elif tag in (
                _w("hyperlink"),
                _w("ins"),
                _w("moveTo"),
                _w("smartTag"),
                _w("fldSimple"),
                _w("customXml"),
                _w("dir"),
                _w("bdo"),
            ):
                self.inline(child, para, pstyle)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self.inline(content, para, pstyle)
            elif tag.endswith(("}oMath", "}oMathPara")):
                para.add("".join(child.itertext()))

    def run(self, r: etree._Element, para: _Para, pstyle: str | None) -> None:
        style = self.run_style(r, pstyle)
        if style.hidden:
            return
        enc = legacy_encoding(style.font)
        upper = style.caps or _is_upper_font(style.font)
        if enc and upper:
            self.ctx.upper_legacy = True
        for child in r:
            tag = child.tag
            if tag == _w("t"):
                text = child.text or ""
                para.add(text, enc, upper)
                self.count(text, enc)
            elif tag == _w("tab") or tag == _w("ptab"):
                para.add("\t")
            elif tag in (_w("br"), _w("cr")):
                para.add("\n")
            elif tag == _w("noBreakHyphen"):
                para.add("-")
            elif tag == _w("sym"):
                para.add(_symbol(child.get(_w("char"), "")))
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                kind = "e" if tag == _w("endnoteReference") else ""
                if child.get(_w("customMarkFollows")) in ("1", "true", "on"):
                    continue  # the custom mark follows as ordinary text
                nid = kind + child.get(_w("id"), "")
                number = self.ctx.notes.setdefault(nid, len(self.ctx.notes) + 1)
                para.add(f"[^{kind}{number}]" if kind else f"[^{number}]")
            elif tag in (_w("drawing"), _w("pict"), f"{{{MC}}}AlternateContent", _w("object")):
                for box in _textboxes(child):
                    para.boxes.extend(line for line in self.blocks(box) if line.strip())

    def run_style(self, r: etree._Element, pstyle: str | None) -> RunStyle:
        rpr = r.find(_w("rPr"))
        rstyle = None
        chain: list[etree._Element] = []
        if rpr is not None:
            rs = rpr.find(_w("rStyle"))
            rstyle = rs.get(_w("val")) if rs is not None else None
            chain.append(rpr)
        chain += self.ctx.styles.rpr_chain(rstyle, pstyle)
        out = RunStyle()
        caps = hidden = None
        for props in chain:
            if out.font is None:
                out.font = _font_of(props)
            if caps is None:
                caps = _on(props.find(_w("caps")))
                if caps is None:
                    caps = _on(props.find(_w("smallCaps")))
            if hidden is None:
                hidden = _on(props.find(_w("vanish")))
        out.caps = bool(caps)
        out.hidden = bool(hidden)
        return out

    def count(self, text: str, enc: str | None) -> None:
        n = sum(1 for c in text if c.isalpha())
        if enc:
            self.ctx.legacy_chars[enc] = self.ctx.legacy_chars.get(enc, 0) + n
        else:
            self.ctx.plain_chars += n

    # -- tables

    def cell_lines(self, tc: etree._Element) -> list[str]:
        lines: list[str] = []
        for line in self.blocks(tc):
            lines.extend(part.replace("\t", " ") for part in line.split("\n"))
        return lines

    def table(self, tbl: etree._Element) -> list[str]:
        rows: list[list[list[str]]] = []
        for tr in _rows(tbl):
            cells = []
            for tc in _cells(tr):
                vmerge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
                if vmerge is not None and vmerge.get(_w("val"), "continue") == "continue":
                    cells.append([])  # the continuation of a vertically merged cell
                    continue
                cells.append(self.cell_lines(tc))
            rows.append(cells)
        if not rows:
            return []
        ncols = max(len(r) for r in rows)
        layout = ncols <= _LAYOUT_MAX_COLS and len(rows) <= _LAYOUT_MAX_ROWS
        out: list[str] = []
        for cells in rows:
            if layout:
                height = max((len(c) for c in cells), default=0)
                for i in range(height):
                    parts = [c[i].strip() if i < len(c) else "" for c in cells]
                    if any(parts):
                        out.append("\t".join(parts).rstrip("\t"))
            else:
                parts = [" ".join(x.strip() for x in c if x.strip()) for c in cells]
                if any(parts):
                    out.append("\t".join(parts).rstrip("\t"))
        return out

    # -- output

    def finish(self, para: _Para) -> str:
        """The paragraph's text, legacy-font runs converted when the text is mixed."""
        out = []
        for run in para.runs:
            text = run.text
            converted = bool(run.legacy) and run.legacy in self.ctx.converted
            if converted:
                text = _convert(text, run.legacy or "")
            # Legacy bytes cannot be upper-cased before conversion: leave those to repair.
            if run.upper and (not run.legacy or converted):
                text = text.upper()
            out.append(text)
        return "".join(out)


def _rows(tbl: etree._Element) -> list[etree._Element]:
    rows = []
    for child in tbl:
        if child.tag == _w("tr"):
            rows.append(child)
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                rows.extend(_rows(content))
    return rows


def _cells(tr: etree._Element) -> list[etree._Element]:
    cells = []
    for child in tr:
        if child.tag == _w("tc"):
            cells.append(child)
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                cells.extend(_cells(content))
    return cells


def _alternate(el: etree._Element) -> etree._Element | None:
    """The first branch of an ``mc:AlternateContent`` (Choice and Fallback repeat the content)."""
    for child in el:
        if child.tag in (f"{{{MC}}}Choice", f"{{{MC}}}Fallback"):
            return child
    return None


def _textboxes(el: etree._Element) -> list[etree._Element]:
    """Text box contents inside a drawing, Choice branch only, outermost boxes only."""
    if el.tag == f"{{{MC}}}AlternateContent":
        el = _alternate(el)
        if el is None:
            return []
    # Nested boxes are reached again through blocks(); keep the outermost only.
    return [
        b
        for b in el.iter(_w("txbxContent"))
        if not any(a.tag == _w("txbxContent") for a in b.iterancestors())
    ]


def _symbol(code: str) -> str:
    try:
        cp = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= cp <= 0xF0FF:
        cp -= 0xF000
        return {0xB7: "•", 0xA7: "▪", 0x2D: "-", 0xD8: "➢", 0xFC: "✓", 0x76: "❖"}.get(
            cp, chr(cp) if cp >= 0x20 else ""
        )
    return chr(cp)


def _convert(text: str, encoding: str) -> str:
    fn = _legacy_converter()
    return fn(text, encoding) if fn else text


def _legacy_converter() -> Any:
    try:
        from pipeline.ingest.repair.legacy import to_unicode
    except ImportError:
        return None
    return to_unicode


# ---------------------------------------------------------------------------- notes


def _notes(zf: zipfile.ZipFile, part: str | None, tag: str, reader: _BodyReader, prefix: str) -> list[str]:
    root = _parse(zf, part)
    if root is None:
        return []
    by_id: dict[str, etree._Element] = {}
    for note in root.iter(_w(tag)):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        by_id[note.get(_w("id"), "")] = note
    out = []
    for key, number in sorted(reader.ctx.notes.items(), key=lambda kv: kv[1]):
        if prefix and not key.startswith(prefix):
            continue
        if not prefix and key.startswith("e"):
            continue
        note = by_id.get(key[len(prefix) :])
        if note is None:
            continue
        text = " ".join(line.strip() for line in reader.blocks(note) if line.strip())
        text = " ".join(text.split("\n"))
        label = f"[^{prefix}{number}]"
        out.append(f"{label}: {text}")
    return out


# ---------------------------------------------------------------------------- entry point


def read_docx(data: bytes, src: Source, limits: Limits) -> RawDocument:
    """Read a .docx file.

    Hints: ``legacy`` (``tcvn3``/``vni``) when the whole text is set in a legacy font and
    was not converted here.
    """
    zf = open_docx_zip(data, limits)
    try:
        return _read(zf, src, limits)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
        etree.LxmlError,
    ) as exc:
        raise CorruptDocument(f"corrupt .docx: {short_reason(exc)}") from None
    except Exception as exc:
        if type(exc).__module__ == "zlib" or type(exc).__name__ == "error":
            raise CorruptDocument(f"corrupt .docx: {short_reason(exc)}") from None
        raise


def _read(zf: zipfile.ZipFile, src: Source, limits: Limits) -> RawDocument:
    main = _main_part(zf)
    doc = _parse(zf, main)
    if doc is None:
        raise CorruptDocument(f"not a valid .docx (no {main} in the archive)")
    body = doc.find(_w("body"))
    if body is None:
        raise CorruptDocument("corrupt .docx: the document has no body")
    rels = _rels(zf, main)
    styles = Styles(_parse(zf, rels.get("styles")))
    numbering = Numbering(_parse(zf, rels.get("numbering")), styles)
    ctx = _Ctx(styles=styles, numbering=numbering)
    reader = _BodyReader(ctx)

    # First pass: collect runs and count legacy-font letters; decide; second pass renders.
    warnings: list[str] = []
    hints: dict[str, Any] = {"wrapped": False}  # Word paragraphs are never hard-wrapped
    lines = reader.blocks(body)
    legacy_total = sum(ctx.legacy_chars.values())
    if legacy_total:
        main_enc = max(ctx.legacy_chars, key=lambda k: ctx.legacy_chars[k])
        whole = ctx.plain_chars <= 0.02 * (legacy_total + ctx.plain_chars) and len(ctx.legacy_chars) == 1
        has_upper_font = ctx.upper_legacy
        converter = _legacy_converter()
        if converter is not None and (not whole or has_upper_font):
            # Mixed fonts (or capitals-only .VnTimeH runs): convert run by run, here.
            ctx.converted = dict(ctx.legacy_chars)
            ctx.numbering = Numbering(_parse(zf, rels.get("numbering")), styles)
            ctx.notes = {}
            reader = _BodyReader(ctx)
            lines = reader.blocks(body)
            hints["legacy_converted"] = sorted(ctx.legacy_chars)
        elif whole:
            hints["legacy"] = main_enc
            if has_upper_font:
                warnings.append("capitals-only legacy font (.VnTimeH) not upper-cased: no converter")
        else:
            hints["legacy_mixed"] = sorted(ctx.legacy_chars)
            warnings.append("some runs use a legacy font but no converter is available: left as is")
    notes = _notes(zf, rels.get("footnotes"), "footnote", reader, "")
    notes += _notes(zf, rels.get("endnotes"), "endnote", reader, "e")
    text = "\n".join(lines)
    if notes:
        text = text.rstrip("\n") + "\n\n" + "\n".join(notes)
    check_text_size(len(text), limits)
    check_text_quality(text, ".docx text")
    return RawDocument(source=src, text=text + "\n", hints=hints, warnings=warnings)


def read_docx_bytes(data: bytes, *, limits: Limits | None = None, path: str = "<docx>") -> RawDocument:
    """Convenience for tests and notebooks: read .docx bytes held in memory."""
    import hashlib

    src = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="docx", size=len(data))
    return read_docx(data, src, limits or Limits())


__all__ = ["format_number", "legacy_encoding", "read_docx", "read_docx_bytes"]
