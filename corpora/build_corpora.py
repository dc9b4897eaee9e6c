"""Build the corpora we write ourselves: ``corpora/samples`` and ``corpora/demo``.

Every document is written once, as an annotated source under ``corpora/sources/<corpus>/``,
and this script renders it to the format its ``file:`` key names (.txt, .docx or .pdf),
writes its gold JSON (the ANNOTATION.md form of ``../shared/corpus/gold``) and, for the
demo, ``expected.json`` for the aggregate stage.

A source is a few ``key: value`` lines, then blocks opened by ``== <name>``:

``left`` / ``right``
    the two header columns (issuer, number, V/v | Quốc hiệu or Party heading, date line);
``title``
    the type line and the trích yếu (absent for a công văn);
``body``
    one paragraph per line, ``Kính gửi`` included;
``recipients`` / ``signature``
    the two footer columns;
``appendix``
    optional; a line ``| a | b |`` is a table row.

Findings are marked in the body as ``⟦L|text⟧`` or ``⟦L:key|text⟧`` where ``L`` is
``A`` (achievement), ``S`` (shortcoming), ``C`` (cause), ``T`` (task) or ``R``
(recommendation) and ``key`` names what a shortcoming is about, so that the shortcomings
different bodies word differently fall into one group.  The markup is removed from every
rendering.

Run ``python corpora/build_corpora.py`` from anywhere; the output is byte-for-byte the same
on every run (fixed dates in the PDF and DOCX metadata and in the DOCX zip entries).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "sources"
CORPORA = ("samples", "demo")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

LABELS = {"A": "achievement", "S": "shortcoming", "C": "cause", "T": "task", "R": "recommendation"}
TYPE_CODES = {
    "BÁO CÁO": "BC", "KẾ HOẠCH": "KH", "CHƯƠNG TRÌNH": "CTr", "THÔNG BÁO": "TB", "TỜ TRÌNH": "TTr",
    "QUYẾT ĐỊNH": "QĐ", "HƯỚNG DẪN": "HD", "CÔNG VĂN": "CV",
}  # fmt: skip
BLOCKS = ("left", "right", "title", "body", "recipients", "signature", "appendix")

_MARK = re.compile(r"⟦([ASCTR])(?::([\w-]+))?\|(.+?)⟧")
_DATE_LINE = re.compile(
    r"^(?P<place>[^,\n]+?),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*$"
)
_AUTHORITY = re.compile(r"^(TM\.|KT\.|TL\.|TUQ\.|Q\.|T/M|K/T|T/L)\s")
_ROMAN = re.compile(r"^(?P<num>[IVX]+)\.\s+(?P<head>\S.*)$")
_ARABIC = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<head>\S.*)$")
_BULLET = re.compile(r"^-\s+(?P<text>\S.*)$")
_UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_ABBR = rf"[{_UP}][{_UP}a-zđ0-9&]*"
# Cited numbers: state ``612/BC-UBND``, normative ``14/2012/QH13``, Party ``512-CV/BTGTU``.
_CITE = re.compile(
    rf"(?<![\w/-])(?:\d{{1,5}}/(?:\d{{4}}/)?{_ABBR}(?:-{_ABBR})*|\d{{1,5}}-{_ABBR}/{_ABBR}(?:-{_ABBR})*)(?![\w/])"
)
# Fixed metadata so that a rebuild gives the same bytes.
FIXED_TIME = datetime(2026, 1, 5, 8, 0, 0, tzinfo=timezone.utc)
ZIP_TIME = (2026, 1, 5, 8, 0, 0)


@dataclass
class Finding:
    label: str
    text: str
    key: str | None = None


@dataclass
class Source:
    """One annotated source, parsed."""

    corpus: str
    stem: str
    meta: dict[str, str]
    blocks: dict[str, list[str]]
    findings: list[Finding] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.meta["file"]

    @property
    def fmt(self) -> str:
        return Path(self.file).suffix.lstrip(".")


# --------------------------------------------------------------------------- parsing


def parse_source(path: Path, corpus: str) -> Source:
    """Read an annotated source; the markup is removed from ``blocks`` and kept in ``findings``."""
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    meta: dict[str, str] = {}
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith("== "):
            name = line[3:].strip()
            if name not in BLOCKS:
                raise ValueError(f"{path.name}: unknown block {name!r}")
            current = blocks.setdefault(name, [])
        elif current is None:
            if line.strip() and not line.startswith("#"):
                key, _, value = line.partition(":")
                meta[key.strip()] = value.strip()
        elif line.strip():
            current.append(line.strip())
    src = Source(corpus=corpus, stem=path.stem, meta=meta, blocks=blocks)
    for name, lines in blocks.items():
        clean = []
        for line in lines:
            for m in _MARK.finditer(line):
                if name != "body":
                    raise ValueError(f"{path.name}: findings are marked in the body only")
                src.findings.append(Finding(LABELS[m.group(1)], m.group(3), m.group(2)))
            clean.append(_MARK.sub(lambda m: m.group(3), line))
        blocks[name] = clean
    if any("⟦" in x or "⟧" in x for lines in blocks.values() for x in lines):
        raise ValueError(f"{path.name}: unbalanced finding markup")
    for key in ("file", "issuer"):
        if key not in meta:
            raise ValueError(f"{path.name}: missing '{key}:'")
    return src


def load_sources(corpus: str) -> list[Source]:
    return [parse_source(p, corpus) for p in sorted((SOURCES / corpus).glob("*.txt"))]


# --------------------------------------------------------------------------- plain text


def _split_at(lines: list[str], pred) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if pred(line):
            return lines[:i], lines[i:]
    return lines, []


def _is_number_line(line: str) -> bool:
    return line.startswith("Số")


def _is_heading(line: str) -> bool:
    """A numbered line without closing punctuation: ``II. Hạn chế``, not ``1. Tiếp tục … .``"""
    return bool(_ROMAN.match(line) or _ARABIC.match(line)) and not line.endswith((".", ";", ":"))


def _is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line))


def _columns(left: list[str], right: list[str], width: int, indent: int = 0) -> list[str]:
    rows = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        rows.append((a.ljust(width) + " " * indent + b).rstrip() if b else a)
    return rows


def render_text(src: Source, layout: str | None = None) -> str:
    """The document as plain text, the way a reader of the original would give it.

    ``sequential`` (the default): each header and footer column in turn, one paragraph per
    line, a blank line between paragraphs.  ``columns``: both columns side by side on the same
    lines, as ``pdftotext -layout`` prints a two-column table.
    """
    b = src.blocks
    layout = layout or src.meta.get("layout", "sequential")
    out: list[str] = []
    if layout == "columns":
        lt, lb = _split_at(b["left"], _is_number_line)
        rt, rb = _split_at(b["right"], _is_date_line)
        out += _columns(lt, rt, 44, 4) + _columns(lb, rb, 44, 4)
    else:
        out += b["left"] + b["right"]
    if b.get("title"):
        out += [""] + b["title"]
    out.append("")
    out.append("\n\n".join(b["body"]))
    out.append("")
    if layout == "columns":
        out += _columns(b["recipients"], b["signature"], 44, 4)
    else:
        out += b["recipients"] + [""] + b["signature"]
    if b.get("appendix"):
        out.append("\f" if src.fmt == "txt" else "")
        out += [_table_line(x) if x.startswith("|") else x for x in b["appendix"]]
    return "\n".join(out).replace("\n\f\n", "\n\f") + "\n"


def _table_line(line: str) -> str:
    return "\t".join(_cells(line))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


# --------------------------------------------------------------------------- gold


def _joined(lines: list[str]) -> str:
    return " ".join(lines)


def _clean_entry(line: str) -> str:
    return re.sub(r"\s*[;,.]\s*$", "", re.sub(r"^-\s*", "", line)).strip()


def top_sections(src: Source) -> list[dict[str, str]]:
    """Level-1 headings: Roman ``I.`` if the body has any, else Arabic ``1.``."""
    body = src.blocks["body"]
    for rx in (_ROMAN, _ARABIC):
        heads = [m for m in map(rx.match, body) if m]
        if heads:
            # "Kết quả đạt được: công tác …" — the heading is the label; what follows the colon is body
            return [{"number": m["num"], "heading": re.split(r":\s+(?=\S)", m["head"], maxsplit=1)[0]} for m in heads]
    return []


def references(src: Source, own: str | None) -> list[str]:
    """Every number-and-symbol cited in the body and appendix, each once, in order."""
    seen: list[str] = []
    for line in src.blocks["body"] + src.blocks.get("appendix", []):
        for m in _CITE.finditer(line):
            ref = m.group(0)
            if ref != own and ref not in seen:
                seen.append(ref)
    return seen


def signature_fields(lines: list[str]) -> tuple[list[str], str | None, str | None]:
    authority = []
    for line in lines:
        m = _AUTHORITY.match(line)
        if m:
            # one code per authority in both systems (T/M and TM. are both "TM"), as the real gold has it
            authority.append(m.group(1).rstrip(".").replace("/", ""))
    name_lines = [x for x in lines if not x.startswith("(")]
    signer = name_lines[-1]
    position = name_lines[-2]
    return authority, position, signer


def header_fields(src: Source) -> dict:
    left, right, title = src.blocks["left"], src.blocks["right"], src.blocks.get("title", [])
    number_line = next(x for x in left if _is_number_line(x))
    number = re.sub(r"^Số:?\s*", "", number_line).strip()
    m = next(filter(None, map(_DATE_LINE.match, right)))
    iso = date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    if title:
        doc_type, title_text = TYPE_CODES[title[0]], _joined(title[1:])
    else:
        after = left[left.index(number_line) + 1 :]
        doc_type, title_text = "CV", _joined(after)
    return {
        "doc_type": doc_type,
        "number": number,
        "issuer": src.meta["issuer"],
        "issuer_parent": src.meta.get("issuer_parent") or None,
        "place": m["place"].strip(),
        "date": iso,
        "title": title_text,
    }


def agencies(text: str, gazetteer: list[dict]) -> list[dict]:
    """Named bodies printed in ``text``: longest forms first, each occurrence counted once.

    ``gazetteer`` is a list of ``{"name": full name, "forms": [printed forms]}``.

    A form must stand as words of its own: not inside a longer word, nor inside a cited
    number such as ``BC-UBND``.
    """
    flat = re.sub(r"\s", " ", text)
    hits: list[tuple[int, int, int, str]] = []
    for i, body in enumerate(gazetteer):
        for form in body["forms"]:
            for m in re.finditer(re.escape(form), flat):
                a, b = m.span()
                before = flat[a - 1] if a else " "
                after = flat[b] if b < len(flat) else " "
                if before.isalnum() or after.isalnum() or before in "/-" or after in "/-":
                    continue
                hits.append((a, b, i, form))
    taken: list[tuple[int, int]] = []
    found: dict[int, list[str]] = {}
    first: dict[int, int] = {}
    for a, b, i, form in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        forms = found.setdefault(i, [])
        if form not in forms:
            forms.append(form)
        first[i] = min(first.get(i, a), a)
    # The name is the body's full name as the gazetteer spells it (as the real gold does,
    # e.g. "Sở Tài chính tỉnh Đắk Nông" for a header "SỞ TÀI CHÍNH"); the aliases are the
    # other forms actually printed.
    out = []
    for i in sorted(found, key=lambda i: first[i]):
        name = gazetteer[i]["name"]
        forms = [f for f in gazetteer[i]["forms"] if f in found[i] and f != name]
        out.append({"name": name, "aliases": forms})
    return out


_HEAD_WORDS = re.compile(
    r"(?<!\w)(?:Sở|Bộ|Ban|Ủy ban|UBND|HĐND|Hội đồng|Tòa án|TAND|Viện|VKSND|Báo|Đài|Tỉnh đoàn|Tỉnh ủy|Hội|"
    r"Văn phòng|Công an|Đoàn|Thường trực|Mặt trận|Quốc hội|Chính phủ|Phòng|Vụ|Cục|Trung tâm)(?!\w)[^.,;:()\n]{0,30}"
)


def uncovered_mentions(text: str, gazetteer: list[dict]) -> list[str]:
    """Agency-like phrases no gazetteer form covers: a help for whoever edits the sources."""
    flat = re.sub(r"\s", " ", text)
    covered = [False] * len(flat)
    for body in gazetteer:
        for form in body["forms"]:
            for m in re.finditer(re.escape(form), flat):
                covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    return [m.group(0) for m in _HEAD_WORDS.finditer(flat) if not covered[m.start()]]


def gold_for(src: Source, text: str, gazetteer: list[dict]) -> dict:
    head = header_fields(src)
    authority, position, signer = signature_fields(src.blocks["signature"])
    is_report = head["doc_type"] == "BC"
    gold = {"id": Path(src.file).stem, **head}
    gold.update(
        authority=authority,
        signer_position=position,
        signer=signer,
        recipients=[_clean_entry(x) for x in src.blocks["recipients"] if not x.startswith("Nơi nhận")],
        top_sections=top_sections(src),
        references=references(src, head["number"]),
        findings=[{"label": f.label, "text": f.text} for f in src.findings],
        findings_scope="all" if is_report else None,
    )
    if len(text) <= 15000:
        gold["agencies"] = agencies(text, gazetteer)
    gold["notes"] = src.meta.get("note", "Written for the baocao corpora; people are fictional.")
    return gold


# --------------------------------------------------------------------------- docx


def _numbering_xml(ns: str) -> tuple[str, str]:
    """An abstract list for report headings: ``I.`` / ``1.`` / ``-``, and its instance."""
    lvl = (
        '<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr>{rpr}</w:lvl>'
    )
    levels = "".join(
        [
            lvl.format(i=0, fmt="upperRoman", text="%1.", rpr="<w:rPr><w:b/></w:rPr>"),
            lvl.format(i=1, fmt="decimal", text="%2.", rpr="<w:rPr><w:b/></w:rPr>"),
            lvl.format(i=2, fmt="bullet", text="-", rpr=""),
        ]
    )
    abstract = f'<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    num = f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
    return abstract, num


def render_docx(src: Source, out: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:cs", "w:hAnsi", "w:ascii"):
        rfonts.set(qn(attr), "Times New Roman")
    props = doc.core_properties
    props.author = props.last_modified_by = "baocao"
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.title = src.stem
    party = src.blocks["right"][0].startswith(("ĐẢNG", "ĐOÀN"))
    auto = src.meta.get("numbering") == "auto"
    if auto:
        numbering = doc.part.numbering_part.element
        abstract, num = _numbering_xml(nsdecls("w"))
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(parse_xml(abstract))
        else:
            numbering.append(parse_xml(abstract))
        numbering.append(parse_xml(num))

    def para(
        container,
        text,
        *,
        bold=False,
        italic=False,
        size=13,
        align=None,
        indent=False,
        after=0,
        underline=False,
    ):
        p = container.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(after)
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = Cm(1.27)
        run = p.add_run(text)
        run.bold, run.italic, run.font.size, run.underline = bold, italic, Pt(size), underline
        return p

    def borderless(table):
        tbl_pr = table._tbl.tblPr
        borders = parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
        tbl_pr.append(borders)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(cell, lines, styles):
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
        for line in lines:
            para(cell, line, align=WD_ALIGN_PARAGRAPH.CENTER, **styles(line))

    # Header: a borderless 2 x 2 table, issuer | Quốc hiệu, then number | date.
    left_top, left_bot = _split_at(src.blocks["left"], _is_number_line)
    right_top, right_bot = _split_at(src.blocks["right"], _is_date_line)
    parent = src.meta.get("issuer_parent")
    head = doc.add_table(rows=2, cols=2)
    borderless(head)
    for row in head.rows:
        row.cells[0].width, row.cells[1].width = Cm(6.5), Cm(9.5)
    fill(head.cell(0, 0), left_top, lambda x: {"bold": not (parent and x in parent), "size": 13})
    fill(head.cell(0, 1), right_top, lambda x: {"bold": True, "size": 13 if x.isupper() else 14})
    fill(
        head.cell(1, 0),
        left_bot,
        lambda x: {"size": 13 if _is_number_line(x) else 12, "italic": party and not _is_number_line(x)},
    )
    fill(head.cell(1, 1), right_bot, lambda x: {"italic": True, "size": 14})
    para(doc, "")
    for line in src.blocks.get("title", []):
        para(doc, line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    if src.blocks.get("title"):
        para(doc, "")
    # Body, with Word's own numbering for I. / 1. / - when the source asks for it.
    counters = [0, 0]
    for line in src.blocks["body"]:
        level, text = None, line
        rm, am, bm = _ROMAN.match(line), _ARABIC.match(line), _BULLET.match(line)
        if auto and rm:
            level, text = 0, rm["head"]
            counters = [counters[0] + 1, 0]
            if rm["num"] != _roman(counters[0]):
                raise ValueError(
                    f"{src.stem}: Word numbering would print {_roman(counters[0])}. for {line[:40]!r}"
                )
        elif auto and am:
            level, text = 1, am["head"]
            counters[1] += 1
            if int(am["num"]) != counters[1]:
                raise ValueError(f"{src.stem}: Word numbering would print {counters[1]}. for {line[:40]!r}")
        elif auto and bm:
            level, text = 2, bm["text"]
        heading = _is_heading(line)
        kinh_gui = line.startswith("Kính gửi")
        p = para(
            doc,
            text,
            bold=heading or kinh_gui,
            size=13,
            align=WD_ALIGN_PARAGRAPH.CENTER if kinh_gui else WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent=not kinh_gui,
            after=6,
        )
        if level is not None:
            ppr = p._p.get_or_add_pPr()
            ppr.insert(
                0,
                parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
                ),
            )
    # Closing: a borderless table, Nơi nhận | signature.
    para(doc, "")
    foot = doc.add_table(rows=1, cols=2)
    borderless(foot)
    foot.rows[0].cells[0].width, foot.rows[0].cells[1].width = Cm(7.5), Cm(8.5)
    rec = foot.cell(0, 0)
    rec.paragraphs[0]._element.getparent().remove(rec.paragraphs[0]._element)
    for line in src.blocks["recipients"]:
        label = line.startswith("Nơi nhận")
        para(
            rec,
            line,
            bold=label,
            italic=label and not party,
            underline=label and party,
            size=12 if label else 11,
        )
    sig = src.blocks["signature"]
    fill(
        foot.cell(0, 1),
        sig[:-1] + ["", "", ""] + sig[-1:],
        lambda x: {"bold": True, "size": 13, "italic": x.startswith("(")},
    )
    if src.blocks.get("appendix"):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        rows = [_cells(x) for x in src.blocks["appendix"] if x.startswith("|")]
        before = [x for x in src.blocks["appendix"] if not x.startswith("|")]
        for line in before:
            para(doc, line, bold=line.isupper(), italic=line.startswith("("), align=WD_ALIGN_PARAGRAPH.CENTER)
        if rows:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = doc.styles["Table Grid"]
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.paragraphs[0].add_run(value).bold = r == 0
                    cell.paragraphs[0].runs[0].font.size = Pt(12)
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_stable_zip(buf.getvalue()))


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates so the same document gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, src.read(info.filename))
    return buf.getvalue()


# --------------------------------------------------------------------------- pdf


def render_pdf(src: Source, out: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_creator("baocao corpora/build_corpora.py")
    pdf.set_title(src.stem)
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, 20)
    for style, name in (
        ("", "DejaVuSerif"),
        ("B", "DejaVuSerif-Bold"),
        ("I", "DejaVuSerif-Italic"),
        ("BI", "DejaVuSerif-BoldItalic"),
    ):
        pdf.add_font("Serif", style, str(FONT_DIR / f"{name}.ttf"))
    pdf.add_page()
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    party = src.blocks["right"][0].startswith(("ĐẢNG", "ĐOÀN"))
    parent = src.meta.get("issuer_parent")

    def column(x, w, lines, style_of, y):
        pdf.set_xy(x, y)
        for line in lines:
            style, size = style_of(line)
            pdf.set_font("Serif", style, size)
            pdf.set_x(x)
            pdf.multi_cell(w, 5.2, line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        return pdf.get_y()

    left_top, left_bot = _split_at(src.blocks["left"], _is_number_line)
    right_top, right_bot = _split_at(src.blocks["right"], _is_date_line)
    y0 = pdf.get_y()
    y1 = column(30, 70, left_top, lambda x: ("" if parent and x in parent else "B", 10.5), y0)
    if not party:
        pdf.line(52, y1 + 0.8, 78, y1 + 0.8)
    y2 = column(100, 95, right_top, lambda x: ("B", 10.5 if x.isupper() else 11.5), y0)
    pdf.line(123, y2 + 0.8, 172, y2 + 0.8)
    y = max(y1, y2) + 3
    y3 = column(
        30, 70, left_bot, lambda x: ("" if _is_number_line(x) else "I", 11 if _is_number_line(x) else 10), y
    )
    y4 = column(100, 95, right_bot, lambda x: ("I", 11.5), y)
    pdf.set_xy(30, max(y3, y4) + 6)
    for line in src.blocks.get("title", []):
        pdf.set_font("Serif", "B", 12.5)
        pdf.multi_cell(0, 6, line, align="C", **nl)
    if src.blocks.get("title"):
        pdf.ln(4)
    for line in src.blocks["body"]:
        heading = _is_heading(line)
        kinh_gui = line.startswith("Kính gửi")
        pdf.set_font("Serif", "B" if heading or kinh_gui else "", 11.5)
        pdf.multi_cell(0, 6, ("" if kinh_gui else "    ") + line, align="C" if kinh_gui else "J", **nl)
        pdf.ln(1.5)
    pdf.ln(4)
    if pdf.get_y() > 215:
        pdf.add_page()
    y = pdf.get_y()
    yl = y
    for line in src.blocks["recipients"]:
        label = line.startswith("Nơi nhận")
        pdf.set_font("Serif", ("BI" if not party else "BU") if label else "", 10.5 if label else 9.5)
        pdf.set_xy(30, yl)
        pdf.multi_cell(75, 4.6, line, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        yl = pdf.get_y()
    sig = src.blocks["signature"]
    column(105, 90, sig[:-1], lambda x: ("B" if not x.startswith("(") else "I", 11), y)
    pdf.set_xy(105, pdf.get_y() + 18)
    pdf.set_font("Serif", "B", 11.5)
    pdf.multi_cell(90, 5.2, sig[-1], align="C", **nl)
    if src.blocks.get("appendix"):
        pdf.add_page()
        rows = [_cells(x) for x in src.blocks["appendix"] if x.startswith("|")]
        for line in (x for x in src.blocks["appendix"] if not x.startswith("|")):
            pdf.set_font("Serif", "I" if line.startswith("(") else "B", 11)
            pdf.multi_cell(0, 6, line, align="C", **nl)
        if rows:
            pdf.ln(3)
            pdf.set_font("Serif", "", 9.5)
            with pdf.table(first_row_as_headings=True, line_height=5) as table:
                for row in rows:
                    table.row(row)
    pdf.output(str(out))


# --------------------------------------------------------------------------- demo expectations


def expected_for_demo(sources: list[Source], meta: dict) -> dict:
    """What the aggregate stage should conclude from the demo corpus."""
    requests = [s for s in sources if s.meta.get("role") == "request"]
    reports = [s for s in sources if s.meta.get("role") == "report"]
    out: dict = {
        "programme": meta["programme"],
        "bodies": meta["bodies"],
        "periods": meta["periods"],
        "requests": [],
    }
    for req in sorted(requests, key=lambda s: s.meta["period"]):
        h = header_fields(req)
        out["requests"].append(
            {
                "period": req.meta["period"],
                "file": req.file,
                "number": h["number"],
                "date": h["date"],
                "issuer": h["issuer"],
                "deadline": req.meta["deadline"],
                "expected_bodies": req.meta["expects"].split(),
                "points": [p.strip() for p in req.meta["points"].split("|")],
            }
        )
    deadline = {r["period"]: r["deadline"] for r in out["requests"]}
    subs, late = [], []
    for rep in sorted(reports, key=lambda s: (s.meta["period"], s.meta["body"])):
        h = header_fields(rep)
        is_late = h["date"] > deadline[rep.meta["period"]]
        subs.append(
            {"body": rep.meta["body"], "period": rep.meta["period"], "file": rep.file, "number": h["number"],
             "date": h["date"], "late": is_late}
        )  # fmt: skip
        if is_late:
            days = (date.fromisoformat(h["date"]) - date.fromisoformat(deadline[rep.meta["period"]])).days
            late.append({"body": rep.meta["body"], "period": rep.meta["period"], "file": rep.file,
                         "date": h["date"], "deadline": deadline[rep.meta["period"]], "days_late": days})  # fmt: skip
    out["submissions"], out["late"] = subs, late
    out["missing"] = [
        {"body": b, "period": r["period"]}
        for r in out["requests"]
        for b in r["expected_bodies"]
        if not any(s["body"] == b and s["period"] == r["period"] for s in subs)
    ]
    # Shortcomings by key: a key shared by several bodies in a period is a group.
    themes = meta["shortcoming_themes"]
    by_key: dict[tuple[str, str], list[dict]] = {}
    for rep in reports:
        for f in rep.findings:
            if f.label != "shortcoming":
                continue
            if f.key is None or f.key not in themes:
                raise ValueError(f"{rep.stem}: shortcoming without a known key: {f.text[:60]}")
            by_key.setdefault((rep.meta["period"], f.key), []).append(
                {"body": rep.meta["body"], "file": rep.file, "text": f.text}
            )
    groups, unique = [], []
    for (period, key), members in sorted(by_key.items()):
        bodies = {m["body"] for m in members}
        entry = {"period": period, "key": key, "theme": themes[key], "members": members}
        (groups if len(bodies) > 1 else unique).append(entry)
    out["shortcoming_groups"], out["unique_shortcomings"] = groups, unique
    # Per body: keys present in both periods persist, only in the later one are new,
    # only in the earlier one are resolved.
    periods = [p["id"] for p in meta["periods"]]
    changes = []
    for body in meta["bodies"]:
        keys = {
            p: {f.key: f.text for r in reports if r.meta["body"] == body["id"] and r.meta["period"] == p
                for f in r.findings if f.label == "shortcoming"}
            for p in periods
        }  # fmt: skip
        a, b = keys[periods[0]], keys[periods[-1]]
        if not b and not any(s["body"] == body["id"] and s["period"] == periods[-1] for s in subs):
            changes.append({"body": body["id"], "status": "no report for the latest period"})
            continue
        changes.append(
            {
                "body": body["id"],
                "persisting": [{"key": k, periods[0]: a[k], periods[-1]: b[k]} for k in a if k in b],
                "new": [{"key": k, "text": b[k]} for k in b if k not in a],
                "resolved": [{"key": k, "text": a[k]} for k in a if k not in b],
            }
        )
    out["shortcoming_changes"] = changes
    return out


# --------------------------------------------------------------------------- build


def build(corpus: str, *, check_only: bool = False, out_root: Path = ROOT) -> list[str]:
    """Render one corpus into ``out_root/<corpus>``; returns the paths written, relative to ``out_root``."""
    src_dir = SOURCES / corpus
    out_dir = out_root / corpus
    gazetteer = json.loads((src_dir / "agencies.json").read_text(encoding="utf-8"))
    written = []
    sources = load_sources(corpus)
    for src in sources:
        text = render_text(src, "sequential")
        for f in src.findings:
            if f.text not in text:
                raise ValueError(f"{src.stem}: finding not in text: {f.text[:60]}")
        gold = gold_for(src, text, gazetteer)
        if check_only:
            for mention in uncovered_mentions(text, gazetteer):
                print(f"{src.stem}: not in agencies.json? {mention!r}", file=sys.stderr)
            continue
        target = out_dir / src.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.fmt == "txt":
            target.write_text(text, encoding="utf-8")
        elif src.fmt == "docx":
            render_docx(src, target)
        elif src.fmt == "pdf":
            render_pdf(src, target)
        else:
            raise ValueError(f"{src.stem}: unsupported output {src.fmt}")
        gold_path = out_dir / "gold" / f"{Path(src.file).stem}.json"
        gold_path.parent.mkdir(parents=True, exist_ok=True)
        gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written += [str(target.relative_to(out_root)), str(gold_path.relative_to(out_root))]
    meta_path = src_dir / "scenario.json"
    if meta_path.exists() and not check_only:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        expected = expected_for_demo(sources, meta)
        path = out_dir / "expected.json"
        path.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(str(path.relative_to(out_root)))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", help=f"which corpora (default: {' '.join(CORPORA)})")
    parser.add_argument("--check", action="store_true", help="parse and check the sources, write nothing")
    args = parser.parse_args(argv)
    for corpus in args.corpus or CORPORA:
        if corpus not in CORPORA:
            parser.error(f"unknown corpus {corpus!r}")
        for path in build(corpus, check_only=args.check):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
